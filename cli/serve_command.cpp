// serve_command.cpp - `dlaaw serve [--db FILE] [--redis URL] [--bind ADDR] [--port N]` until
// SIGINT or SIGTERM.
#include "cli/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "cli/exit_codes.h"
#include "cli/stop_signal.h"
#include "reports/report_server.h"
#include "tracker/db_path.h"

namespace dlaaw::cli {

void add_serve_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<reports::ServeOptions>();
  auto db = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the HTML report and JSON API (read-only)");
  cmd->add_option("--db", *db, "Tracker database (default: $DLAAW_DB, else ./dlaaw.db)");
  cmd->add_option("--redis", o->redis_url,
                  "redis://... for live queues, executors and running jobs");
  cmd->add_option("--bind", o->bind, "Address to listen on (default 127.0.0.1, loopback only)");
  cmd->add_option("--port", o->port, "Port (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  cmd->callback([o, db, &exit_code] {
    exit_code = run_guarded([&] {
      o->db_path = tracker::resolve_db_path(*db);
      reports::ReportServer server(*o);
      const int port = server.bind();
      std::printf("dlaaw report: http://%s:%d/ (database %s%s)\n", o->bind.c_str(), port,
                  o->db_path.c_str(),
                  o->redis_url.empty() ? "" : (", redis " + o->redis_url).c_str());
      std::fflush(stdout);
      const StopSignal stop([&server] { server.stop(); });
      server.run();
      return kSuccess;
    });
  });
}

}  // namespace dlaaw::cli
