// redis_option.h - the --redis option, spelled once for every command that talks to Redis.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace dlaaw::cli {

// The URL forms queue::parse_redis_url takes: a password alone (AUTH pw) or an ACL user with its
// password (AUTH user pw).
inline constexpr const char* kRedisUrlForm = "redis://[[user]:password@]host:port[/db]";

// Adds --redis to `cmd`, read into `url`; without it the command uses $DLAAW_REDIS_URL, then
// redis://127.0.0.1:6379 (queue::resolve_redis_url).
inline CLI::Option* add_redis_option(CLI::App* cmd, std::string& url) {
  return cmd->add_option(
      "--redis", url,
      std::string(kRedisUrlForm) + " (default: $DLAAW_REDIS_URL, else redis://127.0.0.1:6379)");
}

}  // namespace dlaaw::cli
