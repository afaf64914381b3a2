// min_max_scaler_test.cpp - scaling fitted on training rows only.
#include "datasets/min_max_scaler.h"

#include <gtest/gtest.h>

namespace dlaaw::datasets {
namespace {

TEST(MinMaxScalerTest, UsesTrainingRowsOnly) {
  // Column 0: 0, 10, 5, 100 (the test row); column 1 is constant in training.
  const std::vector<double> features{0, 7, 10, 7, 5, 7, 100, 3};
  const auto s = MinMaxScaler::fit(features, 2, {0, 1, 2});
  EXPECT_EQ(s.min, (std::vector<double>{0, 7}));
  EXPECT_EQ(s.max, (std::vector<double>{10, 7}));
  const auto train = s.transform(features, {0, 1, 2});
  EXPECT_EQ(train, (std::vector<float>{0, 0, 1, 0, 0.5f, 0}));
  const auto test = s.transform(features, {3});
  EXPECT_FLOAT_EQ(test[0], 10.0f);  // outside [0, 1]: the test row did not move the fit
  EXPECT_FLOAT_EQ(test[1], 0.0f);   // a constant training column scales to 0
}

}  // namespace
}  // namespace dlaaw::datasets
