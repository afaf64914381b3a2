// prepared_dataset_test.cpp - the CSV + manifest form: exact round trips, and refusing bad files.
#include "pipeline/prepared_dataset.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "datasets/sha256.h"
#include "pipeline/prepare_dataset.h"

namespace dlaaw::pipeline {
namespace {

using nlohmann::json;

// Awkward names and values: a comma and a quote in names, tiny and huge numbers, negative zero.
constexpr const char* kAwkward =
    "\"x, first\",\"say \"\"hi\"\"\",kind,label\n"
    "0.1,1e-300,a,1\n"
    "-0,123456789.123456789,b,0\n"
    "3.141592653589793,-2.5e+200,a,1\n"
    "1e22,0.30000000000000004,c,0\n"
    "7,8,b,1\n"
    "9,10,c,0\n";

PreparedDataset awkward(std::vector<Step> extra = {}) {
  const DatasetSource source{std::nullopt, "awkward.csv", "label", std::nullopt, std::nullopt};
  std::vector<Step> steps = {EncodeColumns{Encoding::OneHot, {"kind"}, {}}};
  steps.insert(steps.end(), extra.begin(), extra.end());
  return prepare_dataset(source_table_from_csv(kAwkward, "awkward.csv", source),
                         DatasetSettings{source, steps}, "tasks.t");
}

const std::vector<Step> kFolds = {SplitRows{{nnworkflow::PlanType::KFold, std::nullopt, 3}, 2},
                                  MinMaxScale{}};

std::string error_of(const std::string& manifest, const std::string& csv) {
  try {
    read_prepared(manifest, csv);
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "";
}

TEST(PreparedDatasetTest, ReadsBackExactlyWhatWasWritten) {
  for (const auto& p :
       {awkward(), awkward(kFolds),
        awkward({SplitRows{{nnworkflow::PlanType::TrainTest, 0.5, std::nullopt}, 1}}),
        awkward(
            {SplitRows{{nnworkflow::PlanType::TrainTest, 0.5, std::nullopt}, 1}, MinMaxScale{}})}) {
    const auto files = write_prepared(p);
    const auto back = read_prepared(files.manifest, files.csv);
    EXPECT_EQ(back, p) << files.manifest << files.csv;
    EXPECT_EQ(write_prepared(back).sha256, files.sha256);
  }
}

TEST(PreparedDatasetTest, TheCsvIsReadableAndSaysWhichPartEachRowIsIn) {
  const auto files =
      write_prepared(awkward({SplitRows{{nnworkflow::PlanType::TrainTest, 0.5, std::nullopt}, 1}}));
  EXPECT_EQ(files.csv.substr(0, files.csv.find('\n')),
            "\"x, first\",\"say \"\"hi\"\"\",kind=a,kind=b,kind=c,label,part");
  EXPECT_NE(files.csv.find(",train\n"), std::string::npos);
  EXPECT_NE(files.csv.find(",test\n"), std::string::npos);
  const json manifest = json::parse(files.manifest);
  EXPECT_EQ(manifest["schema"], "dlaaw/prepared@1");
  EXPECT_EQ(manifest["split"],
            json({{"op", "split"}, {"type", "train_test"}, {"test_fraction", 0.5}, {"seed", 1}}));
  EXPECT_EQ(manifest["csv"]["bytes"], files.csv.size());
  EXPECT_EQ(manifest["encodings"]["kind"], "one_hot");
}

TEST(PreparedDatasetTest, RefusesDamagedOrForeignFiles) {
  const auto files = write_prepared(awkward(kFolds));
  std::string csv = files.csv;
  csv[csv.size() - 3] = csv[csv.size() - 3] == '1' ? '2' : '1';
  EXPECT_EQ(
      error_of(files.manifest, csv),
      "prepared.csv: its size or sha256 differs from the manifest's (a different or damaged file)");
  EXPECT_EQ(error_of("{", files.csv).rfind("prepared dataset manifest: not valid JSON: ", 0), 0u);

  json manifest = json::parse(files.manifest);
  auto with = [&](const std::function<void(json&)>& edit) {
    json m = manifest;
    edit(m);
    return error_of(m.dump(), files.csv);
  };
  EXPECT_EQ(with([](json& m) { m["rows"] = -1; }),
            "prepared dataset manifest: rows: must be a count (an integer >= 0)");
  EXPECT_EQ(with([](json& m) { m["scalers"][1]["min"].erase(0); }),
            "prepared dataset manifest: scalers[1]: 4 minima and 5 maxima for 5 features");
  EXPECT_EQ(with([](json& m) { m["scalers"].erase(2); }),
            "prepared dataset manifest: scalers: 2 scalers for 3 splits");
  EXPECT_EQ(with([](json& m) { m["split"]["k"] = 100; }),
            "prepared dataset manifest: split.k: 100 folds of 6 rows");
  EXPECT_EQ(with([](json& m) { m["extra"] = 1; }),
            "prepared dataset manifest: extra: unknown field");
  EXPECT_EQ(with([](json& m) { m["encodings"]["kind"] = "binary"; }),
            "prepared dataset manifest: encodings.kind: \"binary\" (expected ordinal or one_hot)");
  EXPECT_EQ(with([](json& m) { m["encodings"].erase("kind"); }),
            "prepared dataset manifest: encodings: no encoding for \"kind\", which has categories");
  EXPECT_EQ(with([](json& m) { m["schema"] = "dlaaw/workflow@1"; }),
            "prepared dataset manifest: schema: expected \"dlaaw/prepared@1\"");
  EXPECT_EQ(
      with([](json& m) { m["features"][0] = "x"; }),
      "prepared dataset manifest: csv.columns: not the features, label and part of the manifest");
}

TEST(PreparedDatasetTest, RefusesRowsThatBreakTheManifest) {
  // Rewrites a CSV and the manifest's record of it, as a consistent but hostile writer would.
  auto forged = [](std::string csv) {
    auto files = write_prepared(awkward(kFolds));
    json m = json::parse(files.manifest);
    m["csv"]["sha256"] = datasets::sha256_hex(csv);
    m["csv"]["bytes"] = csv.size();
    return error_of(m.dump(), csv);
  };
  const std::string header = "\"x, first\",\"say \"\"hi\"\"\",kind=a,kind=b,kind=c,label,part\n";
  EXPECT_EQ(forged(header + "1,2,0,1,0,1,0\n1,2,0,1,0,1,1\n1,2,0,1,0,1,2\n1,2,0,1,0,1,0\n1,2,0,1,0,"
                            "1,1\n1,2,0,1,0,1,7\n"),
            "prepared.csv:7: column \"part\": not a part of the manifest's split");
  EXPECT_EQ(forged(header + "1,2,0,1,0,1,0\n1,2,0,1,0,1,1\n1,2,0,1,0,1,2\n1,2,0,1,0,1,0\n1,2,0,1,0,"
                            "2,1\n1,2,0,1,0,1,1\n"),
            "prepared.csv:6: column \"label\": a label must be 0 or 1");
  EXPECT_EQ(forged(header + "1,2,0,1,0,1,0\n1,2,0,1,0,1,1\n1,2,0,1,0,1,0\n1,2,0,1,0,1,0\n1,2,0,1,0,"
                            "1,1\n1,x,0,1,0,1,1\n"),
            "prepared.csv:7: column \"say \"hi\"\": not a number");
  EXPECT_EQ(forged(header + "1,2,0,1,0,1,0\n1,2,0,1,0,1,1\n1,2,0,1,0,1,0\n1,2,0,1,0,1,0\n1,2,0,1,0,"
                            "1,1\n1,2,0,1,0,1,1\n"),
            "prepared.csv: part 2 has no rows");
  EXPECT_EQ(forged(header + "1,2,0,1,0,1,0\n"), "prepared.csv: 1 rows, but the manifest says 6");
}

TEST(PreparedDatasetTest, GivesTheEngineItsDatasetAndSplits) {
  const auto p = awkward(kFolds);
  const auto ds = to_dataset(p);
  EXPECT_EQ(ds.feature_names, p.schema.features);
  EXPECT_EQ(ds.features, p.values);
  EXPECT_EQ(ds.labels, p.labels);
  EXPECT_EQ(ds.rows(), 6u);
  EXPECT_TRUE(ds.categories.empty()) << "one-hot columns are not ordinal codes";
  const auto splits = splits_of(p);
  ASSERT_EQ(splits.size(), 3u);
  for (const auto& s : splits) EXPECT_EQ(s.train.size() + s.test.size(), 6u);
  EXPECT_THROW(splits_of(awkward()), InvalidInput);
}

TEST(PreparedDatasetTest, AModelAppliesOnlyToRowsWithItsFeatures) {
  const auto trained = awkward().schema;
  EXPECT_NO_THROW(require_same_features(trained, trained, "tasks.eval"));
  auto other = trained;
  other.features[2] = "kind=z";
  try {
    require_same_features(trained, other, "tasks.eval");
    FAIL() << "another feature is refused";
  } catch (const InvalidInput& e) {
    EXPECT_STREQ(e.what(),
                 "tasks.eval: the rows do not have the model's features: feature 3 is \"kind=z\" "
                 "where the model has \"kind=a\"");
  }
  other = trained;
  other.categories["kind"] = {"a", "c", "b"};
  EXPECT_THROW(require_same_features(trained, other, "tasks.eval"), InvalidInput);
}

}  // namespace
}  // namespace dlaaw::pipeline
