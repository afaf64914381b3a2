// blob_store.cpp - content-addressed dataset transfer through Redis with a local cache.
#include "queue/blob_store.h"

#include <unistd.h>

#include <fstream>
#include <functional>
#include <thread>

#include "common/errors.h"
#include "datasets/csv_reader.h"
#include "datasets/sha256.h"
#include "queue/artifact_store.h"
#include "queue/job_keys.h"

namespace dlaaw::queue {
namespace {

namespace fs = std::filesystem;

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
  if (!is_sha256_text(sha256))
    throw InvalidInput("job dataset_sha256: \"" + sha256.substr(0, 80) + "\" is not a sha256");
  if (!is_plain_file_name(file))
    throw InvalidInput("job dataset_file: \"" + file.substr(0, 80) +
                       "\" is not a plain file name (no directories allowed)");
  return cache_dir / sha256 / file;
}

// Keeps `bytes` at `path` for the next job, written under a name of this thread's own and renamed,
// so that a crash never leaves a partial file and two workers of one executor never write one
// file. A cache that cannot be written (disk full, permissions) costs a later fetch, not this job.
void write_cache_file(const fs::path& path, const std::string& bytes) {
  const fs::path tmp = path.string() + ".tmp" + std::to_string(getpid()) + "-" +
                       std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (!ec) {
    std::ofstream stream(tmp, std::ios::binary | std::ios::trunc);
    stream << bytes;
    if (stream.flush()) {
      stream.close();
      fs::rename(tmp, path, ec);
      if (!ec) return;
    }
  }
  fs::remove(tmp, ec);
}

}  // namespace

void put_blob(RedisClient& redis, const std::string& sha256, const std::string& bytes) {
  const std::string ttl = std::to_string(std::chrono::seconds(kBlobLifetime).count());
  // NX: a blob already there is not sent again, but its lifetime starts over. GT: an artifact
  // with the same bytes (stored for good, queue/artifact_store.h) is not given a lifetime.
  const auto replies = redis.pipeline({{"SET", keys::blob(sha256), bytes, "NX", "EX", ttl},
                                       {"EXPIRE", keys::blob(sha256), ttl, "GT"}});
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
  write_cache_file(out.path, out.bytes);
  return out;
}

}  // namespace dlaaw::queue
