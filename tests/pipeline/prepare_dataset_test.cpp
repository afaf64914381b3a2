// prepare_dataset_test.cpp - each preprocessing step on small inline tables, and its errors.
#include "pipeline/prepare_dataset.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "datasets/splits.h"

namespace dlaaw::pipeline {
namespace {

// Row 3 (line 3) has an empty b; colours are text.
constexpr const char* kToy =
    "a,b,color,y\n"
    "1,10,red,yes\n"
    "2,,blue,no\n"
    "3,30,red,no\n"
    "4,40,green,yes\n"
    "5,50,blue,yes\n"
    "6,60,red,no\n"
    "7,70,green,no\n"
    "8,80,red,yes\n";

SourceTable toy(std::optional<std::string> label = "y",
                std::optional<std::string> positive = "yes") {
  return source_table_from_csv(
      kToy, "toy.csv", DatasetSource{std::nullopt, "toy.csv", label, positive, std::nullopt});
}

PreparedDataset prepare(const SourceTable& source, std::vector<Step> steps) {
  const DatasetSource as_written{std::nullopt, "toy.csv", source.label, source.positive,
                                 std::nullopt};
  return prepare_dataset(source, DatasetSettings{as_written, std::move(steps)}, "tasks.t");
}

std::string error_of(const SourceTable& source, std::vector<Step> steps) {
  try {
    prepare(source, std::move(steps));
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "";
}

std::vector<double> column(const PreparedDataset& p, const std::string& name) {
  const auto it = std::find(p.schema.features.begin(), p.schema.features.end(), name);
  EXPECT_NE(it, p.schema.features.end()) << name;
  const std::size_t c = static_cast<std::size_t>(it - p.schema.features.begin());
  std::vector<double> out;
  for (std::size_t r = 0; r < p.rows(); ++r) out.push_back(p.values[r * p.cols() + c]);
  return out;
}

const Step kDropEmpty = DropEmpty{};
const Step kOrdinalColor = EncodeColumns{Encoding::Ordinal, {"color"}, {}};

TEST(PrepareDatasetTest, DropsRowsWithAnEmptyCellAndMapsTheLabel) {
  const auto p = prepare(toy(), {kDropEmpty, kOrdinalColor});
  EXPECT_EQ(p.rows(), 7u);
  EXPECT_EQ(p.schema.rows_read, 8u);
  EXPECT_EQ(p.schema.rows_dropped, 1u);
  EXPECT_EQ(p.schema.features, (std::vector<std::string>{"a", "b", "color"}));
  EXPECT_EQ(column(p, "a"), (std::vector<double>{1, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(p.labels, (std::vector<float>{1, 0, 1, 1, 0, 0, 1}));
  EXPECT_EQ(p.schema.label, "y");
  EXPECT_FALSE(p.schema.split);
  EXPECT_TRUE(p.parts.empty());
}

TEST(PrepareDatasetTest, CellsThatAreNotNumbersNameFileLineAndStep) {
  EXPECT_EQ(error_of(toy(), {kOrdinalColor}),
            "toy.csv:3: column \"b\" (field 2): empty; add a drop_empty step before the end of "
            "tasks.t's steps");
  EXPECT_EQ(error_of(toy(), {kDropEmpty}),
            "toy.csv:2: column \"color\" (field 3): \"red\" is not a number; encode the column "
            "with an ordinal or "
            "one_hot step in tasks.t.steps");
  EXPECT_EQ(error_of(toy("y", std::nullopt), {kDropEmpty, kOrdinalColor}),
            "toy.csv:2: column \"y\" (field 4): label \"yes\" is neither 0 nor 1; say which value "
            "is positive "
            "(source.positive)");
  EXPECT_EQ(error_of(toy(), {kDropEmpty, SelectColumns{{"a", "zz"}}}),
            "tasks.t.steps[1].columns[1]: column \"zz\" is not in the table at this step (columns: "
            "a, b, color)");
}

TEST(PrepareDatasetTest, OrdinalCodesSortedDistinctValuesOrTheListedOnes) {
  auto p = prepare(toy(), {kDropEmpty, kOrdinalColor});
  EXPECT_EQ(p.schema.categories.at("color"), (std::vector<std::string>{"blue", "green", "red"}));
  EXPECT_EQ(p.schema.encodings.at("color"), Encoding::Ordinal);
  EXPECT_EQ(column(p, "color"), (std::vector<double>{2, 2, 1, 0, 2, 1, 2}));

  p = prepare(toy(),
              {kDropEmpty,
               EncodeColumns{Encoding::Ordinal, {"color"}, {{"color", {"red", "green", "blue"}}}}});
  EXPECT_EQ(column(p, "color"), (std::vector<double>{0, 0, 1, 2, 0, 1, 0}));
  EXPECT_EQ(
      error_of(toy(), {kDropEmpty,
                       EncodeColumns{Encoding::Ordinal, {"color"}, {{"color", {"red", "green"}}}}}),
      "toy.csv:6: column \"color\" (field 3): \"blue\" is not one of the categories listed in "
      "tasks.t.steps[1].categories.color");
}

TEST(PrepareDatasetTest, OneHotReplacesTheColumnInPlace) {
  const auto p = prepare(toy(), {kDropEmpty, EncodeColumns{Encoding::OneHot, {"color"}, {}}});
  EXPECT_EQ(p.schema.features,
            (std::vector<std::string>{"a", "b", "color=blue", "color=green", "color=red"}));
  EXPECT_EQ(column(p, "color=red"), (std::vector<double>{1, 1, 0, 0, 1, 0, 1}));
  EXPECT_EQ(column(p, "color=green"), (std::vector<double>{0, 0, 1, 0, 0, 1, 0}));
  EXPECT_EQ(p.schema.encodings.at("color"), Encoding::OneHot);
  EXPECT_EQ(
      error_of(toy(), {kDropEmpty, EncodeColumns{Encoding::OneHot, {"color"}, {}}, kOrdinalColor}),
      "tasks.t.steps[2].columns[0]: column \"color\" is not in the table at this step (columns: a, "
      "b, "
      "color=blue, color=green, color=red)");
}

TEST(PrepareDatasetTest, OneHotRefusesAColumnWithTooManyValues) {
  std::string csv = "id,x,y\n";
  for (int i = 0; i < 300; ++i) {
    const std::string n = std::to_string(i);
    csv += 'u' + n + ',' + n + ",1\n";
  }
  const DatasetSource source{std::nullopt, "ids.csv", "y", std::nullopt, std::nullopt};
  const auto table = source_table_from_csv(csv, "ids.csv", source);
  try {
    prepare_dataset(table, DatasetSettings{source, {EncodeColumns{Encoding::OneHot, {"id"}, {}}}},
                    "tasks.t");
    FAIL() << "300 one-hot columns are refused";
  } catch (const InvalidInput& e) {
    EXPECT_STREQ(
        e.what(),
        "tasks.t.steps[0].columns[0]: \"id\" has 300 distinct values, more than the 256 one_hot "
        "allows (use ordinal)");
  }
  const auto p = prepare_dataset(
      table, DatasetSettings{source, {EncodeColumns{Encoding::Ordinal, {"id"}, {}}}}, "tasks.t");
  EXPECT_EQ(p.schema.categories.at("id").size(), 300u);
}

TEST(PrepareDatasetTest, SelectsAndDropsColumns) {
  auto p = prepare(toy(), {kDropEmpty, SelectColumns{{"b", "a"}}});
  EXPECT_EQ(p.schema.features, (std::vector<std::string>{"b", "a"})) << "select sets the order";
  p = prepare(toy(), {kDropEmpty, DropColumns{{"color"}}});
  EXPECT_EQ(p.schema.features, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(error_of(toy(), {kDropEmpty, DropColumns{{"a", "b", "color"}}}),
            "tasks.t: no feature column remains after the steps");
}

TEST(PrepareDatasetTest, FiltersRowsByNumbersTextsAndLists) {
  auto rows_of = [](std::vector<Step> steps) {
    return column(prepare(toy(), std::move(steps)), "a");
  };
  const Step drop_color = DropColumns{{"color"}};
  auto number = [](double v) { return FilterValue{v, ""}; };
  auto text = [](std::string v) { return FilterValue{std::nullopt, std::move(v)}; };
  EXPECT_EQ(
      rows_of({kDropEmpty, RowFilter{"a", Comparison::GreaterEqual, {number(5)}}, drop_color}),
      (std::vector<double>{5, 6, 7, 8}));
  EXPECT_EQ(rows_of({kDropEmpty, RowFilter{"b", Comparison::Less, {number(40)}}, drop_color}),
            (std::vector<double>{1, 3}));
  EXPECT_EQ(rows_of({kDropEmpty, RowFilter{"color", Comparison::In, {text("blue"), text("green")}},
                     drop_color}),
            (std::vector<double>{4, 5, 7}));
  EXPECT_EQ(
      rows_of({kDropEmpty, RowFilter{"color", Comparison::NotEqual, {text("red")}}, drop_color}),
      (std::vector<double>{4, 5, 7}));
  EXPECT_EQ(rows_of({kDropEmpty, RowFilter{"y", Comparison::Equal, {text("yes")}}, drop_color}),
            (std::vector<double>{1, 4, 5, 8}))
      << "the label column can be filtered too";
  EXPECT_EQ(
      rows_of({kDropEmpty, kOrdinalColor, RowFilter{"color", Comparison::Equal, {number(2)}}}),
      (std::vector<double>{1, 3, 6, 8}))
      << "an encoded column compares by its codes";
  const auto p = prepare(toy(), {RowFilter{"a", Comparison::NotEqual, {number(2)}}, drop_color});
  EXPECT_EQ(p.schema.rows_filtered, 1u);
  EXPECT_EQ(p.schema.rows_dropped, 0u) << "the filter removed the row with the empty cell first";

  EXPECT_EQ(
      error_of(toy(), {RowFilter{"b", Comparison::Less, {number(40)}}}),
      "toy.csv:3: column \"b\" (field 2): empty; add a drop_empty step before tasks.t.steps[0]");
  EXPECT_EQ(error_of(toy(), {kDropEmpty, RowFilter{"color", Comparison::Less, {number(4)}}}),
            "toy.csv:2: column \"color\" (field 3): \"red\" is not a number; tasks.t.steps[1] "
            "compares it with a number");
  EXPECT_EQ(error_of(toy(), {kDropEmpty, kOrdinalColor,
                             RowFilter{"color", Comparison::Equal, {text("red")}}}),
            "tasks.t.steps[2].value: column \"color\" holds codes from an earlier encoding step; "
            "filter it before "
            "that step, or compare with a number");
  EXPECT_EQ(error_of(toy(), {kDropEmpty, RowFilter{"a", Comparison::Greater, {number(100)}}}),
            "tasks.t: no rows remain after the steps (1 dropped as empty, 7 filtered out)");
}

TEST(PrepareDatasetTest, StoresRowsInTheSplitOrderSoThatEachPartMatchesTheDatasetsSplit) {
  const SplitRows split{{nnworkflow::PlanType::TrainTest, 0.25, std::nullopt}, 3};
  const auto plain = prepare(toy(), {kDropEmpty, kOrdinalColor});
  const auto p = prepare(toy(), {kDropEmpty, kOrdinalColor, split});
  const auto order = datasets::shuffled_rows(plain.rows(), 3);
  for (std::size_t i = 0; i < p.rows(); ++i) {
    for (std::size_t c = 0; c < p.cols(); ++c)
      EXPECT_EQ(p.values[i * p.cols() + c], plain.values[order[i] * p.cols() + c]);
    EXPECT_EQ(p.labels[i], plain.labels[order[i]]);
  }
  const auto expected = datasets::train_test_split(plain.rows(), 0.25, 3);
  const auto splits = splits_of(p);
  ASSERT_EQ(splits.size(), 1u);
  std::vector<std::size_t> train, test;
  for (std::size_t i : splits[0].train) train.push_back(order[i]);
  for (std::size_t i : splits[0].test) test.push_back(order[i]);
  EXPECT_EQ(train, expected.train) << "the same rows, in the same order";
  EXPECT_EQ(test, expected.test);
  EXPECT_EQ(p.parts, (std::vector<int>{0, 0, 0, 0, 0, 1, 1})) << "train rows first, then test rows";
}

TEST(PrepareDatasetTest, KFoldPartsReproduceEveryFold) {
  const SplitRows split{{nnworkflow::PlanType::KFold, std::nullopt, 3}, 9};
  const auto plain = prepare(toy(), {kDropEmpty, kOrdinalColor});
  const auto p = prepare(toy(), {kDropEmpty, kOrdinalColor, split, MinMaxScale{}});
  const auto order = datasets::shuffled_rows(plain.rows(), 9);
  const auto expected = datasets::kfold_splits(plain.rows(), 3, 9);
  const auto splits = splits_of(p);
  ASSERT_EQ(splits.size(), 3u);
  ASSERT_EQ(p.schema.scalers.size(), 3u);
  for (std::size_t j = 0; j < 3; ++j) {
    std::vector<std::size_t> train, test;
    for (std::size_t i : splits[j].train) train.push_back(order[i]);
    for (std::size_t i : splits[j].test) test.push_back(order[i]);
    EXPECT_EQ(train, expected[j].train) << "fold " << j;
    EXPECT_EQ(test, expected[j].test) << "fold " << j;
    // The scaler is the one the engine would fit on this fold's training rows, and scales the
    // same training matrix bit for bit.
    const auto engine = datasets::MinMaxScaler::fit(plain.values, plain.cols(), expected[j].train);
    EXPECT_EQ(p.schema.scalers[j].min, engine.min);
    EXPECT_EQ(p.schema.scalers[j].max, engine.max);
    EXPECT_EQ(p.schema.scalers[j].transform(p.values, splits[j].train),
              engine.transform(plain.values, expected[j].train));
  }
}

TEST(PrepareDatasetTest, TheSameInputGivesTheSameBytes) {
  const std::vector<Step> steps = {kDropEmpty, EncodeColumns{Encoding::OneHot, {"color"}, {}},
                                   SplitRows{{nnworkflow::PlanType::KFold, std::nullopt, 2}, 4},
                                   MinMaxScale{}};
  const auto a = write_prepared(prepare(toy(), steps));
  const auto b = write_prepared(prepare(toy(), steps));
  EXPECT_EQ(a.csv, b.csv);
  EXPECT_EQ(a.sha256, b.sha256);
  auto other = steps;
  other[2] = SplitRows{{nnworkflow::PlanType::KFold, std::nullopt, 2}, 5};
  EXPECT_NE(write_prepared(prepare(toy(), other)).sha256, a.sha256)
      << "another seed, another split";
}

TEST(PrepareDatasetTest, UnlabelledRowsKeepEveryColumnAsAFeature) {
  const auto p =
      prepare(toy(std::nullopt, std::nullopt), {kDropEmpty, DropColumns{{"y"}}, kOrdinalColor});
  EXPECT_FALSE(p.schema.label);
  EXPECT_TRUE(p.labels.empty());
  EXPECT_EQ(p.schema.features, (std::vector<std::string>{"a", "b", "color"}));
}

TEST(PrepareDatasetTest, CatalogCategoricalColumnsAreOrdinalUnlessAStepEncodesThem) {
  SourceTable source = toy();
  source.catalog_categorical = {"color"};
  auto p = prepare(source, {kDropEmpty});
  EXPECT_EQ(p.schema.encodings.at("color"), Encoding::Ordinal);
  EXPECT_EQ(column(p, "color"), (std::vector<double>{2, 2, 1, 0, 2, 1, 2}));
  p = prepare(source, {kDropEmpty, EncodeColumns{Encoding::OneHot, {"color"}, {}}});
  EXPECT_EQ(p.cols(), 5u);
  p = prepare(source, {kDropEmpty, DropColumns{{"color"}}});
  EXPECT_EQ(p.cols(), 2u);
}

TEST(PrepareDatasetTest, RefusesStepsInAnOrderThatCannotWork) {
  EXPECT_EQ(error_of(toy(), {kDropEmpty, MinMaxScale{}}),
            "tasks.t.steps[1].op: min_max_scale needs a split before it (it is fitted on the "
            "training rows only)");
  EXPECT_EQ(error_of(toy(), {kDropEmpty, kOrdinalColor,
                             SplitRows{{nnworkflow::PlanType::KFold, std::nullopt, 8}, 1}}),
            "tasks.t.steps[2]: plan.k: 8 folds need 2 <= k <= rows (7)");
}

}  // namespace
}  // namespace dlaaw::pipeline
