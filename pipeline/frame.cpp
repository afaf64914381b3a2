// frame.cpp - the row and column steps of dataset tasks.
#include "pipeline/frame.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "common/errors.h"

namespace dlaaw::pipeline {
namespace {

std::string in_quotes(std::string_view s) {
  std::string out = "\"";
  out += s;
  out += '"';
  return out;
}

bool holds(Comparison test, double x, double value) {
  switch (test) {
    case Comparison::Equal:
    case Comparison::In:
      return x == value;
    case Comparison::NotEqual:
      return x != value;
    case Comparison::Less:
      return x < value;
    case Comparison::LessEqual:
      return x <= value;
    case Comparison::Greater:
      return x > value;
    case Comparison::GreaterEqual:
      return x >= value;
  }
  return false;
}

}  // namespace

Frame::Frame(const SourceTable& source, const std::string& path) : source_(source) {
  const auto& table = source.table;
  auto column_of = [&](const std::string& name, const std::string& field) {
    if (auto c = table.find_column(name)) return *c;
    std::string all;
    for (const auto& h : table.header) all += (all.empty() ? "" : ", ") + h;
    throw InvalidInput(path + field + ": column " + in_quotes(name) + " not found in " +
                       table.source + " (columns: " + all + ")");
  };
  if (source.label) label_ = column_of(*source.label, ".source.label");
  std::set<std::size_t> skipped;
  for (const auto& d : source.catalog_drop) skipped.insert(column_of(d, ".source.catalog"));
  for (std::size_t c = 0; c < table.columns(); ++c) {
    if (c != label_ && !skipped.count(c)) columns_.push_back({table.header[c], c, {}});
  }
  rows_.resize(table.rows());
  std::iota(rows_.begin(), rows_.end(), std::size_t{0});
}

std::string Frame::column_list() const {
  std::string all;
  for (const auto& c : columns_) all += (all.empty() ? "" : ", ") + c.name;
  return all;
}

std::size_t Frame::require_column(const std::string& name, const std::string& field) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return i;
  }
  throw InvalidInput(field + ": column " + in_quotes(name) +
                     " is not in the table at this step (columns: " + column_list() + ")");
}

void Frame::fail_cell(std::size_t row, std::size_t table_column, const std::string& what) const {
  const auto& t = source_.table;
  throw InvalidInput(t.source + ":" + std::to_string(t.lines[row]) + ": column " +
                     in_quotes(t.header[table_column]) + " (field " +
                     std::to_string(table_column + 1) + "): " + what);
}

double Frame::number_at(std::size_t row, const Column& column, const std::string& at,
                        const std::string& why) const {
  if (!column.source) return column.numbers[row];
  const std::string_view cell = source_.table.cell(row, *column.source);
  double value = 0;
  if (cell.empty()) fail_cell(row, *column.source, "empty; add a drop_empty step before " + at);
  if (!datasets::parse_number(cell, value))
    fail_cell(row, *column.source, in_quotes(cell) + " is not a number; " + why);
  return value;
}

void Frame::drop_empty() {
  const auto& t = source_.table;
  const auto before = rows_.size();
  std::erase_if(rows_, [&](std::size_t r) {
    if (label_ && t.cell(r, *label_).empty()) return true;
    return std::any_of(columns_.begin(), columns_.end(),
                       [&](const Column& c) { return c.source && t.cell(r, *c.source).empty(); });
  });
  rows_dropped_ += before - rows_.size();
}

void Frame::select(const SelectColumns& step, const std::string& at) {
  std::vector<Column> kept;
  for (std::size_t i = 0; i < step.columns.size(); ++i) {
    kept.push_back(
        columns_[require_column(step.columns[i], at + ".columns[" + std::to_string(i) + "]")]);
  }
  columns_ = std::move(kept);
}

void Frame::drop(const DropColumns& step, const std::string& at) {
  for (std::size_t i = 0; i < step.columns.size(); ++i) {
    columns_.erase(columns_.begin() +
                   static_cast<std::ptrdiff_t>(require_column(
                       step.columns[i], at + ".columns[" + std::to_string(i) + "]")));
  }
}

void Frame::filter(const RowFilter& step, const std::string& at) {
  Column label_column{source_.label.value_or(""), label_, {}};
  const bool on_label = label_ && step.column == *source_.label;
  const Column& column =
      on_label ? label_column : columns_[require_column(step.column, at + ".column")];
  const bool any_text = std::any_of(step.values.begin(), step.values.end(),
                                    [](const FilterValue& v) { return !v.number; });
  if (any_text && !column.source) {
    throw InvalidInput(at + ".value: column " + in_quotes(step.column) +
                       " holds codes from an earlier encoding step; filter it before that step, or "
                       "compare with a number");
  }
  const auto before = rows_.size();
  std::erase_if(rows_, [&](std::size_t r) {
    bool keep = false;
    for (const auto& v : step.values) {
      if (v.number) {
        keep = keep || holds(step.test, number_at(r, column, at, at + " compares it with a number"),
                             *v.number);
      } else {
        const bool equal = source_.table.cell(r, *column.source) == v.text;
        keep = keep || (step.test == Comparison::NotEqual ? !equal : equal);
      }
    }
    return !keep;
  });
  rows_filtered_ += before - rows_.size();
}

std::vector<std::string> Frame::categories_of(std::size_t table_column, const EncodeColumns& step,
                                              const std::string& name,
                                              const std::string& at) const {
  if (const auto it = step.categories.find(name); it != step.categories.end()) return it->second;
  // The sorted distinct values, as the paper's loader codes categories.
  std::set<std::string, std::less<>> distinct;
  for (std::size_t r : rows_) {
    const std::string_view cell = source_.table.cell(r, table_column);
    if (cell.empty()) fail_cell(r, table_column, "empty; add a drop_empty step before " + at);
    distinct.emplace(cell);
  }
  return {distinct.begin(), distinct.end()};
}

std::vector<double> Frame::codes_of(std::size_t table_column,
                                    const std::vector<std::string>& categories,
                                    const std::string& listed_in, const std::string& at) const {
  std::map<std::string, std::size_t, std::less<>> code_of;
  for (std::size_t k = 0; k < categories.size(); ++k) code_of.emplace(categories[k], k);
  std::vector<double> codes(source_.table.rows(), 0.0);
  for (std::size_t r : rows_) {
    const std::string_view cell = source_.table.cell(r, table_column);
    if (cell.empty()) fail_cell(r, table_column, "empty; add a drop_empty step before " + at);
    const auto it = code_of.find(cell);
    if (it == code_of.end())
      fail_cell(r, table_column,
                in_quotes(cell) + " is not one of the categories listed in " + listed_in);
    codes[r] = static_cast<double>(it->second);
  }
  return codes;
}

void Frame::encode_column(const EncodeColumns& step, std::size_t i, const std::string& at) {
  const std::string& name = step.columns[i];
  const std::string field = at + ".columns[" + std::to_string(i) + "]";
  const std::size_t index = require_column(name, field);
  if (!columns_[index].source) {
    throw InvalidInput(field + ": column " + in_quotes(name) +
                       " already holds codes from an earlier encoding step");
  }
  const std::size_t table_column = *columns_[index].source;
  const auto categories = categories_of(table_column, step, name, at);
  if (step.encoding == Encoding::OneHot && categories.size() > kMaxOneHotCategories) {
    throw InvalidInput(field + ": " + in_quotes(name) + " has " +
                       std::to_string(categories.size()) + " distinct values, more than the " +
                       std::to_string(kMaxOneHotCategories) + " one_hot allows (use ordinal)");
  }
  std::vector<double> codes = codes_of(table_column, categories, at + ".categories." + name, at);
  std::vector<Column> replacement;
  if (step.encoding == Encoding::Ordinal) {
    replacement.push_back({name, std::nullopt, std::move(codes)});
  } else {
    for (std::size_t k = 0; k < categories.size(); ++k) {
      Column indicator{name + "=" + categories[k], std::nullopt,
                       std::vector<double>(codes.size(), 0.0)};
      for (std::size_t r : rows_)
        indicator.numbers[r] = codes[r] == static_cast<double>(k) ? 1.0 : 0.0;
      replacement.push_back(std::move(indicator));
    }
  }
  columns_.erase(columns_.begin() + static_cast<std::ptrdiff_t>(index));
  for (const auto& c : replacement) {
    if (std::any_of(columns_.begin(), columns_.end(),
                    [&](const Column& o) { return o.name == c.name; })) {
      throw InvalidInput(field + ": encoding " + in_quotes(name) + " makes a column " +
                         in_quotes(c.name) + " that exists already");
    }
  }
  columns_.insert(columns_.begin() + static_cast<std::ptrdiff_t>(index), replacement.begin(),
                  replacement.end());
  categories_[name] = categories;
  encodings_[name] = step.encoding;
}

void Frame::encode(const EncodeColumns& step, const std::string& at) {
  for (std::size_t i = 0; i < step.columns.size(); ++i) encode_column(step, i, at);
}

void Frame::encode_catalog_categoricals(const std::string& at) {
  EncodeColumns implicit;
  for (const auto& name : source_.catalog_categorical) {
    const bool text_column = std::any_of(columns_.begin(), columns_.end(), [&](const Column& c) {
      return c.name == name && c.source;
    });
    if (text_column) implicit.columns.push_back(name);
  }
  if (!implicit.columns.empty()) encode(implicit, at);
}

FrameNumbers Frame::to_numbers(const std::string& at) const {
  if (columns_.empty()) throw InvalidInput(at + ": no feature column remains after the steps");
  if (rows_.empty()) {
    throw InvalidInput(at + ": no rows remain after the steps (" + std::to_string(rows_dropped_) +
                       " dropped as empty, " + std::to_string(rows_filtered_) + " filtered out)");
  }
  FrameNumbers out;
  for (const auto& c : columns_) out.features.push_back(c.name);
  out.values.reserve(rows_.size() * columns_.size());
  const std::string end = "the end of " + at + "'s steps";
  const std::string hint = "encode the column with an ordinal or one_hot step in " + at + ".steps";
  for (std::size_t r : rows_) {
    for (const auto& c : columns_) out.values.push_back(number_at(r, c, end, hint));
  }
  if (!label_) return out;
  out.labels.reserve(rows_.size());
  for (std::size_t r : rows_) {
    const std::string_view cell = source_.table.cell(r, *label_);
    if (cell.empty()) fail_cell(r, *label_, "the label is empty; add a drop_empty step");
    if (source_.positive) {
      out.labels.push_back(cell == *source_.positive ? 1.0f : 0.0f);
    } else if (cell == "0" || cell == "1") {
      out.labels.push_back(cell == "1" ? 1.0f : 0.0f);
    } else {
      fail_cell(r, *label_,
                "label " + in_quotes(cell) +
                    " is neither 0 nor 1; say which value is positive (source.positive)");
    }
  }
  return out;
}

}  // namespace dlaaw::pipeline
