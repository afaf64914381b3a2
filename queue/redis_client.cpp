// redis_client.cpp - hiredis connection handling, reply conversion, reconnects and scripts.
#include "queue/redis_client.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <stdexcept>
#include <thread>

#include "common/errors.h"

namespace dlaaw::queue {
namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv;
  tv.tv_sec = static_cast<long>(ms.count() / 1000);
  tv.tv_usec = static_cast<long>((ms.count() % 1000) * 1000);
  return tv;
}

RedisReply convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::String;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::Status;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::Error;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::Integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::Array;
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
      break;
    default:
      out.type = RedisReply::Type::Nil;
  }
  return out;
}

// Owns a reply object from hiredis.
struct ReplyDeleter {
  void operator()(void* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<void, ReplyDeleter>;

struct Argv {
  mutable std::vector<const char*> pointers;  // hiredis takes const char** (non-const)
  std::vector<size_t> lengths;
  explicit Argv(const std::vector<std::string>& args) {
    for (const auto& a : args) {
      pointers.push_back(a.data());
      lengths.push_back(a.size());
    }
  }
};

}  // namespace

std::map<std::string, std::string> RedisReply::as_map() const {
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i + 1 < elements.size(); i += 2)
    out[elements[i].text] = elements[i + 1].text;
  return out;
}

void throw_if_error(const RedisReply& reply, const std::string& what) {
  if (reply.is_error()) throw std::runtime_error(what + ": " + reply.text);
}

RedisClient::RedisClient(RedisEndpoint endpoint, std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), timeout_(timeout) {
  connect();
}

void RedisClient::ContextDeleter::operator()(redisContext* c) const { redisFree(c); }

RedisClient::~RedisClient() = default;

void RedisClient::connect() {
  context_.reset(
      redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, to_timeval(timeout_)));
  if (!context_ || context_->err) {
    const std::string reason = context_ ? context_->errstr : "cannot allocate a connection";
    context_.reset();
    throw ServiceUnavailable("redis at " + endpoint_.describe() + " is unreachable: " + reason);
  }
  set_timeout(timeout_);
  if (!endpoint_.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!endpoint_.user.empty()) auth.push_back(endpoint_.user);  // a Redis 6 ACL user
    auth.push_back(endpoint_.password);
    const RedisReply r = round_trip(auth);
    if (r.is_error()) {
      context_.reset();
      throw ServiceUnavailable("redis at " + endpoint_.describe() + " refused the " +
                               (endpoint_.user.empty() ? "password" : "user or password") + ": " +
                               r.text);
    }
  }
  // PING checks that the server accepts commands (a server with a password refuses them).
  const RedisReply pong = round_trip({"PING"});
  if (pong.is_error()) {
    context_.reset();
    throw ServiceUnavailable("redis at " + endpoint_.describe() +
                             " refused the connection: " + pong.text);
  }
  if (endpoint_.db != 0) {
    const RedisReply r = round_trip({"SELECT", std::to_string(endpoint_.db)});
    if (r.is_error()) {
      context_.reset();
      throw ServiceUnavailable("redis at " + endpoint_.describe() + ": " + r.text);
    }
  }
  script_sha_.clear();  // a restarted server may have lost its script cache
}

void RedisClient::set_timeout(std::chrono::milliseconds t) {
  if (context_) redisSetTimeout(context_.get(), to_timeval(t));
}

void RedisClient::reconnect_with_backoff() {
  auto delay = std::chrono::milliseconds(50);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    try {
      connect();
      return;
    } catch (const ServiceUnavailable&) {
      if ((give_up_ && *give_up_) || std::chrono::steady_clock::now() + delay > deadline) throw;
    }
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(1000));
  }
}

RedisReply RedisClient::round_trip(const std::vector<std::string>& args) {
  const Argv argv(args);
  ReplyPtr reply(redisCommandArgv(context_.get(), static_cast<int>(args.size()),
                                  argv.pointers.data(), argv.lengths.data()));
  if (!reply) {
    throw ServiceUnavailable("redis at " + endpoint_.describe() + ": " +
                             (context_->errstr[0] ? context_->errstr : "connection lost"));
  }
  return convert(static_cast<redisReply*>(reply.get()));
}

template <typename Send>
auto RedisClient::resend_once(Send&& send) {
  for (int attempt = 0;; ++attempt) {
    try {
      if (!context_ || context_->err) reconnect_with_backoff();
      return send();
    } catch (const ServiceUnavailable&) {
      if (attempt >= 1) throw;
      reconnect_with_backoff();
    }
  }
}

RedisReply RedisClient::command(const std::vector<std::string>& args) {
  return resend_once([&] { return round_trip(args); });
}

RedisReply RedisClient::blocking_command(const std::vector<std::string>& args,
                                         std::chrono::milliseconds wait) {
  // The longer socket timeout is set on whichever connection sends, a reconnected one included.
  return resend_once([&] {
    set_timeout(timeout_ + wait);
    try {
      RedisReply r = round_trip(args);
      set_timeout(timeout_);
      return r;
    } catch (...) {
      set_timeout(timeout_);
      throw;
    }
  });
}

std::vector<RedisReply> RedisClient::pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  // Like command(): one resend after a reconnect (dlaaw's pipelines are reads or idempotent).
  return resend_once([&] { return pipeline_round_trip(commands); });
}

std::vector<RedisReply> RedisClient::pipeline_round_trip(
    const std::vector<std::vector<std::string>>& commands) {
  for (const auto& args : commands) {
    const Argv argv(args);
    if (redisAppendCommandArgv(context_.get(), static_cast<int>(args.size()), argv.pointers.data(),
                               argv.lengths.data()) != REDIS_OK) {
      throw ServiceUnavailable("redis at " + endpoint_.describe() + ": cannot queue a command");
    }
  }
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_.get(), &raw) != REDIS_OK || !raw) {
      const std::string reason = context_->errstr[0] ? context_->errstr : "connection lost";
      context_.reset();
      throw ServiceUnavailable("redis at " + endpoint_.describe() + ": " + reason);
    }
    ReplyPtr reply(raw);
    replies.push_back(convert(static_cast<redisReply*>(raw)));
  }
  return replies;
}

const std::string& RedisClient::script_sha(const LuaScript& script) {
  auto sha = script_sha_.find(script.name);
  if (sha == script_sha_.end()) {
    const RedisReply loaded = command({"SCRIPT", "LOAD", script.source});
    throw_if_error(loaded, "loading Lua script " + script.name);
    sha = script_sha_.emplace(script.name, loaded.text).first;
  }
  return sha->second;
}

std::vector<RedisReply> RedisClient::eval_pipelined(
    const LuaScript& script, const std::vector<std::vector<std::string>>& calls) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::vector<std::vector<std::string>> commands;
    for (const auto& args : calls) {
      commands.push_back({"EVALSHA", script_sha(script), "0"});
      commands.back().insert(commands.back().end(), args.begin(), args.end());
    }
    auto replies = pipeline(commands);
    bool lost = false;
    for (const auto& r : replies) lost = lost || (r.is_error() && r.text.rfind("NOSCRIPT", 0) == 0);
    if (lost) {
      script_sha_.erase(script.name);  // the server restarted meanwhile; the calls are idempotent
      continue;
    }
    for (const auto& r : replies) throw_if_error(r, "Lua script " + script.name);
    return replies;
  }
  throw ServiceUnavailable("redis at " + endpoint_.describe() + " keeps losing Lua script " +
                           script.name);
}

RedisReply RedisClient::eval(const LuaScript& script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::vector<std::string> argv{"EVALSHA", script_sha(script), std::to_string(keys.size())};
    argv.insert(argv.end(), keys.begin(), keys.end());
    argv.insert(argv.end(), args.begin(), args.end());
    RedisReply r = command(argv);
    if (r.is_error() && r.text.rfind("NOSCRIPT", 0) == 0) {
      script_sha_.erase(script.name);  // the server restarted or flushed its scripts
      continue;
    }
    throw_if_error(r, "Lua script " + script.name);
    return r;
  }
  throw ServiceUnavailable("redis at " + endpoint_.describe() + " keeps losing Lua script " +
                           script.name);
}

}  // namespace dlaaw::queue
