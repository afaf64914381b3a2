// redis_endpoint.h - where a Redis server is, parsed from redis://[[user]:password@]host:port[/db].
#pragma once

#include <string>

namespace dlaaw::queue {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string user;      // a Redis ACL user; empty: the default user
  std::string password;  // empty: no AUTH
  int db = 0;

  // "host:port/db" without the password, for messages.
  std::string describe() const;
};

// Parses `url`; throws InvalidInput naming what is wrong ("--redis: port \"x\" is not a number").
// Messages never contain the password.
RedisEndpoint parse_redis_url(const std::string& url);

// `url` with its password replaced by "***" (redis://user:***@host:6379), for anything printed or
// logged; a URL without a password comes back unchanged. Never throws.
std::string mask_redis_url(const std::string& url);

// The URL to use: `flag` when given, else $DLAAW_REDIS_URL, else redis://127.0.0.1:6379.
std::string resolve_redis_url(const std::string& flag);

}  // namespace dlaaw::queue
