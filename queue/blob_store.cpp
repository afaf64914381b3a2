// blob_store.cpp - content-addressed dataset transfer through Redis with a local cache.
#include "queue/blob_store.h"

#include <unistd.h>

#include <fstream>

#include "common/errors.h"
#include "datasets/csv_reader.h"
#include "datasets/sha256.h"
#include "queue/job_keys.h"

namespace dlaaw::queue {
namespace {

namespace fs = std::filesystem;

bool is_sha256_hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A plain file name: no directory part, not "." or "..", no NUL, at most 255 bytes. A job's
// dataset_file comes from Redis and is untrusted; anything else is refused, not tidied up, so that
// a hostile job fails loudly instead of writing somewhere a reader did not expect.
bool is_plain_file_name(const std::string& name) {
  return !name.empty() && name.size() <= 255 && name != "." && name != ".." &&
         name.find('/') == std::string::npos && name.find('\\') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

// Where the blob lives in the cache: a directory per hash and the file's own name, so that no
// value from Redis can point outside cache_dir.
fs::path cache_path(const fs::path& cache_dir, const std::string& sha256, const std::string& file) {
  if (!is_sha256_hex(sha256))
    throw InvalidInput("job dataset_sha256: \"" + sha256.substr(0, 80) + "\" is not a sha256");
  if (!is_plain_file_name(file))
    throw InvalidInput("job dataset_file: \"" + file.substr(0, 80) +
                       "\" is not a plain file name (no directories allowed)");
  return cache_dir / sha256 / file;
}

}  // namespace

void put_blob(RedisClient& redis, const std::string& sha256, const std::string& bytes) {
  const std::string ttl = std::to_string(std::chrono::seconds(kBlobLifetime).count());
  // NX: a blob already there is not sent again, but its lifetime starts over.
  const auto replies = redis.pipeline(
      {{"SET", keys::blob(sha256), bytes, "NX", "EX", ttl}, {"EXPIRE", keys::blob(sha256), ttl}});
  for (const auto& r : replies) throw_if_error(r, "storing a dataset blob");
}

datasets::DatasetFile fetch_blob(RedisClient& redis, const std::string& sha256,
                                 const std::string& file, const fs::path& cache_dir) {
  datasets::DatasetFile out{cache_path(cache_dir, sha256, file), "", sha256};
  if (fs::is_regular_file(out.path)) {
    out.bytes = datasets::read_file(out.path.string());
    if (datasets::sha256_hex(out.bytes) == sha256) return out;
  }
  RedisReply blob = redis.command({"GET", keys::blob(sha256)});
  if (blob.is_nil())
    throw JobFailed("dataset blob " + sha256 + " is not in redis (was it deleted?)");
  out.bytes = std::move(blob.text);
  if (datasets::sha256_hex(out.bytes) != sha256)
    throw JobFailed("dataset blob " + sha256 + " is corrupt");
  fs::create_directories(out.path.parent_path());
  // Written under a temporary name and renamed, so a crash never leaves a partial file behind.
  const fs::path tmp = out.path.string() + ".tmp" + std::to_string(getpid());
  {
    std::ofstream stream(tmp, std::ios::binary | std::ios::trunc);
    stream << out.bytes;
    if (!stream.flush()) throw JobFailed("cannot write the dataset cache " + tmp.string());
  }
  fs::rename(tmp, out.path);
  return out;
}

}  // namespace dlaaw::queue
