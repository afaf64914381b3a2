// dataset_steps.h - what a dataset task reads (its source) and the preprocessing steps it applies.
//
// Steps run in the order written. Row and column steps (drop_empty, select, drop, filter, ordinal,
// one_hot) change the working table; `split` assigns every remaining row to a part and may be
// followed only by `min_max_scale`, which is fitted on each part's training rows.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "nnworkflow/workflow_document.h"

namespace dlaaw::pipeline {

// Exactly one of a catalog dataset or a file under the data directory.
struct DatasetSource {
  std::optional<std::string> catalog;
  std::optional<std::string> path;      // relative to the data directory
  std::optional<std::string> label;     // path only; absent: unlabelled rows (predict input)
  std::optional<std::string> positive;  // path only; the label value of class 1 (else 0/1 labels)
  std::optional<bool> header;           // path only; unset: detected as the CSV reader does
  bool operator==(const DatasetSource&) const = default;
};

// Drops every row with an empty cell in a column still present (label included).
struct DropEmpty {
  bool operator==(const DropEmpty&) const = default;
};

// Keeps these feature columns, in this order (the label always stays).
struct SelectColumns {
  std::vector<std::string> columns;
  bool operator==(const SelectColumns&) const = default;
};

// Removes these feature columns.
struct DropColumns {
  std::vector<std::string> columns;
  bool operator==(const DropColumns&) const = default;
};

enum class Comparison { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, In };

// A value a filter compares cells with: a number (the cell must then be numeric) or a text.
struct FilterValue {
  std::optional<double> number;
  std::string text;  // used when number is unset
  bool operator==(const FilterValue&) const = default;
};

// Keeps the rows where `column` `test` `values` holds (one value, or a list for In).
struct RowFilter {
  std::string column;
  Comparison test = Comparison::Equal;
  std::vector<FilterValue> values;
  bool operator==(const RowFilter&) const = default;
};

enum class Encoding { Ordinal, OneHot };

// At most this many categories (hence columns) per one-hot encoded column: each becomes a column
// of every row, and a column of ids would otherwise take an executor's memory.
inline constexpr std::size_t kMaxOneHotCategories = 256;

// Encodes text columns: ordinal (one column of codes) or one-hot (one 0/1 column "name=value" per
// category, in place of the column). A column's categories are the listed ones when given, else
// the sorted distinct values of the rows present at this step.
struct EncodeColumns {
  Encoding encoding = Encoding::Ordinal;
  std::vector<std::string> columns;
  std::map<std::string, std::vector<std::string>> categories;
  bool operator==(const EncodeColumns&) const = default;
};

// A seeded train/test or k-fold split of the rows present (test_fraction is stored resolved).
struct SplitRows {
  nnworkflow::PlanSpec plan;
  std::uint64_t seed = 1;
  bool operator==(const SplitRows&) const = default;
};

// Min-max scaling of every feature, fitted on the training rows of each part of the split.
struct MinMaxScale {
  bool operator==(const MinMaxScale&) const = default;
};

using Step = std::variant<DropEmpty, SelectColumns, DropColumns, RowFilter, EncodeColumns,
                          SplitRows, MinMaxScale>;

// "==", "<", "in", ...
std::string_view comparison_name(Comparison test);
// The Comparison spelled `name`, or nullopt.
std::optional<Comparison> parse_comparison(std::string_view name);
// A step's "op" in the document: "drop_empty", "select", "one_hot", ...
std::string_view step_op_name(const Step& step);
// "ordinal" or "one_hot".
std::string_view encoding_name(Encoding encoding);
// A filter value as the document writes it, for messages: 40, "admin.".
std::string describe_value(const FilterValue& value);

}  // namespace dlaaw::pipeline
