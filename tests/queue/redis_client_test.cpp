// redis_client_test.cpp - URLs, commands, pipelines, scripts and failures against a real server.
#include "queue/redis_client.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "../common/redis_server.h"
#include "common/errors.h"
#include "queue/redis_endpoint.h"

namespace dlaaw::queue {
namespace {

TEST(RedisEndpointTest, ParsesEveryPart) {
  const auto e = parse_redis_url("redis://:s3cret@10.0.0.5:6380/2");
  EXPECT_EQ(e.host, "10.0.0.5");
  EXPECT_EQ(e.port, 6380);
  EXPECT_EQ(e.password, "s3cret");
  EXPECT_EQ(e.db, 2);
  const auto d = parse_redis_url("redis://localhost");
  EXPECT_EQ(d.host, "localhost");
  EXPECT_EQ(d.port, 6379);
  EXPECT_EQ(d.db, 0);
}

TEST(RedisEndpointTest, NamesWhatIsWrong) {
  EXPECT_THROW(parse_redis_url("http://host:1"), InvalidInput);
  try {
    parse_redis_url("redis://host:65x");
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("port \"65x\""), std::string::npos) << e.what();
  }
}

TEST(RedisEndpointTest, ReadsTheAclUser) {
  const auto e = parse_redis_url("redis://alice:s3cret@10.0.0.5:6380");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.password, "s3cret");
  EXPECT_EQ(parse_redis_url("redis://:s3cret@h").user, "");
}

TEST(RedisEndpointTest, MasksThePasswordEverywhere) {
  EXPECT_EQ(mask_redis_url("redis://alice:s3cret@h:1/2"), "redis://alice:***@h:1/2");
  EXPECT_EQ(mask_redis_url("redis://:s3cret@h:1"), "redis://:***@h:1");
  EXPECT_EQ(mask_redis_url("redis://s3cret@h:1"), "redis://***@h:1");
  EXPECT_EQ(mask_redis_url("redis://h:1"), "redis://h:1");
  try {
    parse_redis_url("redis://:s3cret@h:65x");
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
  }
}

std::size_t open_descriptors() {
  return static_cast<std::size_t>(std::distance(
      std::filesystem::directory_iterator("/proc/self/fd"), std::filesystem::directory_iterator()));
}

TEST(RedisClientTest, ARefusedConnectionClosesItsSocket) {
  testing::RedisServer server("right");
  RedisEndpoint wrong = server.endpoint();
  wrong.password = "wrong";
  RedisEndpoint no_password = server.endpoint();
  no_password.password = "";  // NOAUTH at PING
  const std::size_t before = open_descriptors();
  for (int i = 0; i < 100; ++i) {
    EXPECT_THROW(RedisClient redis(wrong), ServiceUnavailable);
    EXPECT_THROW(RedisClient redis(no_password), ServiceUnavailable);
  }
  // Used to leak one socket per refused connection (200 here).
  EXPECT_LE(open_descriptors(), before + 2);
}

TEST(RedisClientTest, AuthenticatesAsAnAclUser) {
  testing::RedisServer server("right");
  RedisClient admin(server.endpoint());
  throw_if_error(admin.command({"ACL", "SETUSER", "alice", "on", ">alicepw", "~*", "&*", "+@all"}),
                 "ACL SETUSER");
  RedisEndpoint alice = server.endpoint();
  alice.user = "alice";
  alice.password = "alicepw";
  RedisClient as_alice(alice);
  EXPECT_EQ(as_alice.command({"ACL", "WHOAMI"}).text, "alice");
  alice.password = "right";  // the default user's password is not alice's
  EXPECT_THROW(RedisClient redis(alice), ServiceUnavailable);
}

TEST(RedisClientTest, CommandsPipelinesAndScripts) {
  testing::RedisServer server;
  RedisClient redis(server.endpoint());
  EXPECT_EQ(redis.command({"SET", "k", std::string("a\0b", 3)}).text, "OK");
  EXPECT_EQ(redis.command({"GET", "k"}).text, std::string("a\0b", 3)) << "binary-safe values";
  EXPECT_TRUE(redis.command({"GET", "missing"}).is_nil());
  const auto replies = redis.pipeline({{"INCR", "n"}, {"INCR", "n"}, {"INCR", "n"}});
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[2].integer, 3);
  const LuaScript twice{"twice", "return tonumber(ARGV[1]) * 2"};
  EXPECT_EQ(redis.eval(twice, {}, {"21"}).integer, 42);
  redis.command({"SCRIPT", "FLUSH"});  // the server forgets; the client loads it again
  EXPECT_EQ(redis.eval(twice, {}, {"5"}).integer, 10);
  EXPECT_TRUE(redis.command({"NOSUCHCOMMAND"}).is_error());
}

TEST(RedisClientTest, ReconnectsAfterTheServerRestarts) {
  testing::RedisServer server;
  RedisClient redis(server.endpoint());
  redis.command({"SET", "kept", "1"});
  server.restart();
  EXPECT_EQ(redis.command({"GET", "kept"}).text, "1")
      << "append-only data survives, client reconnects";
}

TEST(RedisClientTest, WrongPasswordAndUnreachableServerAreServiceUnavailable) {
  testing::RedisServer server("right");
  RedisEndpoint wrong = server.endpoint();
  wrong.password = "wrong";
  try {
    RedisClient redis(wrong);
    FAIL() << "a wrong password was accepted";
  } catch (const ServiceUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("refused the password"), std::string::npos) << e.what();
  }
  RedisEndpoint nobody;
  nobody.port = testing::free_loopback_port();
  EXPECT_THROW(RedisClient redis(nobody), ServiceUnavailable);
  EXPECT_NO_THROW(RedisClient redis(server.endpoint()));
}

}  // namespace
}  // namespace dlaaw::queue
