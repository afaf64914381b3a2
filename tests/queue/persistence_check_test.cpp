// persistence_check_test.cpp - the warning about a Redis that forgets everything on restart.
#include "queue/persistence_check.h"

#include <gtest/gtest.h>

#include "../common/redis_server.h"

namespace dlaaw::queue {
namespace {

TEST(PersistenceCheckTest, WarnsOnlyWithoutAppendOnly) {
  testing::RedisServer server;  // started with appendonly yes
  RedisClient redis(server.endpoint());
  EXPECT_FALSE(persistence_warning(redis));
  redis.command({"CONFIG", "SET", "appendonly", "no"});
  redis.command({"CONFIG", "SET", "save", ""});
  const auto warning = persistence_warning(redis);
  ASSERT_TRUE(warning);
  EXPECT_NE(warning->find("does not persist (appendonly no, no snapshots)"), std::string::npos)
      << *warning;
  EXPECT_NE(warning->find("--appendonly yes"), std::string::npos) << *warning;
  // With RDB snapshots only what changed since the last one is at risk, and the warning says so.
  redis.command({"CONFIG", "SET", "save", "3600 1"});
  const auto snapshots = persistence_warning(redis);
  ASSERT_TRUE(snapshots);
  EXPECT_NE(snapshots->find("keeps only snapshots (appendonly no, save \"3600 1\")"),
            std::string::npos)
      << *snapshots;
  EXPECT_NE(snapshots->find("since the last snapshot"), std::string::npos) << *snapshots;
  throw_if_error(
      redis.command({"ACL", "SETUSER", "nocfg", "on", ">pw", "~*", "&*", "+@all", "-config"}),
      "ACL SETUSER");
  RedisEndpoint limited = server.endpoint();
  limited.user = "nocfg";
  limited.password = "pw";
  RedisClient restricted(limited);
  EXPECT_FALSE(persistence_warning(restricted)) << "a user without CONFIG gets no false alarm";
}

}  // namespace
}  // namespace dlaaw::queue
