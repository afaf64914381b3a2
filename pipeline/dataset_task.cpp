// dataset_task.cpp - static checks and the static feature count of dataset tasks.
#include "pipeline/dataset_task.h"

#include <algorithm>
#include <set>

#include "common/errors.h"
#include "datasets/catalog.h"
#include "nnworkflow/workflow_validation.h"

namespace dlaaw::pipeline {
namespace {

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

void validate_source(const DatasetSource& s, const std::string& path) {
  if ((s.catalog ? 1 : 0) + (s.path ? 1 : 0) != 1) {
    throw InvalidInput(path + ": give exactly one of \"catalog\" or \"path\"");
  }
  if (s.catalog) {
    if (!datasets::find_in_catalog(*s.catalog)) {
      throw InvalidInput(path + ".catalog: unknown dataset " + in_quotes(*s.catalog) +
                         " (known: " + datasets::catalog_names() + ")");
    }
    if (s.label || s.positive || s.header) {
      throw InvalidInput(
          path + ": a catalog source takes no label, positive or header (the catalog sets them)");
    }
    return;
  }
  if (s.path->empty()) throw InvalidInput(path + ".path: empty");
  if (s.label && s.label->empty()) throw InvalidInput(path + ".label: empty");
  if (s.positive && !s.label) throw InvalidInput(path + ".positive: given without a label column");
}

// A non-empty list of distinct columns, none of them the label.
void validate_columns(const std::vector<std::string>& columns,
                      const std::optional<std::string>& label, const std::string& field,
                      std::string_view op) {
  if (columns.empty()) throw InvalidInput(field + ": empty (name at least one column)");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::string at = field + "[" + std::to_string(i) + "]";
    if (!seen.insert(columns[i]).second)
      throw InvalidInput(at + ": " + in_quotes(columns[i]) + " is named twice");
    if (label && columns[i] == *label) {
      throw InvalidInput(at + ": " + in_quotes(columns[i]) + " is the label, which " +
                         std::string(op) + " cannot take (the label is always kept as the class)");
    }
  }
}

void validate_encoding(const EncodeColumns& e, const std::optional<std::string>& label,
                       const std::string& at) {
  validate_columns(e.columns, label, at + ".columns", encoding_name(e.encoding));
  for (const auto& [column, values] : e.categories) {
    const std::string field = at + ".categories." + column;
    if (std::find(e.columns.begin(), e.columns.end(), column) == e.columns.end()) {
      throw InvalidInput(field + ": " + in_quotes(column) + " is not in this step's columns");
    }
    if (values.empty()) throw InvalidInput(field + ": empty (list the column's values)");
    if (e.encoding == Encoding::OneHot && values.size() > kMaxOneHotCategories) {
      throw InvalidInput(field + ": " + std::to_string(values.size()) +
                         " categories, more than the " + std::to_string(kMaxOneHotCategories) +
                         " one_hot allows (use ordinal)");
    }
    std::set<std::string> seen;
    for (const auto& v : values) {
      if (!seen.insert(v).second)
        throw InvalidInput(field + ": " + in_quotes(v) + " is listed twice");
    }
  }
}

void validate_filter(const RowFilter& r, const std::string& at) {
  if (r.column.empty()) throw InvalidInput(at + ".column: empty");
  const bool ordering =
      r.test != Comparison::Equal && r.test != Comparison::NotEqual && r.test != Comparison::In;
  if (ordering && !r.values.at(0).number) {
    throw InvalidInput(at + ".value: " + std::string(comparison_name(r.test)) +
                       " compares numbers, but " + describe_value(r.values[0]) + " is a string");
  }
}

}  // namespace

std::optional<std::string> source_label(const DatasetSource& source) {
  if (source.catalog) {
    if (const auto entry = datasets::find_in_catalog(*source.catalog)) return entry->label;
    return std::nullopt;
  }
  return source.label;
}

std::optional<SplitRows> find_split(const DatasetSettings& dataset) {
  for (const auto& step : dataset.steps) {
    if (const auto* s = std::get_if<SplitRows>(&step)) return *s;
  }
  return std::nullopt;
}

void validate_dataset_task(const DatasetSettings& d, const std::string& path) {
  validate_source(d.source, path + ".source");
  const auto label = source_label(d.source);
  bool split = false, scaled = false;
  for (std::size_t i = 0; i < d.steps.size(); ++i) {
    const Step& step = d.steps[i];
    const std::string at = path + ".steps[" + std::to_string(i) + "]";
    const std::string op(step_op_name(step));
    if (scaled)
      throw InvalidInput(at + ".op: " + op + " after min_max_scale (scaling is the last step)");
    if (split && !std::holds_alternative<MinMaxScale>(step)) {
      throw InvalidInput(at + ".op: " + op + " after the split (only min_max_scale may follow it)");
    }
    if (const auto* s = std::get_if<SelectColumns>(&step))
      validate_columns(s->columns, label, at + ".columns", op);
    if (const auto* s = std::get_if<DropColumns>(&step))
      validate_columns(s->columns, label, at + ".columns", op);
    if (const auto* e = std::get_if<EncodeColumns>(&step)) validate_encoding(*e, label, at);
    if (const auto* r = std::get_if<RowFilter>(&step)) validate_filter(*r, at);
    if (const auto* s = std::get_if<SplitRows>(&step)) {
      nnworkflow::validate_plan(s->plan, at);
      split = true;
    }
    if (std::holds_alternative<MinMaxScale>(step)) {
      if (!split) {
        throw InvalidInput(
            at +
            ".op: min_max_scale needs a split before it (it is fitted on the training rows only)");
      }
      scaled = true;
    }
  }
  const auto features = static_feature_count(d);
  if (features.count && *features.count < 1)
    throw InvalidInput(path + ".steps: no feature column remains");
}

FeatureCount static_feature_count(const DatasetSettings& d) {
  FeatureCount out;
  if (d.source.catalog) {
    if (const auto entry = datasets::find_in_catalog(*d.source.catalog))
      out.count = entry->features;
  } else {
    out.unknown_because = "the columns of " + in_quotes(d.source.path.value_or("")) +
                          " are known only when it is read";
  }
  for (std::size_t i = 0; i < d.steps.size(); ++i) {
    const Step& step = d.steps[i];
    if (const auto* s = std::get_if<SelectColumns>(&step)) {
      out = {static_cast<int>(s->columns.size()), ""};
    } else if (const auto* s = std::get_if<DropColumns>(&step); s && out.count) {
      *out.count -= static_cast<int>(s->columns.size());
    } else if (const auto* e = std::get_if<EncodeColumns>(&step);
               e && e->encoding == Encoding::OneHot) {
      for (const auto& column : e->columns) {
        const auto it = e->categories.find(column);
        if (it == e->categories.end()) {
          // One-hot columns without listed categories take their values from the data, so their
          // width is known only at run time, where prepare_dataset reports it.
          out = {std::nullopt, "one_hot of " + in_quotes(column) + " (steps[" + std::to_string(i) +
                                   "]) takes its categories from the data"};
        } else if (out.count) {
          *out.count += static_cast<int>(it->second.size()) - 1;
        }
      }
    }
  }
  return out;
}

}  // namespace dlaaw::pipeline
