// queue_commands.h - the commands that talk to the Redis job queue.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "queue/redis_client.h"

namespace dlaaw::cli {

// The options every queue command shares.
struct Connection {
  std::string redis;      // --redis ("" = $DLAAW_REDIS_URL, else the default)
  std::string resources;  // --resources ("" = $DLAAW_RESOURCES)
  bool json = false;      // --json
};

// Connects to the Redis the options name. Throws InvalidInput for a bad URL, ServiceUnavailable
// when the server is unreachable.
inline queue::RedisClient connect(const Connection& c) {
  return queue::RedisClient(queue::parse_redis_url(queue::resolve_redis_url(c.redis)));
}

// submit
void add_submit_command(CLI::App& app, int& exit_code);
// status, watch, cancel, retry, queue (and resources, through add_resources_command)
void add_job_commands(CLI::App& app, int& exit_code);
// resources, resources add FILE, resources remove NAME
void add_resources_command(CLI::App& app, int& exit_code);
// executor
void add_executor_command(CLI::App& app, int& exit_code);
// sweep
void add_sweep_command(CLI::App& app, int& exit_code);
// demo
void add_demo_command(CLI::App& app, int& exit_code);

}  // namespace dlaaw::cli
