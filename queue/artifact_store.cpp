// artifact_store.cpp - content-addressed pipeline outputs in Redis.
#include "queue/artifact_store.h"

#include "common/errors.h"
#include "datasets/sha256.h"
#include "queue/job_keys.h"

namespace dlaaw::queue {

bool is_sha256_text(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string put_artifact(RedisClient& redis, const std::string& bytes) {
  std::string sha256 = datasets::sha256_hex(bytes);
  // PERSIST: a dataset blob with the same bytes (which expires) becomes an artifact for good.
  for (const auto& r :
       redis.pipeline({{"SET", keys::blob(sha256), bytes, "NX"}, {"PERSIST", keys::blob(sha256)}}))
    throw_if_error(r, "storing an artifact");
  return sha256;
}

std::string fetch_artifact(RedisClient& redis, const std::string& sha256) {
  if (!is_sha256_text(sha256))
    throw InvalidInput("artifact \"" + sha256.substr(0, 80) + "\" is not a sha256");
  RedisReply blob = redis.command({"GET", keys::blob(sha256)});
  throw_if_error(blob, "reading an artifact");
  if (blob.is_nil()) throw JobFailed("artifact " + sha256 + " is not in redis (was it deleted?)");
  if (datasets::sha256_hex(blob.text) != sha256)
    throw JobFailed("artifact " + sha256 + " is corrupt");
  return std::move(blob.text);
}

std::vector<bool> artifacts_exist(RedisClient& redis, const std::vector<std::string>& sha256s) {
  std::vector<bool> exist(sha256s.size(), false);
  std::vector<std::vector<std::string>> calls;
  std::vector<std::size_t> asked;
  for (std::size_t i = 0; i < sha256s.size(); ++i) {
    if (!is_sha256_text(sha256s[i])) continue;
    calls.push_back({"EXISTS", keys::blob(sha256s[i])});
    asked.push_back(i);
  }
  if (calls.empty()) return exist;
  const auto replies = redis.pipeline(calls);
  for (std::size_t j = 0; j < asked.size(); ++j) exist[asked[j]] = replies[j].integer == 1;
  return exist;
}

}  // namespace dlaaw::queue
