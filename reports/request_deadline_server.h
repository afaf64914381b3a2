// request_deadline_server.h - an httplib::Server that gives each request a total time to arrive.
//
// cpp-httplib 0.11 (Debian 12) times out each read separately (set_read_timeout), so a client
// that sends its header one byte every few seconds holds a worker thread for as long as it likes.
// This server reads every request through its own Stream, whose reads all end at one deadline
// counted from the request's first byte; past it the connection is closed.
#pragma once

#include <chrono>

#include <httplib.h>

namespace dlaaw::reports {

class RequestDeadlineServer : public httplib::Server {
 public:
  // `request_deadline`: how long a request's line, header and body may take to arrive in all.
  explicit RequestDeadlineServer(std::chrono::milliseconds request_deadline);

 private:
  // Replaces httplib's per-connection loop (keep-alive wait, then process_request) so that each
  // request is read through a DeadlineStream; always closes `sock`.
  bool process_and_close_socket(socket_t sock) override;
  // Waits up to the keep-alive timeout for the next request's first byte, or the server's stop.
  bool next_request_arrives(socket_t sock) const;

  std::chrono::milliseconds request_deadline_;
};

}  // namespace dlaaw::reports
