// artifact_store.h - pipeline outputs (prepared datasets, models, predictions, comparisons) as
// blobs addressed by their sha256, beside the dataset blobs under the same keys.
#pragma once

#include <string>
#include <vector>

#include "queue/redis_client.h"

namespace dlaaw::queue {

// Stores `bytes` under dlaaw:blob:<sha256> unless the key exists and returns the sha256.
// Throws ServiceUnavailable when Redis fails.
std::string put_artifact(RedisClient& redis, const std::string& bytes);

// The bytes of artifact `sha256`, checked against the hash. The hash comes from Redis or a job
// document (untrusted): throws InvalidInput for anything but 64 lowercase hex digits, JobFailed
// when the artifact is missing or its bytes do not hash to `sha256`.
std::string fetch_artifact(RedisClient& redis, const std::string& sha256);

// For each hash, whether its artifact is stored (one round trip); a malformed hash is false.
std::vector<bool> artifacts_exist(RedisClient& redis, const std::vector<std::string>& sha256s);

// True for 64 lowercase hex digits.
bool is_sha256_text(const std::string& text);

}  // namespace dlaaw::queue
