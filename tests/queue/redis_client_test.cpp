// redis_client_test.cpp - URLs, commands, pipelines, scripts and failures against a real server.
#include "queue/redis_client.h"

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
