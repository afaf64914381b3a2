// sweep_fixtures.h - the small sweep the sweep tests submit: four seeds of a 2-feature network on
// synthetic rows, for the cpu resource.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "nnworkflow/sweep_document.h"

namespace dlaaw::testing {

inline nnworkflow::SweepDocument four_seed_sweep(const std::string& name) {
  using nlohmann::json;
  const json doc = {{"schema", "dlaaw/workflow@1"},
                    {"name", "blobs"},
                    {"dataset", {{"synthetic", {{"rows", 200}, {"features", 2}, {"seed", 1}}}}},
                    {"network", json::array({{{"type", "Linear"}, {"in", 2}, {"out", 1}},
                                             {{"type", "Sigmoid"}}})},
                    {"plan", {{"type", "train_test"}}},
                    {"training", {{"epochs", 3}}},
                    {"resource", "cpu"}};
  nnworkflow::SweepDocument s;
  s.name = name;
  s.workflows = {doc};
  s.axes = {{"seed", {1, 2, 3, 4}}};
  return s;
}

}  // namespace dlaaw::testing
