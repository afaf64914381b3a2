// utc_time_test.cpp - instants as text in UTC, whatever the host's zone.
#include "common/utc_time.h"

#include <time.h>

#include <gtest/gtest.h>

#include "scoped_env.h"

namespace dlaaw {
namespace {

TEST(UtcTimeTest, BothFormsNameTheSameInstantInUtc) {
  constexpr std::int64_t kMs = 1795739730123;  // 2026-11-27 00:35:30.123 UTC
  {
    testing::ScopedEnv zone("TZ", "Asia/Kolkata");  // +05:30: a local time would show
    tzset();
    EXPECT_EQ(iso_utc(kMs), "2026-11-27T00:35:30.123Z");
    EXPECT_EQ(readable_utc(kMs), "2026-11-27 00:35:30 UTC");
  }
  tzset();
  EXPECT_EQ(iso_utc(7), "1970-01-01T00:00:00.007Z") << "milliseconds keep their leading zeros";
}

TEST(UtcTimeTest, InstantsBeforeTheEpochKeepAValidMillisecondPart) {
  EXPECT_EQ(iso_utc(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(readable_utc(-1500), "1969-12-31 23:59:58 UTC");
}

}  // namespace
}  // namespace dlaaw
