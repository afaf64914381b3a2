// pipeline_json.h - maps pipeline documents to and from JSON, checking types as it reads.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "pipeline/pipeline_document.h"

namespace dlaaw::pipeline {

// Reads a document; "workflow_file" and "sweep_file" (and a sweep's workflow files) resolve
// relative to `base_dir` and are read now. Without a base_dir (a document from Redis, an event or
// a request) no file is read: naming one is an error. Throws InvalidInput naming the field
// ("tasks.prep.steps[2].op: unknown step ...") for a wrong type, a missing or unknown field, a
// task name that is not a plain name, or another schema. Semantics are validate_pipeline's.
PipelineDocument pipeline_from_json(const nlohmann::json& j,
                                    const std::optional<std::filesystem::path>& base_dir);

// The resolved document as JSON: files are inlined, so it can be stored and run elsewhere;
// pipeline_from_json(pipeline_to_json(d)) == d for a document as read (sweeps not expanded).
nlohmann::json pipeline_to_json(const PipelineDocument& pipeline);

// A task's kind-specific fields ("source" and "steps", "workflow", "threshold", "sweep"), every
// setting written out in one canonical form: what a cache key hashes.
nlohmann::json task_settings_json(const TaskSpec& task);

// Reads, parses and validates (validate_pipeline) a pipeline file; messages start with its name.
PipelineDocument load_pipeline_file(const std::string& path);

// True for a name usable as a task, pipeline or resource name: 1 to 64 letters, digits, '-' or
// '_', starting with a letter or digit (names appear in Redis keys, URLs and file names).
bool is_plain_name(std::string_view name);

}  // namespace dlaaw::pipeline
