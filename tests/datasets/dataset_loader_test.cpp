// dataset_loader_test.cpp - dropping, encoding, labelling and the errors of loading a file.
#include "datasets/dataset_loader.h"

#include <gtest/gtest.h>

#include "../common/temp_dir.h"
#include "common/errors.h"
#include "datasets/synthetic.h"

namespace dlaaw::datasets {
namespace {

std::string load_error(const std::string& csv, DatasetSpec spec) {
  testing::TempDir dir;
  dir.write("f.csv", csv);
  spec.path = "f.csv";
  try {
    load_dataset(spec, dir.path());
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "(no error)";
}

DatasetSpec file_spec(const std::string& label) {
  DatasetSpec s;
  s.label = label;
  return s;
}

TEST(DatasetLoaderTest, DropsRowsWithEmptyValuesAndCountsThem) {
  const auto t = parse_csv("a,b,y\n1,2,1\n,3,0\n4,5,\n6,7,0\n", "f.csv");
  const auto ds = dataset_from_table(t, {"y", std::nullopt, {}, {}});
  EXPECT_EQ(ds.rows_read, 4u);
  EXPECT_EQ(ds.rows_dropped, 2u);
  EXPECT_EQ(ds.rows(), 2u);
  EXPECT_EQ(ds.features, (std::vector<double>{1, 2, 6, 7}));
  EXPECT_EQ(ds.labels, (std::vector<float>{1, 0}));
}

TEST(DatasetLoaderTest, EncodesCategoriesAsSortedOrdinalCodes) {
  const auto t = parse_csv("job;n;y\nzeta;1;yes\nalpha;2;no\nmid;3;yes\nalpha;4;no\n", "f.csv");
  const auto ds = dataset_from_table(t, {"y", "yes", {"job"}, {}});
  EXPECT_EQ(ds.categories.at("job"), (std::vector<std::string>{"alpha", "mid", "zeta"}));
  EXPECT_EQ(ds.features, (std::vector<double>{2, 1, 0, 2, 1, 3, 0, 4}));
  EXPECT_EQ(ds.labels, (std::vector<float>{1, 0, 1, 0}));
}

TEST(DatasetLoaderTest, DropsNamedColumns) {
  const auto t = parse_csv("id,a,y\n9,1,1\n8,2,0\n", "f.csv");
  const auto ds = dataset_from_table(t, {"y", std::nullopt, {}, {"id"}});
  EXPECT_EQ(ds.feature_names, (std::vector<std::string>{"a"}));
}

TEST(DatasetLoaderTest, NamesANonNumericCellByLineAndColumn) {
  EXPECT_EQ(load_error("a,b,y\n1,2,1\n3,abc,0\n", file_spec("y")),
            "f.csv:3: column \"b\" (field 2): \"abc\" is not a number; list the column in "
            "dataset.categorical if it holds categories");
}

TEST(DatasetLoaderTest, RefusesAFileWhoseRowsAllHaveEmptyValues) {
  EXPECT_EQ(load_error("a,b,y\n1,,1\n,2,0\n", file_spec("y")),
            "f.csv: every one of its 2 rows has an empty value, so no rows remain");
}

TEST(DatasetLoaderTest, NamesAMissingLabelColumn) {
  EXPECT_EQ(load_error("a,b,y\n1,2,1\n", file_spec("label")),
            "dataset.label: column \"label\" not found in f.csv (columns: a, b, y)");
}

TEST(DatasetLoaderTest, AsksForThePositiveClassWhenLabelsAreNotBinary) {
  const auto e = load_error("a,y\n1,cat\n2,dog\n", file_spec("y"));
  EXPECT_NE(e.find("dataset.positive: missing"), std::string::npos) << e;
}

TEST(DatasetLoaderTest, RecordsTheFileHash) {
  testing::TempDir dir;
  dir.write("f.csv", "a,y\n1,1\n2,0\n");
  DatasetSpec spec = file_spec("y");
  spec.path = "f.csv";
  const auto ds = load_dataset(spec, dir.path());
  EXPECT_EQ(ds.sha256.size(), 64u);
  EXPECT_EQ(ds.name, "f.csv");
}

TEST(DatasetLoaderTest, CatalogFilesAreCheckedBySha256) {
  testing::TempDir dir;
  dir.write("diabetes.csv", "Pregnancies,Outcome\n1,1\n");
  DatasetSpec spec;
  spec.catalog = "pima";
  try {
    load_dataset(spec, dir.path());
    FAIL() << "a file with the wrong content was accepted";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("but the catalog's pima is 698c203a"), std::string::npos)
        << e.what();
  }
}

TEST(SyntheticTest, IsSeededAndSeparable) {
  const auto a = make_synthetic({1000, 3, 7});
  const auto b = make_synthetic({1000, 3, 7});
  EXPECT_EQ(a.features, b.features);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_NE(a.features, make_synthetic({1000, 3, 8}).features);
  double positives = 0, mean_diff = 0;
  for (std::size_t r = 0; r < a.rows(); ++r) {
    positives += a.labels[r];
    mean_diff += (a.labels[r] > 0.5f ? 1 : -1) * a.features[r * 3];
  }
  EXPECT_NEAR(positives / 1000, 0.5, 0.06);
  EXPECT_NEAR(mean_diff / 1000, 1.0, 0.15);
}

}  // namespace
}  // namespace dlaaw::datasets
