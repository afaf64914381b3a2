// run_store_test.cpp - events and results into SQLite, and every query on real runs.
#include "tracker/run_store.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "common/errors.h"
#include "tracker/run_queries.h"
#include "tracker/schema.h"
#include "tracker_fixture.h"

namespace dlaaw::tracker {
namespace {

using nlohmann::json;

class RunStoreTest : public ::testing::Test {
 protected:
  RunStoreTest() : db_((dir_.path() / "t.db").string()), store_(db_) {}

  std::int64_t count(const std::string& sql) {
    auto st = db_.prepare(sql);
    st.step();
    return st.integer(0);
  }
  bool apply(const queue::JobEvent& e) {
    Transaction t(db_);
    const bool applied = store_.apply_event(e);
    t.commit();
    return applied;
  }
  static queue::StateEvent executing(const std::string& job, int attempt, std::int64_t time,
                                     const std::string& experiment = "") {
    queue::StateEvent e;
    e.header = {job, attempt, "1", "ex", time};
    e.state = queue::JobState::Executing;
    e.experiment = experiment;
    return e;
  }

  testing::TempDir dir_;
  SqliteDb db_;
  RunStore store_;
};

TEST_F(RunStoreTest, AnEventIngestedTwiceChangesNothing) {
  const queue::ProgressEvent progress{{"j1", 1, "2", "ex", std::nullopt}, 0, 1, 5, 10, 0.5};
  EXPECT_TRUE(apply(progress));
  EXPECT_FALSE(apply(progress));
  EXPECT_EQ(count("SELECT COUNT(*) FROM losses"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM runs"), 1);
}

TEST_F(RunStoreTest, ANewAttemptMarksTheOldOneLost) {
  apply(executing("j1", 1, 1000));
  apply(executing("j1", 2, 2000));
  auto st = db_.prepare("SELECT attempt, state FROM runs ORDER BY attempt");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.text(1), "lost");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.text(1), "executing");
}

TEST_F(RunStoreTest, AResultEventFillsTheRun) {
  const auto result = synthetic_result(2, false, 1);
  apply(executing("j7", 1, 1000, "sweep"));
  apply(queue::ResultEvent{{"j7", 1, "9", "ex", 2000}, results::run_result_to_json(result).dump()});
  const json run = run_details(db_, 1);
  EXPECT_EQ(run["state"], "finished");
  EXPECT_EQ(run["experiment"], "sweep");
  EXPECT_DOUBLE_EQ(run["metrics"]["mean"]["accuracy"].get<double>(), *result.metrics.accuracy);
  EXPECT_EQ(run["losses"][0].size(), 20u);
  EXPECT_EQ(run["timings_ms"]["train"], result.timings.train);
}

TEST_F(RunStoreTest, ABadResultIsRefusedBeforeAnythingIsWritten) {
  auto bad = results::run_result_to_json(synthetic_result(2, false, 1));
  bad["folds"][0]["metrics"]["accuracy"] = "high";
  try {
    apply(queue::ResultEvent{{"j8", 1, "9", "ex", 2000}, bad.dump()});
    FAIL() << "a result with a text accuracy was stored";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(std::string(e.what()),
              "result.folds[0].metrics.accuracy: must be a number, got \"high\" (string)");
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM runs"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ingested_events"), 0);
}

TEST_F(RunStoreTest, EveryQueryOnRealRuns) {
  const auto a =
      store_.record_result("local-a", 1, synthetic_result(2, false, 1), std::string("exp1"));
  const auto b =
      store_.record_result("local-b", 1, synthetic_result(2, false, 2), std::string("exp1"));
  const auto c =
      store_.record_result("local-c", 1, synthetic_result(3, true, 3), std::string("exp2"));
  EXPECT_EQ(list_runs(db_, {}).size(), 3u);
  RunFilter by_experiment;
  by_experiment.experiment = "exp1";
  EXPECT_EQ(list_runs(db_, by_experiment).size(), 2u);
  EXPECT_EQ(count_runs(db_, by_experiment), 2);
  RunFilter by_state;
  by_state.state = "error";
  EXPECT_TRUE(list_runs(db_, by_state).empty());
  RunFilter sorted;
  sorted.sort = "accuracy";
  sorted.descending = false;
  const json rows = list_runs(db_, sorted);
  EXPECT_LE(rows[0]["accuracy"].get<double>(), rows[2]["accuracy"].get<double>());
  sorted.sort = "name; DROP TABLE runs";
  EXPECT_THROW(list_runs(db_, sorted), InvalidInput);

  const json kfold = run_details(db_, c);
  EXPECT_EQ(kfold["metrics"]["folds"].size(), 3u);
  EXPECT_TRUE(kfold["metrics"]["std"]["accuracy"].is_number());
  EXPECT_EQ(artifact(db_, c, "model").size(), 3u);
  EXPECT_EQ(trained_models(db_, c).size(), 3u) << "every stored model decodes";
  EXPECT_THROW(run_details(db_, 999), NotFound);

  const json cmp = compare_runs(db_, {a, b, c});
  EXPECT_TRUE(cmp["parameters_that_differ"].contains("training.seed")) << cmp.dump();
  EXPECT_TRUE(cmp["parameters_that_differ"].contains("plan.type"));
  EXPECT_EQ(cmp["runs"].size(), 3u);

  const json experiments = list_experiments(db_);
  EXPECT_EQ(experiments.size(), 2u);
}

TEST_F(RunStoreTest, ProvenanceLinksTheRightIds) {
  const auto id = store_.record_result("local-p", 1, synthetic_result(2, false, 4), std::nullopt);
  const json prov = json::parse(provenance(db_, id).dump());  // parses as JSON
  const std::string run = "dlaaw:run/" + std::to_string(id);
  ASSERT_TRUE(prov["activity"].contains(run));
  const std::string model = "dlaaw:model/" + std::to_string(id);
  ASSERT_TRUE(prov["entity"].contains(model));
  EXPECT_EQ(prov["wasGeneratedBy"]["_:generated-model"]["prov:entity"], model);
  EXPECT_EQ(prov["wasGeneratedBy"]["_:generated-model"]["prov:activity"], run);
  const std::string dataset = prov["used"]["_:used-dataset"]["prov:entity"];
  EXPECT_TRUE(prov["entity"].contains(dataset));
  EXPECT_EQ(prov["wasDerivedFrom"]["_:model-from-dataset"]["prov:usedEntity"], dataset);
  for (const auto& [k, assoc] : prov["wasAssociatedWith"].items()) {
    EXPECT_TRUE(prov["agent"].contains(assoc["prov:agent"].get<std::string>())) << k;
    EXPECT_EQ(assoc["prov:activity"], run);
  }
}

TEST_F(RunStoreTest, AReaderNeverSeesDatabaseIsLockedWhileTheWriterWrites) {
  const auto result = synthetic_result(2, false, 5, 5);
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::string reader_error;
  std::thread reader([&] {
    try {
      SqliteDb ro((dir_.path() / "t.db").string(), SqliteDb::Mode::ReadOnly);
      while (!done) {
        list_runs(ro, {});
        count_runs(ro, {});
        ++reads;
      }
    } catch (const std::exception& e) {
      reader_error = e.what();
    }
  });
  for (int i = 0; i < 200; ++i) {
    const std::string n = std::to_string(i);  // an lvalue: see -Wrestrict in CMakeLists.txt
    store_.record_result("w" + n, 1, result, std::string("load"));
  }
  done = true;
  reader.join();
  EXPECT_EQ(reader_error, "");
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM runs"), 200);
}

}  // namespace
}  // namespace dlaaw::tracker
