// frame.h - the working table of a dataset task while its row and column steps run.
//
// Rows are indices into the source table; a column is either a source column (text cells, parsed
// as numbers at the end) or an encoded one (numbers, one per source row). Filters and drops only
// shrink the row list, so encoded columns never need to be copied.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/dataset_steps.h"
#include "pipeline/source_table.h"

namespace dlaaw::pipeline {

// The features and labels of the rows a frame kept, in source order.
struct FrameNumbers {
  std::vector<std::string> features;
  std::vector<double> values;  // row-major, rows x features.size()
  std::vector<float> labels;   // 0/1 per row; empty for unlabelled rows
};

class Frame {
 public:
  // Every row; every source column but the label and the catalog's non-data columns. `path` names
  // the task in messages. Throws InvalidInput for a label or catalog column the table lacks.
  // `source` must outlive the frame.
  Frame(const SourceTable& source, const std::string& path);

  // Each step throws InvalidInput naming `at` ("tasks.prep.steps[2]") and, for a cell, the file
  // and line: a column not in the table, an encoded column used as text, a cell that is not a
  // number where one is needed, an empty cell, a value outside listed categories.
  void drop_empty();
  void select(const SelectColumns& step, const std::string& at);
  void drop(const DropColumns& step, const std::string& at);
  void filter(const RowFilter& step, const std::string& at);
  void encode(const EncodeColumns& step, const std::string& at);
  // Ordinal-codes the catalog's categorical columns that are still text (the paper's encoding).
  void encode_catalog_categoricals(const std::string& at);

  // Every feature as a number and every label as 0/1. Throws InvalidInput, naming file, line and
  // column, for a text or empty cell and for a label that is neither `positive` nor (without a
  // positive value) 0/1; and for a frame with no rows or no feature column left.
  FrameNumbers to_numbers(const std::string& at) const;

  std::size_t rows() const { return rows_.size(); }
  std::size_t rows_dropped() const { return rows_dropped_; }
  std::size_t rows_filtered() const { return rows_filtered_; }
  // Encoded columns: their categories (a value's code is its index) and encodings.
  const std::map<std::string, std::vector<std::string>>& categories() const { return categories_; }
  const std::map<std::string, Encoding>& encodings() const { return encodings_; }

 private:
  struct Column {
    std::string name;
    std::optional<std::size_t> source;  // the table column of a text column
    std::vector<double> numbers;        // an encoded column's value per source row
  };

  std::size_t require_column(const std::string& name, const std::string& field) const;
  std::string column_list() const;
  [[noreturn]] void fail_cell(std::size_t row, std::size_t table_column,
                              const std::string& what) const;
  // The cell as a number; a text cell that is not one fails with `why`.
  double number_at(std::size_t row, const Column& column, const std::string& at,
                   const std::string& why) const;
  // Every kept row's category code, indexed by source row; a value outside `categories` fails
  // naming `listed_in`.
  std::vector<double> codes_of(std::size_t table_column, const std::vector<std::string>& categories,
                               const std::string& listed_in, const std::string& at) const;
  void encode_column(const EncodeColumns& step, std::size_t index, const std::string& at);
  std::vector<std::string> categories_of(std::size_t table_column, const EncodeColumns& step,
                                         const std::string& name, const std::string& at) const;

  const SourceTable& source_;
  std::optional<std::size_t> label_;  // table column
  std::vector<std::size_t> rows_;
  std::vector<Column> columns_;
  std::size_t rows_dropped_ = 0;
  std::size_t rows_filtered_ = 0;
  std::map<std::string, std::vector<std::string>> categories_;
  std::map<std::string, Encoding> encodings_;
};

}  // namespace dlaaw::pipeline
