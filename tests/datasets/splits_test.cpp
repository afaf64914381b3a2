// splits_test.cpp - seeded shuffles, train/test splits and k-fold partitions.
#include "datasets/splits.h"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "common/errors.h"

namespace dlaaw::datasets {
namespace {

TEST(SplitsTest, ShuffleIsSeededAndPinned) {
  EXPECT_EQ(shuffled_rows(100, 1), shuffled_rows(100, 1));
  EXPECT_NE(shuffled_rows(100, 1), shuffled_rows(100, 2));
  // Pinned: results must not change with the standard library or a refactoring.
  EXPECT_EQ(shuffled_rows(8, 1), (std::vector<std::size_t>{6, 3, 7, 5, 1, 0, 4, 2}));
}

TEST(SplitsTest, TrainTestSplitPartitionsTheRows) {
  const auto s = train_test_split(569, 0.2, 3);
  EXPECT_EQ(s.test.size(), 114u);
  EXPECT_EQ(s.train.size(), 455u);
  std::set<std::size_t> all(s.train.begin(), s.train.end());
  all.insert(s.test.begin(), s.test.end());
  EXPECT_EQ(all.size(), 569u);
}

TEST(SplitsTest, KFoldTestsEveryRowExactlyOnce) {
  const std::size_t n = 103;
  const auto folds = kfold_splits(n, 6, 5);
  ASSERT_EQ(folds.size(), 6u);
  std::vector<int> tested(n, 0);
  for (const auto& f : folds) {
    EXPECT_EQ(f.train.size() + f.test.size(), n);
    std::set<std::size_t> train(f.train.begin(), f.train.end());
    for (auto r : f.test) {
      ++tested[r];
      EXPECT_FALSE(train.count(r)) << "row " << r << " is in train and test";
    }
    EXPECT_TRUE(f.test.size() == 17 || f.test.size() == 18);
  }
  for (std::size_t r = 0; r < n; ++r) EXPECT_EQ(tested[r], 1) << "row " << r;
}

TEST(SplitsTest, RefusesDegenerateSplits) {
  EXPECT_THROW(train_test_split(3, 0.01, 1), InvalidInput);
  EXPECT_THROW(kfold_splits(10, 1, 1), InvalidInput);
  EXPECT_THROW(kfold_splits(3, 4, 1), InvalidInput);
}

}  // namespace
}  // namespace dlaaw::datasets
