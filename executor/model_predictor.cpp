// model_predictor.cpp - a trained NNWorkflow reused on new data.
#include "executor/model_predictor.h"

#include <map>

#include "common/errors.h"
#include "datasets/category_codes.h"
#include "datasets/min_max_scaler.h"
#include "executor/model_mapping.h"
#include "kernels/cpu/cpu_backend.h"

namespace dlaaw::executor {
namespace {

// The table with its header set: a file without one must have the training file's columns (or
// just the features) in order.
datasets::CsvTable with_header(const datasets::CsvTable& input, const results::TrainedModel& m) {
  datasets::CsvTable table = input;
  if (table.had_header) return table;
  if (table.columns() == m.columns.size()) {
    table.header = m.columns;
  } else if (table.columns() == m.features.size()) {
    table.header = m.features;
  } else {
    throw InvalidInput(table.source + ": no header and " + std::to_string(table.columns()) +
                       " columns; the model needs the " + std::to_string(m.features.size()) +
                       " features (or the training file's " + std::to_string(m.columns.size()) +
                       " columns)");
  }
  return table;
}

}  // namespace

std::vector<float> predict_with_model(const results::TrainedModel& model,
                                      const datasets::CsvTable& input) {
  const datasets::CsvTable table = with_header(input, model);
  const auto& features = model.features;
  std::vector<std::size_t> index;
  for (const auto& name : features) {
    const auto c = table.find_column(name);
    if (!c)
      throw InvalidInput(table.source + ": column \"" + name +
                         "\" is missing (the model was trained on it)");
    index.push_back(*c);
  }
  std::map<std::string, datasets::CategoryCodes> codes;
  for (const auto& [feature, values] : model.categories)
    codes.emplace(feature, datasets::CategoryCodes(values));
  std::vector<double> values;
  values.reserve(table.rows() * features.size());
  for (std::size_t r = 0; r < table.rows(); ++r) {
    for (std::size_t f = 0; f < features.size(); ++f) {
      const std::string_view cell = table.cell(r, index[f]);
      const std::string where =
          table.source + ":" + std::to_string(table.lines[r]) + ": column \"" + features[f] + "\"";
      if (cell.empty()) throw InvalidInput(where + " is empty");
      if (const auto coded = codes.find(features[f]); coded != codes.end()) {
        const auto code = coded->second.code(cell);
        if (!code)
          throw InvalidInput(where + ": category \"" + std::string(cell) +
                             "\" was not seen in training");
        values.push_back(*code);
        continue;
      }
      double v;
      if (!datasets::parse_number(cell, v))
        throw InvalidInput(where + ": \"" + std::string(cell) + "\" is not a number");
      values.push_back(v);
    }
  }
  datasets::MinMaxScaler scaler;
  scaler.min = model.scaler_min;
  scaler.max = model.scaler_max;
  std::vector<std::size_t> rows(table.rows());
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
  const kernels::Matrix x{rows.size(), features.size(), scaler.transform(values, rows)};
  const auto spec = model_spec_from_network(model.layers);
  return kernels::cpu::CpuBackend(1).predict(spec, model.parameters, x);
}

}  // namespace dlaaw::executor
