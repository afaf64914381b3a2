// model_predictor.cpp - a trained NNWorkflow reused on new data.
#include "executor/model_predictor.h"

#include <algorithm>

#include "common/errors.h"
#include "datasets/min_max_scaler.h"
#include "executor/model_mapping.h"
#include "kernels/cpu/cpu_backend.h"
#include "nnworkflow/workflow_json.h"

namespace dlaaw::executor {

std::vector<float> predict_with_model(const nlohmann::json& model,
                                      const datasets::CsvTable& input) {
  datasets::CsvTable table = input;
  const auto features = model.at("features").get<std::vector<std::string>>();
  const auto columns = model.value("columns", std::vector<std::string>{});
  if (!table.had_header) {
    if (table.columns() == columns.size()) {
      table.header = columns;
    } else if (table.columns() == features.size()) {
      table.header = features;
    } else {
      throw InvalidInput(table.source + ": no header and " + std::to_string(table.columns()) +
                         " columns; the model needs the " + std::to_string(features.size()) +
                         " features (or the training file's " + std::to_string(columns.size()) +
                         " columns)");
    }
  }
  std::vector<std::size_t> index;
  for (const auto& name : features) {
    const auto c = table.find_column(name);
    if (!c)
      throw InvalidInput(table.source + ": column \"" + name +
                         "\" is missing (the model was trained on it)");
    index.push_back(*c);
  }
  const auto categories = model.value("categories", nlohmann::json::object());
  std::vector<double> values;
  values.reserve(table.rows() * features.size());
  for (std::size_t r = 0; r < table.rows(); ++r) {
    for (std::size_t f = 0; f < features.size(); ++f) {
      const std::string_view cell = table.cell(r, index[f]);
      const std::string where =
          table.source + ":" + std::to_string(table.lines[r]) + ": column \"" + features[f] + "\"";
      if (cell.empty()) throw InvalidInput(where + " is empty");
      if (categories.contains(features[f])) {
        const auto known = categories[features[f]].get<std::vector<std::string>>();
        const auto it = std::lower_bound(known.begin(), known.end(), cell);
        if (it == known.end() || *it != cell) {
          throw InvalidInput(where + ": category \"" + std::string(cell) +
                             "\" was not seen in training");
        }
        values.push_back(static_cast<double>(it - known.begin()));
        continue;
      }
      double v;
      if (!datasets::parse_number(cell, v))
        throw InvalidInput(where + ": \"" + std::string(cell) + "\" is not a number");
      values.push_back(v);
    }
  }
  datasets::MinMaxScaler scaler;
  scaler.min = model.at("scaler").at("min").get<std::vector<double>>();
  scaler.max = model.at("scaler").at("max").get<std::vector<double>>();
  std::vector<std::size_t> rows(table.rows());
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
  const kernels::Matrix x{rows.size(), features.size(), scaler.transform(values, rows)};
  const auto spec = model_spec_from_network(nnworkflow::network_from_json(model.at("layers")));
  return kernels::cpu::CpuBackend(1).predict(spec, model.at("parameters").get<std::vector<float>>(),
                                             x);
}

}  // namespace dlaaw::executor
