// report_server_security.cpp - bearer/cookie authentication, security headers, connection limits.
#include "reports/report_server_security.h"

#include <arpa/inet.h>
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "datasets/sha256.h"
#include "reports/html.h"

namespace dlaaw::reports {
namespace {

std::string base64(const std::string& bytes) {
  static const char* const alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += alphabet[(v >> shift) & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// "'sha256-BASE64'" of `text`, the form CSP expects.
std::string csp_hash(const std::string& text) {
  const std::string hex = datasets::sha256_hex(text);
  std::string digest;
  for (std::size_t i = 0; i < hex.size(); i += 2)
    digest += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return "'sha256-" + base64(digest) + "'";
}

// The hashes of every <tag>...</tag> block of `html`, space separated ("'none'" when there is
// none).
std::string block_hashes(const std::string& html, const std::string& tag) {
  const std::string open = "<" + tag + ">", close = "</" + tag + ">";
  std::string hashes;
  for (auto start = html.find(open); start != std::string::npos; start = html.find(open, start)) {
    start += open.size();
    const auto end = html.find(close, start);
    if (end == std::string::npos) break;
    if (!hashes.empty()) hashes += ' ';
    hashes += csp_hash(html.substr(start, end - start));
    start = end;
  }
  return hashes.empty() ? "'none'" : hashes;
}

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  const std::string cookies = req.get_header_value("Cookie");
  std::size_t pos = 0;
  while (pos < cookies.size()) {
    auto end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::string part = cookies.substr(pos, end - pos);
    const auto first = part.find_first_not_of(' ');
    part = first == std::string::npos ? "" : part.substr(first);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

bool authorized(const httplib::Request& req, const std::string& token) {
  const std::string bearer = "Bearer ";
  const std::string header = req.get_header_value("Authorization");
  if (header.rfind(bearer, 0) == 0 && constant_time_equal(header.substr(bearer.size()), token))
    return true;
  const std::string cookie = cookie_value(req, kTokenCookie);
  return !cookie.empty() && constant_time_equal(cookie, token);
}

std::string login_page(const std::string& message) {
  return page("Log in",
              (message.empty() ? "" : "<p class=\"state-error\">" + escape(message) + "</p>") +
                  "<form method=\"post\" action=\"/login\">Token <input type=\"password\" "
                  "name=\"token\" autofocus> <input type=\"submit\" value=\"Log in\"></form>"
                  "<p class=\"muted\">The token is the one dlaaw serve was started with "
                  "(--token-file or DLAAW_REPORT_TOKEN).</p>");
}

void refuse(const httplib::Request& req, httplib::Response& res) {
  res.status = 401;
  if (is_api_path(req.path)) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"dlaaw\"");
    res.set_content(nlohmann::json({{"error", "a token is required (Authorization: Bearer ...)"},
                                    {"status", 401}})
                        .dump(),
                    "application/json");
  } else {
    res.set_content(login_page(""), "text/html; charset=utf-8");
  }
}

void install_login(httplib::Server& server, const std::string& token) {
  server.Get("/login", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(login_page(""), "text/html; charset=utf-8");
  });
  server.Post("/login", [token](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("token") || !constant_time_equal(req.get_param_value("token"), token)) {
      res.status = 401;
      res.set_content(login_page("That token is not the right one."), "text/html; charset=utf-8");
      return;
    }
    res.set_header("Set-Cookie",
                   std::string(kTokenCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
    res.set_redirect("/", 303);
  });
}

}  // namespace

bool is_loopback(const std::string& bind) {
  if (bind == "localhost" || bind == "::1") return true;
  in_addr v4{};
  return inet_pton(AF_INET, bind.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

std::string content_security_policy(const std::string& html) {
  return "default-src 'none'; style-src " + block_hashes(html, "style") + "; script-src " +
         block_hashes(html, "script") +
         "; img-src 'self' data:; connect-src 'self'; form-action 'self'; "
         "frame-ancestors 'none'; base-uri 'none'";
}

void secure_server(httplib::Server& server, const std::string& token) {
  server.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  server.set_read_timeout(kReadTimeoutSeconds, 0);
  server.set_write_timeout(kReadTimeoutSeconds, 0);
  server.set_keep_alive_timeout(kKeepAliveSeconds);
  server.set_keep_alive_max_count(100);
  // Runs for every response, error pages and refusals included.
  server.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Content-Security-Policy", content_security_policy(res.body));
  });
  if (token.empty()) return;
  install_login(server, token);
  server.set_pre_routing_handler([token](const httplib::Request& req, httplib::Response& res) {
    if (req.path == "/login" || authorized(req, token))
      return httplib::Server::HandlerResponse::Unhandled;
    refuse(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
}

bool is_api_path(const std::string& path) {
  const auto ends_with = [&](const std::string& suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return path.rfind("/api/", 0) == 0 || path == "/api" || path == "/metrics" ||
         ends_with(".csv") || ends_with(".json");  // the downloads
}

namespace {

// `token` as read from `source`, checked: long enough to guess at no cost, and of characters that
// survive an Authorization header and a cookie unquoted.
std::string checked_token(std::string token, const std::string& source) {
  if (token.size() < 16) {
    throw InvalidInput(source + ": the token must be at least 16 characters (e.g. openssl rand " +
                       "-hex 16)");
  }
  for (std::size_t i = 0; i < token.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(token[i]);
    if (!std::isalnum(c) && c != '.' && c != '_' && c != '~' && c != '-') {
      throw InvalidInput(source + ": character " + std::to_string(i + 1) +
                         " of the token is not a letter, digit, '.', '_', '~' or '-'");
    }
  }
  return token;
}

}  // namespace

std::string read_report_token(const std::string& token_file) {
  if (!token_file.empty()) {
    std::ifstream in(token_file, std::ios::binary);
    if (!in) throw InvalidInput("--token-file " + token_file + ": cannot open the file");
    std::string token((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
      token.pop_back();
    return checked_token(std::move(token), "--token-file " + token_file);
  }
  if (const char* env = std::getenv("DLAAW_REPORT_TOKEN"); env && *env)
    return checked_token(env, "DLAAW_REPORT_TOKEN");
  return "";
}

}  // namespace dlaaw::reports
