// redis_client.h - a small RAII client over hiredis: commands, pipelines, Lua scripts by SHA.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "queue/redis_endpoint.h"

struct redisContext;

namespace dlaaw::queue {

// One reply, copied out of hiredis so that it outlives the connection's buffers.
struct RedisReply {
  enum class Type { Nil, String, Integer, Array, Status, Error };
  Type type = Type::Nil;
  std::string text;  // String, Status, Error
  long long integer = 0;
  std::vector<RedisReply> elements;

  bool is_nil() const { return type == Type::Nil; }
  // The field/value pairs of an array reply (HGETALL, a stream entry's fields) as a map.
  std::map<std::string, std::string> as_map() const;
  bool is_error() const { return type == Type::Error; }
};

// A Lua script, loaded into a server once (SCRIPT LOAD) and afterwards called by its SHA.
struct LuaScript {
  std::string name;
  std::string source;
};

// Owns one connection. Not thread-safe: give every thread its own client.
class RedisClient {
 public:
  // Connects (AUTH [user] password and SELECT as the endpoint says). Throws ServiceUnavailable
  // naming the server (never the password) when it is unreachable, refuses the credentials, or does
  // not answer within `timeout`; a refused connection closes its socket.
  explicit RedisClient(RedisEndpoint endpoint,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends one command. A lost connection is re-established with backoff (up to ~10 s) and the
  // command sent again, so callers must tolerate a repeat (every dlaaw transition does). Error
  // replies are returned, not thrown. Throws ServiceUnavailable when the server stays away.
  RedisReply command(const std::vector<std::string>& args);

  // Like command(), but the reply may take up to `wait` (for BLPOP and friends).
  RedisReply blocking_command(const std::vector<std::string>& args, std::chrono::milliseconds wait);

  // Sends all commands before reading any reply (one round trip).
  std::vector<RedisReply> pipeline(const std::vector<std::vector<std::string>>& commands);

  // Runs `script` by SHA (EVALSHA), loading it on first use or after the server lost it.
  RedisReply eval(const LuaScript& script, const std::vector<std::string>& keys,
                  const std::vector<std::string>& args);

  // Runs `script` once per entry of `calls` (its ARGV; no KEYS) in one pipelined round trip.
  // After a server restart lost the script, everything is sent again: the script must be
  // idempotent. Throws std::runtime_error for an error reply.
  std::vector<RedisReply> eval_pipelined(const LuaScript& script,
                                         const std::vector<std::vector<std::string>>& calls);

  // The SHA of `script` on this server, loading it (SCRIPT LOAD) the first time.
  const std::string& script_sha(const LuaScript& script);

  const RedisEndpoint& endpoint() const { return endpoint_; }

  // Once `*flag` is true (a daemon stopping), a lost connection gets one reconnect attempt instead
  // of ~10 s of backoff: SIGTERM must not wait for a Redis that is away. `flag` must outlive this.
  void give_up_retrying_when(const std::atomic<bool>* flag) { give_up_ = flag; }

 private:
  void connect();
  // Runs `send`; after a lost connection, reconnects with backoff and runs it once more.
  template <typename Send>
  auto resend_once(Send&& send);
  void reconnect_with_backoff();
  RedisReply round_trip(const std::vector<std::string>& args);
  std::vector<RedisReply> pipeline_round_trip(
      const std::vector<std::vector<std::string>>& commands);
  void set_timeout(std::chrono::milliseconds t);

  RedisEndpoint endpoint_;
  std::chrono::milliseconds timeout_;
  struct ContextDeleter {
    void operator()(redisContext* c) const;
  };
  // Owned from the moment hiredis returns it, so that every throw on the way closes the socket.
  std::unique_ptr<redisContext, ContextDeleter> context_;
  std::map<std::string, std::string> script_sha_;  // script name -> SHA on this server
  const std::atomic<bool>* give_up_ = nullptr;
};

// "ERR ..." of an error reply as an exception (std::runtime_error) when `reply` is one.
void throw_if_error(const RedisReply& reply, const std::string& what);

}  // namespace dlaaw::queue
