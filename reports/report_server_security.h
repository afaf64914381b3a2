// report_server_security.h - who may read the report, the headers every response carries, and
// the connection limits that keep slow clients from starving the others.
#pragma once

#include <string>
#include <string_view>

namespace httplib {
class Server;
}

namespace dlaaw::reports {

// The cookie a browser gets from POST /login.
inline constexpr const char* kTokenCookie = "dlaaw_token";
// Worker threads: enough that dozens of idle or slow connections leave room for real requests.
inline constexpr int kServerThreads = 64;
// How long a connection may stay silent while its request is read, and idle between requests.
inline constexpr int kReadTimeoutSeconds = 5;
inline constexpr int kKeepAliveSeconds = 5;
// How long one request (line, header and body) may take to arrive in all, however it trickles
// in: enforced by RequestDeadlineServer (request_deadline_server.h).
inline constexpr int kRequestDeadlineSeconds = 10;

// True for 127.0.0.0/8, ::1 and "localhost": addresses only this machine can reach.
bool is_loopback(const std::string& bind);

// Compares in time that depends only on the lengths, never on where the texts first differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// The Content-Security-Policy of one response: nothing may load from elsewhere, and only the
// inline <style> and <script> blocks of `html` itself (by their sha256) may run.
std::string content_security_policy(const std::string& html);

// Installs the thread pool, timeouts and headers (nosniff, CSP, no framing) on `server`, and,
// when `token` is not empty, the guard: every request but /login needs `Authorization: Bearer
// TOKEN` or the login cookie; others get 401 (JSON on is_api_path paths, else the login page).
void secure_server(httplib::Server& server, const std::string& token);

// True for the paths whose answers are JSON or text for programs (/api, /api/..., /metrics, and
// the .csv and .json downloads): their errors are JSON, never an HTML page.
bool is_api_path(const std::string& path);

// Reads the report's token: from `token_file` when given (trailing whitespace dropped), else
// $DLAAW_REPORT_TOKEN; "" when neither is set. Throws InvalidInput naming the file (or variable)
// when it cannot be read, holds fewer than 16 characters, or a character other than letters,
// digits and . _ ~ - (it travels in a header and a cookie).
std::string read_report_token(const std::string& token_file);

}  // namespace dlaaw::reports
