// blob_store.h - dataset files travel with jobs as blobs keyed by their sha256.
#pragma once

#include <filesystem>
#include <string>

#include "queue/redis_client.h"

namespace dlaaw::queue {

// Stores `bytes` under dlaaw:blob:<sha256> unless that key exists; returns the sha256.
std::string put_blob(RedisClient& redis, const std::string& bytes);

// The file for blob `sha256` at cache_dir/<sha256>/<file>, fetched from Redis unless cached, and
// checked against its hash. Returns cache_dir/<sha256> (the job's data directory). Throws
// JobFailed when the blob is missing or corrupt.
std::filesystem::path fetch_blob(RedisClient& redis, const std::string& sha256,
                                 const std::string& file, const std::filesystem::path& cache_dir);

}  // namespace dlaaw::queue
