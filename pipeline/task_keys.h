// task_keys.h - cache keys of pipeline tasks, and which tasks a resubmission reruns.
//
// As Nextflow's -resume and DVC do, a task's key is a hash of everything its output depends on:
//   sha256(canonical JSON of {format, kind, settings, resource (train, evaluate, predict),
//                             inputs: [{role, key of the needed task}], source_sha256 (dataset)})
// Every task is deterministic (seeded), so a key names one output, and a task whose key has a
// stored output is reused. Because inputs enter by key, changing one task changes its key and
// the keys of exactly the tasks downstream of it. Task names do not enter a key (renaming a task
// reuses its output); the resource does where it can change the numbers (training on a GPU and
// on a CPU differ in the last bits), and not for dataset and compare tasks.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "pipeline/pipeline_document.h"
#include "pipeline/task_graph.h"

namespace dlaaw::pipeline {

// Changes whenever a task's output for the same settings changes (e.g. the prepared format).
inline constexpr const char* kKeyFormat = "dlaaw/pipeline-key@1";

// The sha256 of every dataset task's source, by task name: the catalog's recorded sha256 (the
// file is checked against it when read), or the file's, read from under data_dir. Throws
// InvalidInput naming the field for a path outside data_dir or a missing file.
std::map<std::string, std::string> source_hashes(const PipelineDocument& pipeline,
                                                 const std::filesystem::path& data_dir);

// The key of every task of an expanded pipeline (no sweep tasks), by name. Throws
// std::invalid_argument for a sweep task or a dataset task missing from `sources`.
std::map<std::string, std::string> task_keys(const PipelineDocument& expanded,
                                             const std::map<std::string, std::string>& sources);

// What `--force TASK...` reruns: each named task and every task depending on it. Throws
// InvalidInput "--force: unknown task ..." for a name not in the graph.
std::set<std::string> forced_tasks(const TaskGraph& graph, const std::vector<std::string>& names);

// What a resubmission does with each task, each list in topological order.
struct ResumePlan {
  std::vector<std::string> reuse;  // its key has a stored output and it is not forced
  std::vector<std::string> run;
};

// Splits the tasks by whether their key is in `stored` (keys with a stored output) and not forced.
ResumePlan plan_resume(const TaskGraph& graph, const std::map<std::string, std::string>& keys,
                       const std::set<std::string>& stored, const std::set<std::string>& forced);

}  // namespace dlaaw::pipeline
