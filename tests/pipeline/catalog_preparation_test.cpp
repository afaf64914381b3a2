// catalog_preparation_test.cpp - dataset tasks on the paper's real files: the paper's protocol as
// steps gives exactly the rows, splits and scaling the engine computes from a workflow document.
#include <gtest/gtest.h>

#include "../common/data_required.h"
#include "../common/temp_dir.h"
#include "common/errors.h"
#include "datasets/catalog.h"
#include "datasets/dataset_loader.h"
#include "datasets/splits.h"
#include "pipeline/prepare_dataset.h"

namespace dlaaw::pipeline {
namespace {

DatasetSettings paper_task(const std::string& catalog, const SplitRows& split) {
  return {DatasetSource{catalog, std::nullopt, std::nullopt, std::nullopt, std::nullopt},
          {DropEmpty{}, split, MinMaxScale{}}};
}

// What executor/engine.cpp does for one workflow: load, split with the training seed, fit the
// scaler on each training part and scale both parts.
void expect_engine_equivalence(const datasets::CatalogEntry& entry, const SplitRows& split) {
  const std::string dir = dlaaw::testing::paper_data_dir(entry.file);
  datasets::DatasetSpec spec;
  spec.catalog = entry.name;
  const datasets::Dataset ds = datasets::load_dataset(spec, dir);
  const auto engine_splits = split.plan.type == nnworkflow::PlanType::TrainTest
                                 ? std::vector<datasets::Split>{datasets::train_test_split(
                                       ds.rows(), *split.plan.test_fraction, split.seed)}
                                 : datasets::kfold_splits(ds.rows(), *split.plan.k, split.seed);

  const PreparedDataset p = run_dataset_task(paper_task(entry.name, split), dir, "tasks.prep");
  ASSERT_EQ(p.schema.features, ds.feature_names) << entry.name;
  ASSERT_EQ(p.rows(), ds.rows());
  EXPECT_EQ(p.schema.source_sha256, entry.sha256);
  EXPECT_EQ(static_cast<int>(p.cols()), entry.features);
  const auto splits = splits_of(p);
  ASSERT_EQ(splits.size(), engine_splits.size());
  for (std::size_t j = 0; j < splits.size(); ++j) {
    const auto& e = engine_splits[j];
    const auto scaler = datasets::MinMaxScaler::fit(ds.features, ds.cols(), e.train);
    EXPECT_EQ(p.schema.scalers[j].min, scaler.min) << entry.name << " part " << j;
    EXPECT_EQ(p.schema.scalers[j].max, scaler.max) << entry.name << " part " << j;
    EXPECT_EQ(p.schema.scalers[j].transform(p.values, splits[j].train),
              scaler.transform(ds.features, e.train))
        << entry.name << " part " << j << ": the training matrix differs";
    EXPECT_EQ(p.schema.scalers[j].transform(p.values, splits[j].test),
              scaler.transform(ds.features, e.test))
        << entry.name << " part " << j << ": the test matrix differs";
    std::vector<float> labels, engine_labels;
    for (std::size_t r : splits[j].train) labels.push_back(p.labels[r]);
    for (std::size_t r : e.train) engine_labels.push_back(ds.labels[r]);
    EXPECT_EQ(labels, engine_labels) << entry.name << " part " << j;
  }
  // Through the files, too: what an executor reads back is what was prepared.
  const auto files = write_prepared(p);
  EXPECT_EQ(read_prepared(files.manifest, files.csv), p) << entry.name;
}

TEST(CatalogPreparationTest, ThePaperProtocolAsStepsMatchesTheEngineForEveryDataset) {
  for (const auto& entry : datasets::catalog()) {
    DLAAW_REQUIRE_PAPER_FILE(entry.file);
    SCOPED_TRACE(entry.name);
    expect_engine_equivalence(entry,
                              SplitRows{{nnworkflow::PlanType::TrainTest, 0.2, std::nullopt}, 1});
    expect_engine_equivalence(entry, SplitRows{{nnworkflow::PlanType::KFold, std::nullopt, 6}, 1});
  }
}

TEST(CatalogPreparationTest, FiltersPimaByAge) {
  DLAAW_REQUIRE_PAPER_FILE("diabetes.csv");
  const std::string dir = dlaaw::testing::paper_data_dir("diabetes.csv");
  datasets::DatasetSpec spec;
  spec.catalog = "pima";
  const auto ds = datasets::load_dataset(spec, dir);
  std::size_t young = 0;
  for (std::size_t r = 0; r < ds.rows(); ++r) young += ds.features[r * ds.cols() + 7] < 40;  // Age
  ASSERT_EQ(ds.feature_names[7], "Age");

  DatasetSettings task{
      DatasetSource{"pima", std::nullopt, std::nullopt, std::nullopt, std::nullopt},
      {DropEmpty{}, RowFilter{"Age", Comparison::Less, {FilterValue{40.0, ""}}}}};
  const auto p = run_dataset_task(task, dir, "tasks.young");
  EXPECT_EQ(p.rows(), young);
  EXPECT_EQ(p.schema.rows_filtered, ds.rows() - young);
  task.steps[1] = RowFilter{"Age", Comparison::GreaterEqual, {FilterValue{40.0, ""}}};
  EXPECT_EQ(run_dataset_task(task, dir, "tasks.older").rows(), ds.rows() - young);
}

TEST(CatalogPreparationTest, OneHotEncodesBankMarketingJobs) {
  DLAAW_REQUIRE_PAPER_FILE("bank-full.csv");
  const std::string dir = dlaaw::testing::paper_data_dir("bank-full.csv");
  datasets::DatasetSpec spec;
  spec.catalog = "bank_marketing";
  const auto ds = datasets::load_dataset(spec, dir);
  const auto& jobs = ds.categories.at("job");
  const DatasetSettings task{
      DatasetSource{"bank_marketing", std::nullopt, std::nullopt, std::nullopt, std::nullopt},
      {DropEmpty{}, EncodeColumns{Encoding::OneHot, {"job"}, {}}}};
  const auto p = run_dataset_task(task, dir, "tasks.bank");
  EXPECT_EQ(p.cols(), 16 + jobs.size() - 1);
  EXPECT_EQ(p.schema.features[1], "job=" + jobs[0]);
  EXPECT_EQ(p.schema.encodings.at("marital"), Encoding::Ordinal)
      << "the catalog's other categorical columns";
  for (std::size_t r = 0; r < p.rows(); ++r) {
    double ones = 0;
    for (std::size_t k = 0; k < jobs.size(); ++k) ones += p.values[r * p.cols() + 1 + k];
    ASSERT_EQ(ones, 1.0) << "row " << r << " has exactly one job";
  }
}

TEST(CatalogPreparationTest, RefusesACatalogFileThatWasEdited) {
  DLAAW_REQUIRE_PAPER_FILE("diabetes.csv");
  const auto original =
      std::filesystem::path(dlaaw::testing::paper_data_dir("diabetes.csv")) / "diabetes.csv";
  dlaaw::testing::TempDir dir;
  dir.write("diabetes.csv", datasets::read_file(original.string()) + "\n1,1,1,1,1,1,1,1,1");
  const DatasetSettings task{
      DatasetSource{"pima", std::nullopt, std::nullopt, std::nullopt, std::nullopt}, {}};
  try {
    run_dataset_task(task, dir.path(), "tasks.prep");
    FAIL() << "an edited catalog file is refused";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("tasks.prep.source.catalog: "), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("has sha256"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace dlaaw::pipeline
