// catalog_test.cpp - the catalog against the real files of the paper (skipped without them).
#include "datasets/catalog.h"

#include <gtest/gtest.h>

#include "../common/data_required.h"
#include "../common/temp_dir.h"
#include "common/errors.h"
#include "datasets/catalog_files.h"
#include "datasets/dataset_loader.h"

namespace dlaaw::datasets {
namespace {

struct Expected {
  const char* name;
  std::size_t rows;
  std::size_t positives;
};

void PrintTo(const Expected& e, std::ostream* os) { *os << e.name; }

class CatalogFileTest : public ::testing::TestWithParam<Expected> {};

TEST_P(CatalogFileTest, LoadsWithTheManifestCounts) {
  const Expected want = GetParam();
  const auto entry = find_in_catalog(want.name);
  ASSERT_TRUE(entry);
  DLAAW_REQUIRE_PAPER_FILE(entry->file);
  DatasetSpec spec;
  spec.catalog = want.name;
  const auto ds = load_dataset(spec, testing::paper_data_dir(entry->file));
  EXPECT_EQ(ds.rows_read, want.rows);
  EXPECT_EQ(ds.rows_dropped, 0u);
  EXPECT_EQ(ds.cols(), static_cast<std::size_t>(entry->features));
  std::size_t positives = 0;
  for (float y : ds.labels) positives += y > 0.5f;
  EXPECT_EQ(positives, want.positives);
  EXPECT_EQ(ds.sha256, entry->sha256);
}

// Class counts from MANIFEST.md.
INSTANTIATE_TEST_SUITE_P(Paper, CatalogFileTest,
                         ::testing::Values(Expected{"breast_cancer", 569, 357},
                                           Expected{"pima", 768, 268},
                                           Expected{"banknote", 1372, 610},
                                           Expected{"grid_stability", 10000, 6380},
                                           Expected{"bank_marketing", 45211, 5289}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(CatalogTest, BankMarketingCodesItsNineCategoricalColumns) {
  const auto entry = find_in_catalog("bank_marketing");
  DLAAW_REQUIRE_PAPER_FILE(entry->file);
  DatasetSpec spec;
  spec.catalog = "bank_marketing";
  const auto ds = load_dataset(spec, testing::paper_data_dir(entry->file));
  EXPECT_EQ(ds.categories.size(), 9u);
  EXPECT_EQ(ds.categories.at("marital"),
            (std::vector<std::string>{"divorced", "married", "single"}));
}

TEST(CatalogFilesTest, ImportChecksEachFileAndReportsTheMissing) {
  testing::TempDir source, target;
  const auto imported = import_catalog_files(source.path(), target.path() / "data");
  ASSERT_EQ(imported.size(), catalog().size());
  for (const auto& [entry, done] : imported) EXPECT_FALSE(done) << entry.name;
  EXPECT_FALSE(catalog_complete(target.path() / "data"));
  source.write("diabetes.csv", "Pregnancies,Outcome\n1,1\n");  // an edited copy
  EXPECT_THROW(import_catalog_files(source.path(), target.path() / "data"), InvalidInput);
  EXPECT_EQ(check_catalog_file(*find_in_catalog("pima"), source.path()), FileCheck::Differs);
}

TEST(CatalogFilesTest, ImportsThePaperFiles) {
  const auto entry = find_in_catalog("bank_marketing");
  DLAAW_REQUIRE_PAPER_FILE(entry->file);
  testing::TempDir target;
  for (const auto& [e, done] :
       import_catalog_files(testing::paper_data_dir(entry->file), target.path())) {
    EXPECT_TRUE(done) << e.name;
  }
  EXPECT_TRUE(catalog_complete(target.path()));
}

}  // namespace
}  // namespace dlaaw::datasets
