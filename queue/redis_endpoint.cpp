// redis_endpoint.cpp - Redis URL parsing.
#include "queue/redis_endpoint.h"

#include <charconv>
#include <cstdlib>

#include "common/errors.h"

namespace dlaaw::queue {
namespace {

int parse_int(const std::string& text, const std::string& what, const std::string& url) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw InvalidInput("--redis: " + what + " \"" + text + "\" in " + mask_redis_url(url) +
                       " is not a number");
  }
  return value;
}

}  // namespace

std::string RedisEndpoint::describe() const {
  std::string text = host + ":" + std::to_string(port);
  if (db) text.append("/").append(std::to_string(db));  // see -Wrestrict in CMakeLists.txt
  return text;
}

RedisEndpoint parse_redis_url(const std::string& url) {
  const std::string scheme = "redis://";
  if (url.rfind(scheme, 0) != 0) {
    throw InvalidInput("--redis: \"" + mask_redis_url(url) +
                       "\" must start with redis:// (redis://[[user]:password@]host:port[/db])");
  }
  std::string rest = url.substr(scheme.size());
  RedisEndpoint e;
  if (const auto at = rest.rfind('@'); at != std::string::npos) {
    std::string auth = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = auth.find(':');
    if (colon == std::string::npos) {
      e.password = auth;
    } else {
      e.user = auth.substr(0, colon);
      e.password = auth.substr(colon + 1);
    }
  }
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    const std::string db = rest.substr(slash + 1);
    if (!db.empty()) e.db = parse_int(db, "database", url);
    rest = rest.substr(0, slash);
  }
  if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
    e.port = parse_int(rest.substr(colon + 1), "port", url);
    rest = rest.substr(0, colon);
  }
  if (!rest.empty()) e.host = rest;
  if (e.port <= 0 || e.port > 65535)
    throw InvalidInput("--redis: port " + std::to_string(e.port) + " is out of range");
  return e;
}

std::string mask_redis_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  const auto authority = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const auto at = url.rfind('@');
  if (at == std::string::npos || at < authority) return url;
  const auto colon = url.find(':', authority);
  const auto secret = colon != std::string::npos && colon < at ? colon + 1 : authority;
  return url.substr(0, secret) + "***" + url.substr(at);
}

std::string resolve_redis_url(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("DLAAW_REDIS_URL"); env && *env) return env;
  return "redis://127.0.0.1:6379";
}

}  // namespace dlaaw::queue
