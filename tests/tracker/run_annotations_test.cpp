// run_annotations_test.cpp - tags, notes, archiving, deleting and exporting runs on real runs.
#include "tracker/run_annotations.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "tracker/run_export.h"
#include "tracker/run_lifecycle.h"
#include "tracker/run_queries.h"
#include "tracker_fixture.h"

namespace dlaaw::tracker {
namespace {

using nlohmann::json;

class RunAnnotationsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Real runs are slow to make; the tests copy one set into each test's database.
    for (int seed = 1; seed <= 4; ++seed) results_.push_back(synthetic_result(2, false, seed, 5));
  }
  void SetUp() override {
    RunStore store(db_);
    for (std::size_t i = 0; i < results_.size(); ++i)
      store.record_result("job" + std::to_string(i), 1, results_[i], std::string("exp"));
  }
  std::int64_t count(const std::string& sql) {
    auto st = db_.prepare(sql);
    st.step();
    return st.integer(0);
  }
  json runs(const RunFilter& f = {}) { return list_runs(db_, f); }

  static inline std::vector<results::RunResult> results_;
  testing::TempDir dir_;
  SqliteDb db_{(dir_.path() / "t.db").string()};
};

TEST_F(RunAnnotationsTest, TagsAreSetReplacedRemovedAndFilterTheList) {
  tag_run(db_, 1, {{"stage", "baseline"}, {"owner", "ana"}});
  tag_run(db_, 2, {{"stage", "tuned"}});
  tag_run(db_, 1, {{"stage", "final"}});  // a key holds one value: the new one replaces it
  EXPECT_EQ(run_record(db_, 1)["tags"], json({{"owner", "ana"}, {"stage", "final"}}));
  RunFilter f;
  f.tags = {{"stage", std::nullopt}};
  EXPECT_EQ(count_runs(db_, f), 2);
  f.tags = {{"stage", "final"}, {"owner", "ana"}};
  const json rows = runs(f);
  ASSERT_EQ(rows.size(), 1u) << rows.dump();
  EXPECT_EQ(rows[0]["id"], 1);
  EXPECT_EQ(rows[0]["tags"]["owner"], "ana");
  EXPECT_EQ(untag_run(db_, 1, {"owner", "absent"}), 1);
  EXPECT_EQ(run_record(db_, 1)["tags"], json({{"stage", "final"}}));
  EXPECT_EQ(runs()[0]["tags"], json::object()) << "untagged runs list {}";
}

TEST_F(RunAnnotationsTest, BadTagsAndUnknownRunsAreRefusedAndChangeNothing) {
  EXPECT_THROW(parse_tag("novalue", "tag"), InvalidInput);
  EXPECT_THROW(parse_tag("=v", "tag"), InvalidInput);
  EXPECT_THROW(parse_tag("bad key=v", "tag"), InvalidInput);
  EXPECT_THROW(parse_tag("k=" + std::string(300, 'x'), "tag"), InvalidInput);
  EXPECT_THROW(parse_tag("k=a\x01z", "tag"), InvalidInput);
  try {
    parse_tag("bad key=v", "tag");
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("bad key"), std::string::npos) << e.what();
  }
  EXPECT_EQ(parse_tag("a.b/c:d-e_f=x=y", "tag").value, "x=y") << "the first = splits";
  EXPECT_THROW(tag_run(db_, 99, {{"k", "v"}}), NotFound);
  EXPECT_THROW(note_run(db_, 99, "x"), NotFound);
  EXPECT_THROW(note_run(db_, 1, std::string(10001, 'n')), InvalidInput);
  // Not UTF-8 (Latin-1 bytes): stored, it made every JSON page that lists the run fail.
  EXPECT_THROW(parse_tag("k=Gr\xf6\xdf"
                         "e",
                         "tag"),
               InvalidInput);
  EXPECT_THROW(note_run(db_, 1, "caf\xe9"), InvalidInput);
  EXPECT_EQ(parse_tag("k=Gr\xc3\xb6\xc3\x9f"
                      "e",
                      "tag")
                .value,
            "Gr\xc3\xb6\xc3\x9f"
            "e");
  EXPECT_EQ(count("SELECT COUNT(*) FROM run_tags"), 0);
  EXPECT_TRUE(run_record(db_, 1)["note"].is_null());
}

TEST_F(RunAnnotationsTest, NotesOnRunsAndExperimentsShowInListsAndClear) {
  note_run(db_, 3, "lr too high?\nrerun with 0.05");
  EXPECT_EQ(run_record(db_, 3)["note"], "lr too high?\nrerun with 0.05");
  note_experiment(db_, "exp", "Figure 2, second try");
  tag_experiment(db_, "exp", {{"paper", "fig2"}});
  const json e = list_experiments(db_)[0];
  EXPECT_EQ(e["note"], "Figure 2, second try");
  EXPECT_EQ(e["tags"]["paper"], "fig2");
  EXPECT_EQ(list_experiments(db_, {{"paper", "fig3"}}).size(), 0u);
  EXPECT_EQ(experiment_runs(db_, "exp").first["note"], "Figure 2, second try");
  note_run(db_, 3, "");
  EXPECT_TRUE(run_record(db_, 3)["note"].is_null());
  EXPECT_THROW(note_experiment(db_, "nope", "x"), NotFound);
}

TEST_F(RunAnnotationsTest, ArchivedRunsAreHiddenUnlessAskedForAndComeBack) {
  EXPECT_EQ(archive_runs(db_, {1, 2}), 2);
  EXPECT_EQ(archive_runs(db_, {2}), 0) << "already archived";
  EXPECT_EQ(count_runs(db_, {}), 2);
  RunFilter only;
  only.archived = ArchivedRuns::Only;
  EXPECT_EQ(matching_run_ids(db_, only), (std::vector<std::int64_t>{1, 2}));
  RunFilter all;
  all.archived = ArchivedRuns::Included;
  EXPECT_EQ(count_runs(db_, all), 4);
  EXPECT_TRUE(runs(all)[2]["archived"].get<bool>()) << runs(all).dump();
  EXPECT_EQ(experiment_runs(db_, "exp").second, (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(list_experiments(db_)[0]["archived"], 2);
  EXPECT_EQ(restore_runs(db_, {1, 2, 3}), 2);
  EXPECT_EQ(count_runs(db_, {}), 4);
  EXPECT_THROW(require_runs(db_, {1, 77}), NotFound);
}

TEST_F(RunAnnotationsTest, DeleteRemovesEverythingOfTheRunsAndShrinksTheFile) {
  tag_run(db_, 1, {{"k", "v"}});
  const auto first = delete_runs(db_, {1, 2, 3});
  EXPECT_EQ(first.deleted, 3);
  EXPECT_EQ(first.reclaimed_by, "VACUUM") << "the first delete switches to incremental mode";
  EXPECT_LT(first.bytes_after, first.bytes_before);
  for (const char* table : {"metrics", "losses", "timings", "artifacts", "run_tags"}) {
    EXPECT_EQ(count(std::string("SELECT COUNT(*) FROM ") + table + " WHERE run_id IN (1, 2, 3)"), 0)
        << table;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM runs"), 1);
  EXPECT_GT(count("SELECT COUNT(*) FROM artifacts WHERE run_id = 4"), 0) << "run 4 kept";
  const auto second = delete_runs(db_, {4, 99});
  EXPECT_EQ(second.deleted, 1) << "an unknown id is skipped";
  EXPECT_EQ(second.reclaimed_by, "incremental vacuum");
  EXPECT_LE(second.bytes_after, second.bytes_before);
}

TEST_F(RunAnnotationsTest, CsvQuotesTextAndDefusesFormulas) {
  tag_run(db_, 1, {{"k", "a,b"}});
  note_run(db_, 1, "=HYPERLINK(\"x\")");
  RunFilter f;
  f.sort = "id";
  f.descending = false;
  const std::string csv = runs_csv(runs(f));
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "id,experiment,workflow,dataset,resource,backend,state,accuracy,auc,train_ms,"
            "energy_j,started_at,finished_at,tags,note,archived");
  EXPECT_NE(csv.find(",\"k=a,b\",\"'=HYPERLINK(\"\"x\"\")\",false\n"), std::string::npos) << csv;
  const std::string p = predictions_csv(artifact(db_, 1, "predictions"));
  EXPECT_EQ(p.substr(0, 21), "fold,row,label,score\n");
  EXPECT_EQ(std::count(p.begin(), p.end(), '\n'), 1 + 150) << "600 rows, a quarter tested";
  EXPECT_THROW(predictions_csv(json::object()), InvalidInput);
}

TEST_F(RunAnnotationsTest, EnergyFromTheResultIsStoredAndCompared) {
  auto r = results_[0];
  r.energy = results::EnergyRecord{12.5, "rapl", ""};
  RunStore(db_).record_result("energy", 1, r, std::string("exp"));
  const json rec = run_record(db_, 5);
  EXPECT_EQ(rec["energy"], json({{"joules", 12.5}, {"source", "rapl"}, {"power_mode", nullptr}}));
  EXPECT_TRUE(run_record(db_, 1)["energy"].is_null());
  EXPECT_EQ(runs()[0]["energy_j"], 12.5);
  EXPECT_EQ(compare_runs(db_, {1, 5})["runs"][1]["energy"]["joules"], 12.5);
}

}  // namespace
}  // namespace dlaaw::tracker
