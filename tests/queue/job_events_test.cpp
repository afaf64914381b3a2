// job_events_test.cpp - the event codec: every event round-trips, every malformed one is a
// BadEvent naming its field.
#include "queue/job_events.h"

#include <cmath>

#include <gtest/gtest.h>

#include "common/utf8.h"

namespace dlaaw::queue {
namespace {

StreamFields fields_of(const JobEvent& e) {
  StreamFields out;
  for (const auto& [k, v] : encode_event(e)) out[k] = v;
  return out;
}

std::string error_of(const StreamFields& f) {
  try {
    decode_event(f);
  } catch (const BadEvent& e) {
    return e.what();
  }
  return "(no error)";
}

StreamFields progress_fields() {
  return fields_of(ProgressEvent{{"j1", 2, "7", "ex-1", 1700000000000}, 1, 3, 250, 1000, 0.4213});
}

TEST(JobEventsTest, EveryKindRoundTrips) {
  const ProgressEvent progress{{"j1", 2, "7", "ex-1", 1700000000000}, 1, 3, 250, 1000, 0.123456789};
  EXPECT_EQ(std::get<ProgressEvent>(decode_event(fields_of(progress))), progress);
  StateEvent state;
  state.header = {"j1", 2, "1", "ex-1", 1700000000001};
  state.state = JobState::Executing;
  state.backend = "cuda";
  state.queued_at_ms = 1699999999000;
  state.experiment = "table1";
  EXPECT_EQ(std::get<StateEvent>(decode_event(fields_of(state))), state);
  StateEvent lost;
  lost.header = {"j1", 1, "lost", "ex-0", std::nullopt};
  lost.state = JobState::Lost;
  lost.error = "lease expired";
  EXPECT_EQ(std::get<StateEvent>(decode_event(fields_of(lost))), lost);
  const ResultEvent result{{"j1", 2, "9", "ex-1", 5}, R"({"schema": "dlaaw/result@1"})"};
  EXPECT_EQ(std::get<ResultEvent>(decode_event(fields_of(result))), result);
  EXPECT_EQ(header_of(result).seq, "9");
}

// Every text field comes out as valid UTF-8: an error of "\xff" stored as it came made every JSON
// page that listed its run fail (nlohmann's dump throws on invalid UTF-8).
TEST(JobEventsTest, TextFieldsAreMadeValidUtf8) {
  StateEvent state;
  state.header = {"j1", 1, "1", "ex-\xff", 5};
  state.state = JobState::Error;
  state.error = std::string("caf\xc3\xa9 \xff cut \xe2\x82");  // é kept, a stray and a cut one
  const auto decoded = std::get<StateEvent>(decode_event(fields_of(state)));
  EXPECT_EQ(decoded.error, "caf\xc3\xa9 \xef\xbf\xbd cut \xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(decoded.header.executor, "ex-\xef\xbf\xbd");
  EXPECT_EQ(valid_utf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a surrogate
  EXPECT_EQ(valid_utf8("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");                  // an overlong '/'
  EXPECT_EQ(valid_utf8("\xf0\x9f\x98\x80 ok"), "\xf0\x9f\x98\x80 ok");
}

// A pipeline task that is no run (a dataset task's result) says so; older events, without the
// field, are runs.
TEST(JobEventsTest, AJobThatIsNoRunSaysSo) {
  ResultEvent output{{"j2", 1, "3", "ex-1", 5}, R"({"schema": "dlaaw/prepared@1"})"};
  output.header.run = false;
  EXPECT_EQ(fields_of(output).at("run"), "0");
  EXPECT_FALSE(header_of(decode_event(fields_of(output))).run);
  const auto progress = progress_fields();
  EXPECT_EQ(progress.count("run"), 0u);
  EXPECT_TRUE(header_of(decode_event(progress)).run);
  auto bad = progress;
  bad["run"] = "no";
  EXPECT_EQ(error_of(bad), "event field run: \"no\" is not 0 or 1");
}

TEST(JobEventsTest, ALossThatDivergedStaysNotANumber) {
  const ProgressEvent diverged{{"j1", 1, "3", "ex", std::nullopt}, 0, 1, 3, 10, std::nan("")};
  EXPECT_TRUE(std::isnan(std::get<ProgressEvent>(decode_event(fields_of(diverged))).loss));
}

TEST(JobEventsTest, UnknownExtraFieldsAreIgnored) {
  auto f = progress_fields();
  f["gpu_temperature"] = "71";
  EXPECT_EQ(error_of(f), "(no error)");
}

TEST(JobEventsTest, EachMalformedFieldIsNamed) {
  const auto with = [](const std::string& key, const std::string& value) {
    auto f = progress_fields();
    f[key] = value;
    return f;
  };
  const auto without = [](const std::string& key) {
    auto f = progress_fields();
    f.erase(key);
    return f;
  };
  EXPECT_EQ(error_of(without("type")), "event field type: missing");
  EXPECT_EQ(error_of(with("type", "telemetry")),
            "event field type: unknown type \"telemetry\" (expected progress, state or result)");
  EXPECT_EQ(error_of(without("job")), "event field job: missing");
  EXPECT_EQ(error_of(with("job", "")), "event field job: empty");
  EXPECT_EQ(error_of(with("attempt", "two")), "event field attempt: \"two\" is not an integer");
  EXPECT_EQ(error_of(with("attempt", "-1")), "event field attempt: -1 is out of range");
  EXPECT_EQ(error_of(with("attempt", "99999999999")),
            "event field attempt: 99999999999 is out of range");
  EXPECT_EQ(error_of(without("seq")), "event field seq: missing");
  EXPECT_EQ(error_of(with("time", "noon")), "event field time: \"noon\" is not an integer");
  EXPECT_EQ(error_of(with("epoch", "5x")), "event field epoch: \"5x\" is not an integer");
  EXPECT_EQ(error_of(with("epoch", "1001")), "event field epoch: 1001 is out of range");
  EXPECT_EQ(error_of(with("fold", "3")), "event field fold: 3 is out of range");
  EXPECT_EQ(error_of(without("epochs")), "event field epochs: missing");
  EXPECT_EQ(error_of(with("loss", "")), "event field loss: \"\" is not a number");
  EXPECT_EQ(error_of(with("loss", "0.5 ")), "event field loss: \"0.5 \" is not a number");
  StreamFields state = {{"type", "state"}, {"job", "j"}, {"attempt", "1"}, {"seq", "1"}};
  EXPECT_EQ(error_of(state), "event field state: missing");
  state["state"] = "done";
  EXPECT_EQ(error_of(state), "event field state: unknown state \"done\"");
  state["state"] = "executing";
  state["queued_at"] = "soon";
  EXPECT_EQ(error_of(state), "event field queued_at: \"soon\" is not an integer");
  const StreamFields result = {{"type", "result"}, {"job", "j"}, {"attempt", "1"}, {"seq", "1"}};
  EXPECT_EQ(error_of(result), "event field result: missing");
}

}  // namespace
}  // namespace dlaaw::queue
