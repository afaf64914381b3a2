// serve_command.cpp - `dlaaw serve [--db FILE] [--redis URL] [--bind ADDR] [--port N]
// [--token-file FILE]` until SIGINT or SIGTERM.
#include "cli/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "cli/exit_codes.h"
#include "cli/redis_option.h"
#include "cli/stop_signal.h"
#include "queue/redis_endpoint.h"
#include "reports/report_server.h"
#include "reports/report_server_security.h"
#include "tracker/db_path.h"

namespace dlaaw::cli {

void add_serve_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<reports::ServeOptions>();
  auto db = std::make_shared<std::string>();
  auto token_file = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the HTML report and JSON API (read-only)");
  cmd->add_option("--db", *db, "Tracker database (default: $DLAAW_DB, else ./dlaaw.db)");
  cmd->add_option("--redis", o->redis_url,
                  std::string(kRedisUrlForm) + " for live queues, executors and running jobs");
  cmd->add_option("--bind", o->bind, "Address to listen on (default 127.0.0.1, loopback only)");
  cmd->add_option("--port", o->port, "Port (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--token-file", *token_file,
                  "File holding the access token (else $DLAAW_REPORT_TOKEN); required off "
                  "loopback. Clients send Authorization: Bearer TOKEN, browsers log in at /login");
  cmd->callback([o, db, token_file, &exit_code] {
    exit_code = run_guarded([&] {
      o->db_path = tracker::resolve_db_path(*db);
      o->token = reports::read_report_token(*token_file);
      reports::ReportServer server(*o);
      const int port = server.bind();
      const std::string redis =
          o->redis_url.empty() ? "" : ", redis " + queue::mask_redis_url(o->redis_url);
      std::printf("dlaaw report: http://%s:%d/ (database %s%s%s)\n", o->bind.c_str(), port,
                  o->db_path.c_str(), redis.c_str(), o->token.empty() ? "" : ", token required");
      std::fflush(stdout);
      const StopSignal stop([&server] { server.stop(); });
      server.run();
      return kSuccess;
    });
  });
}

}  // namespace dlaaw::cli
