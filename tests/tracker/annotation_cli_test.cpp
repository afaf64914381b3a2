// annotation_cli_test.cpp - `dlaaw tag`, `dlaaw note` and `dlaaw runs archive|restore|delete` as a
// user runs them: exit codes, counts, dry runs, and bad input that changes nothing.
#include <gtest/gtest.h>

#include "../common/dlaaw_cli.h"
#include "tracker/run_queries.h"
#include "tracker_fixture.h"

namespace dlaaw::tracker {
namespace {

using nlohmann::json;
using testing::run_dlaaw;

class AnnotationCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteDb db(db_);
    RunStore store(db);
    const auto r = synthetic_result(2, false, 1, 3);
    for (int i = 0; i < 4; ++i)
      store.record_result(std::to_string(i), 1, r, std::string(i < 3 ? "sweep" : "other"));
  }
  testing::CliOutcome dlaaw(const std::string& args) {
    return run_dlaaw(dir_.path(), args + " --db " + db_);
  }
  json runs(const std::string& args = "") {
    const auto r = dlaaw("runs --format json " + args);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return json::parse(r.output);
  }

  testing::TempDir dir_;
  std::string db_ = (dir_.path() / "t.db").string();
};

TEST_F(AnnotationCliTest, TagAndNoteShowInRunsAndFilterIt) {
  auto r = dlaaw("tag 2 stage=tuned owner=ana");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("run 2: 2 tag(s) set"), std::string::npos) << r.output;
  ASSERT_EQ(dlaaw("note 2 'lr 0.1 diverged'").exit_code, 0);
  const json tagged = runs("--tag stage=tuned");
  ASSERT_EQ(tagged.size(), 1u);
  EXPECT_EQ(tagged[0]["tags"]["owner"], "ana");
  EXPECT_EQ(tagged[0]["note"], "lr 0.1 diverged");
  const auto csv = dlaaw("runs --format csv --tag owner");
  EXPECT_NE(csv.output.find(",owner=ana;stage=tuned,lr 0.1 diverged,false\n"), std::string::npos)
      << csv.output;
  ASSERT_EQ(dlaaw("tag 2 --remove owner").exit_code, 0);
  EXPECT_EQ(runs("--tag owner").size(), 0u);
  ASSERT_EQ(dlaaw("tag sweep --experiment paper=fig2").exit_code, 0);
  ASSERT_EQ(dlaaw("note sweep --experiment 'second try'").exit_code, 0);
  SqliteDb db(db_, SqliteDb::Mode::ReadOnly);
  EXPECT_EQ(list_experiments(db, {{"paper", "fig2"}})[0]["note"], "second try");
}

TEST_F(AnnotationCliTest, BadTagsAndUnknownRunsExitTwoAndChangeNothing) {
  for (const char* args : {"tag 2 novalue", "tag 2 'bad key=v'", "tag 99 k=v", "tag x k=v",
                           "note 99 hi", "tag nope --experiment k=v", "tag 2"}) {
    const auto r = dlaaw(args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.output;
    EXPECT_NE(r.output.find("dlaaw: error:"), std::string::npos) << args << ": " << r.output;
  }
  EXPECT_EQ(runs("--tag k").size(), 0u);
  const auto missing = run_dlaaw(dir_.path(), "tag 1 k=v --db absent.db");
  EXPECT_EQ(missing.exit_code, 3) << missing.output;
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "absent.db")) << "an edit creates nothing";
}

TEST_F(AnnotationCliTest, ArchiveRestoreAndDeleteByIdOrFilterWithADryRun) {
  auto dry = dlaaw("runs archive --experiment sweep --dry-run");
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("would archive 3 run(s): 1 2 3"), std::string::npos) << dry.output;
  EXPECT_EQ(runs().size(), 4u) << "a dry run changes nothing";
  auto archived = dlaaw("runs archive --experiment sweep");
  EXPECT_NE(archived.output.find("archived 3 run(s)"), std::string::npos) << archived.output;
  EXPECT_EQ(runs().size(), 1u) << "archived runs are hidden by default";
  EXPECT_EQ(runs("--archived include").size(), 4u);
  EXPECT_NE(dlaaw("runs restore 1").output.find("restored 1 run(s)"), std::string::npos);
  EXPECT_EQ(runs().size(), 2u);
  auto del = dlaaw("runs delete --archived only");
  ASSERT_EQ(del.exit_code, 0) << del.output;
  EXPECT_NE(del.output.find("deleted 2 run(s)"), std::string::npos) << del.output;
  EXPECT_NE(del.output.find("(VACUUM)"), std::string::npos) << del.output;
  EXPECT_EQ(runs("--archived include").size(), 2u);
  EXPECT_EQ(dlaaw("runs delete").exit_code, 2) << "nothing is selected by default";
  EXPECT_EQ(dlaaw("runs delete 1 77").exit_code, 2) << "an unknown id refuses the lot";
  EXPECT_EQ(dlaaw("runs delete 1 --experiment sweep").exit_code, 2);
  EXPECT_EQ(runs("--archived include").size(), 2u);
}

}  // namespace
}  // namespace dlaaw::tracker
