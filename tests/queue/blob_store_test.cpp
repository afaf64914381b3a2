// blob_store_test.cpp - blob transfer: a job's file name from Redis never names a path.
#include "queue/blob_store.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "../common/redis_server.h"
#include "../common/temp_dir.h"
#include "common/errors.h"
#include "datasets/sha256.h"
#include "queue/artifact_store.h"

namespace dlaaw::queue {
namespace {

class BlobStoreTest : public ::testing::Test {
 protected:
  BlobStoreTest() : redis_(server_.endpoint()) { put_blob(redis_, sha_, bytes_); }

  std::string error_of(const std::string& file) {
    try {
      fetch_blob(redis_, sha_, file, cache_.path() / "a" / "cache");
    } catch (const InvalidInput& e) {
      return e.what();
    }
    return "";
  }

  testing::RedisServer server_;
  RedisClient redis_;
  testing::TempDir cache_;
  const std::string bytes_ = "a,y\n1,0\n2,1\n";
  const std::string sha_ = datasets::sha256_hex(bytes_);
};

TEST_F(BlobStoreTest, CachesUnderTheHashWithThePlainName) {
  const auto file = fetch_blob(redis_, sha_, "points.csv", cache_.path());
  EXPECT_EQ(file.path, cache_.path() / sha_ / "points.csv");
  EXPECT_EQ(file.bytes, bytes_);
}

TEST_F(BlobStoreTest, ACacheThatCannotBeWrittenStillGivesTheBytesAndLeavesNoTemporaryFile) {
  // A regular file where the hash's folder should be: the cache cannot be written. The blob came
  // from Redis intact, so the job goes on; it used to fail with a filesystem error.
  cache_.write(sha_, "not a folder");
  const auto file = fetch_blob(redis_, sha_, "points.csv", cache_.path());
  EXPECT_EQ(file.bytes, bytes_);
  for (const auto& entry : std::filesystem::directory_iterator(cache_.path()))
    EXPECT_EQ(entry.path().filename(), sha_) << "left behind: " << entry.path();
}

TEST_F(BlobStoreTest, RefusesAFileNameWithDirectories) {
  for (const std::string bad : {"../../x.csv", "/tmp/x.csv", "sub/x.csv", "..", ".", ""}) {
    EXPECT_NE(error_of(bad).find("job dataset_file: \"" + bad + "\" is not a plain file name"),
              std::string::npos)
        << bad << ": " << error_of(bad);
  }
  EXPECT_FALSE(std::filesystem::exists(cache_.path() / "x.csv"));
  EXPECT_FALSE(std::filesystem::exists(cache_.path() / "a" / "x.csv"));
}

TEST_F(BlobStoreTest, BlobsExpireAWeekAfterTheirLastSubmit) {
  // Used to be kept forever: every dataset ever submitted stayed in Redis' memory.
  const auto ttl = redis_.command({"TTL", "dlaaw:blob:" + sha_}).integer;
  EXPECT_GT(ttl, 7 * 24 * 3600 - 60);
  EXPECT_LE(ttl, 7 * 24 * 3600);
  redis_.command({"EXPIRE", "dlaaw:blob:" + sha_, "10"});
  put_blob(redis_, sha_, bytes_);
  EXPECT_GT(redis_.command({"TTL", "dlaaw:blob:" + sha_}).integer, 3600) << "restarted";
}

// Artifacts and dataset blobs share keys (both are addressed by their bytes): an artifact is kept
// for good whichever came first, and a blob alone still expires.
TEST_F(BlobStoreTest, AnArtifactWithTheSameBytesAsABlobIsKeptForGood) {
  const std::string key = "dlaaw:blob:" + sha_;
  EXPECT_EQ(put_artifact(redis_, bytes_), sha_);
  EXPECT_EQ(redis_.command({"TTL", key}).integer, -1) << "the blob's lifetime was lifted";
  put_blob(redis_, sha_, bytes_);
  EXPECT_EQ(redis_.command({"TTL", key}).integer, -1) << "a later blob does not shorten it";
  const std::string other = "b,y\n3,1\n";
  put_blob(redis_, datasets::sha256_hex(other), other);
  EXPECT_GT(redis_.command({"TTL", "dlaaw:blob:" + datasets::sha256_hex(other)}).integer, 0);
}

TEST_F(BlobStoreTest, RefusesAHashThatIsNotOne) {
  EXPECT_THROW(fetch_blob(redis_, "../" + sha_.substr(3), "x.csv", cache_.path()), InvalidInput);
}

}  // namespace
}  // namespace dlaaw::queue
