// pipeline_fixtures.h - small pipeline documents (as JSON) shared by the pipeline tests.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "pipeline/pipeline_json.h"
#include "pipeline/pipeline_validation.h"

namespace dlaaw::pipeline::testing {

using nlohmann::json;

inline json split_step(int k = 0, std::uint64_t seed = 1) {
  if (k > 0) return {{"op", "split"}, {"type", "kfold"}, {"k", k}, {"seed", seed}};
  return {{"op", "split"}, {"type", "train_test"}, {"test_fraction", 0.2}, {"seed", seed}};
}

// The paper's protocol as steps: drop empty rows, split, scale on the training rows.
inline json paper_steps(int k = 0) {
  return json::array({{{"op", "drop_empty"}}, split_step(k), {{"op", "min_max_scale"}}});
}

inline json dataset_task(const std::string& name, const std::string& catalog = "pima",
                         json steps = paper_steps()) {
  return {
      {"name", name}, {"kind", "dataset"}, {"source", {{"catalog", catalog}}}, {"steps", steps}};
}

// A one-layer network on `inputs` features, as a train task writes it (no dataset, no schema).
inline json workflow_json(int inputs,
                          json plan = {{"type", "train_test"}, {"test_fraction", 0.2}}) {
  return {{"network",
           json::array({{{"type", "Linear"}, {"in", inputs}, {"out", 1}}, {{"type", "Sigmoid"}}})},
          {"plan", plan},
          {"training", {{"epochs", 5}}}};
}

inline json train_task(const std::string& name, const std::string& data, int inputs = 8) {
  return {
      {"name", name}, {"kind", "train"}, {"needs", {data}}, {"workflow", workflow_json(inputs)}};
}

inline json task(const std::string& name, const std::string& kind, json needs) {
  return {{"name", name}, {"kind", kind}, {"needs", needs}};
}

inline json pipeline_json(json tasks) {
  return {{"schema", "dlaaw/pipeline@1"}, {"name", "p"}, {"tasks", tasks}};
}

// prep -> nn -> (eval on other) -> compare, with a predict beside.
inline json small_pipeline() {
  return pipeline_json(json::array(
      {dataset_task("prep"), train_task("nn", "prep"), train_task("nn-b", "prep"),
       dataset_task("other", "pima", json::array({{{"op", "drop_empty"}}})),
       task("eval", "evaluate", {"nn", "other"}), task("guess", "predict", {"nn", "other"}),
       task("table", "compare", {"nn", "nn-b", "eval"})}));
}

// The document read and validated.
inline PipelineDocument parsed(const json& j) {
  PipelineDocument p = pipeline_from_json(j, ".");
  validate_pipeline(p);
  return p;
}

// The InvalidInput message of reading and validating `j`, or "" when it is valid.
inline std::string error_of(const json& j) {
  try {
    parsed(j);
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "";
}

}  // namespace dlaaw::pipeline::testing
