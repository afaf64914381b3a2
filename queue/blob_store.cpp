// blob_store.cpp - content-addressed dataset transfer through Redis with a local cache.
#include "queue/blob_store.h"

#include <unistd.h>
#include <fstream>

#include "common/errors.h"
#include "datasets/csv_reader.h"
#include "datasets/sha256.h"
#include "queue/job_keys.h"

namespace dlaaw::queue {

namespace fs = std::filesystem;

std::string put_blob(RedisClient& redis, const std::string& bytes) {
  const std::string sha = datasets::sha256_hex(bytes);
  throw_if_error(redis.command({"SET", keys::blob(sha), bytes, "NX"}), "storing a dataset blob");
  return sha;
}

fs::path fetch_blob(RedisClient& redis, const std::string& sha256, const std::string& file,
                    const fs::path& cache_dir) {
  const fs::path dir = cache_dir / sha256;
  const fs::path target = dir / file;
  if (fs::is_regular_file(target) &&
      datasets::sha256_hex(datasets::read_file(target.string())) == sha256) {
    return dir;
  }
  const RedisReply blob = redis.command({"GET", keys::blob(sha256)});
  if (blob.is_nil())
    throw JobFailed("dataset blob " + sha256 + " is not in redis (was it deleted?)");
  if (datasets::sha256_hex(blob.text) != sha256)
    throw JobFailed("dataset blob " + sha256 + " is corrupt");
  fs::create_directories(target.parent_path());
  // Written under a temporary name and renamed, so a crash never leaves a partial file behind.
  const fs::path tmp = target.string() + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << blob.text;
    if (!out.flush()) throw JobFailed("cannot write the dataset cache " + tmp.string());
  }
  fs::rename(tmp, target);
  return dir;
}

}  // namespace dlaaw::queue
