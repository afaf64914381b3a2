// blob_store.h - dataset files travel with jobs as blobs keyed by their sha256.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "datasets/dataset_loader.h"
#include "queue/redis_client.h"

namespace dlaaw::queue {

// How long a blob outlives its last submit: no job waits that long in a queue, and blobs of jobs
// long done do not fill Redis' memory.
inline constexpr std::chrono::hours kBlobLifetime{24 * 7};

// Stores `bytes` under dlaaw:blob:<sha256> unless that key exists, and (re)starts its lifetime;
// `sha256` is the bytes' hash, computed once by whoever read the file.
void put_blob(RedisClient& redis, const std::string& sha256, const std::string& bytes);

// The file of blob `sha256`, named `file`, from cache_dir/<sha256>/ or else fetched from Redis and
// cached there; its bytes are checked against the hash once. Both names come from a job in Redis,
// so they are checked before they name a path. Throws InvalidInput for a hash that is not 64
// lowercase hex digits or a file name that is not plain (a directory part, "..", a NUL), and
// JobFailed when the blob is missing or corrupt. A cache that cannot be written is skipped: the
// bytes from Redis are returned all the same.
datasets::DatasetFile fetch_blob(RedisClient& redis, const std::string& sha256,
                                 const std::string& file, const std::filesystem::path& cache_dir);

}  // namespace dlaaw::queue
