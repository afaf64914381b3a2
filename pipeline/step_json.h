// step_json.h - maps a dataset task's source and steps to and from JSON, checking types as it
// reads.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "pipeline/dataset_steps.h"

namespace dlaaw::pipeline {

// Reads the source object found at `path` ("tasks.prep.source"). Throws InvalidInput
// "path.key: ..." for a wrong type or an unknown field; semantics are validate_pipeline's.
DatasetSource source_from_json(const nlohmann::json& j, const std::string& path);
nlohmann::json source_to_json(const DatasetSource& source);

// Reads one step found at `path` ("tasks.prep.steps[2]"). Throws InvalidInput naming the field
// for a missing or unknown "op", a wrong type, a missing required field or an unknown field.
Step step_from_json(const nlohmann::json& j, const std::string& path);
// The step as JSON, every setting written out (what cache keys hash).
nlohmann::json step_to_json(const Step& step);

}  // namespace dlaaw::pipeline
