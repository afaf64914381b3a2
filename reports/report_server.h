// report_server.h - `dlaaw serve`: the HTTP report over the tracker database (read-only) and,
// when given, Redis for live state.
#pragma once

#include <memory>
#include <string>

namespace httplib {
class Server;
}

namespace dlaaw::reports {

struct ServeOptions {
  std::string db_path;
  std::string redis_url;  // "" = no live state
  std::string bind = "127.0.0.1";
  int port = 8080;    // 0 = any free port
  std::string token;  // "" = no authentication (refused off loopback); see report_server_security.h
};

class ReportServer {
 public:
  // Throws InvalidInput when `bind` is not a loopback address and no token is given: the report
  // would show every run to anyone who can reach the port.
  explicit ReportServer(ServeOptions options);
  ~ReportServer();

  // Binds the socket; returns the port. Throws ServiceUnavailable when it cannot (port taken).
  int bind();
  // Serves until stop() (call bind() first).
  void run();
  void stop();

 private:
  void install_routes();
  ServeOptions options_;
  std::unique_ptr<httplib::Server> server_;
};

}  // namespace dlaaw::reports
