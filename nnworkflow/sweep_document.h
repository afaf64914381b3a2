// sweep_document.h - the sweep document "dlaaw/sweep@1": workflows and axes to vary.
//
//   {"schema": "dlaaw/sweep@1", "name": "table1",
//    "workflows": ["nn1.json", "nn2.json"],   // paths relative to the sweep
//    "axes": {"seed": [1, 2, 3], "plan": [{"type": "train_test"}, {"type": "kfold", "k": 6}],
//             "resource": ["live"]},
//    "mode": "grid"}                                   // or "random" with "samples" and "seed"
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nnworkflow/workflow_document.h"
#include "nnworkflow/workflow_validation.h"

namespace dlaaw::nnworkflow {

inline constexpr const char* kSweepSchema = "dlaaw/sweep@1";
// Limits of expand_sweep: the grid it draws from, and the members it returns.
inline constexpr std::size_t kMaxSweepCombinations = 1'000'000;
inline constexpr std::size_t kMaxSweepMembers = 10'000;

struct SweepDocument {
  std::string name;
  std::vector<nlohmann::json> workflows;  // workflow documents (files already read)
  std::vector<std::pair<std::string, std::vector<nlohmann::json>>> axes;  // name -> values
  std::string mode = "grid";
  int samples = 0;  // random mode
  std::uint64_t seed = 1;
};

// One member of a sweep: its document and the parameters that made it (for its key and labels).
struct SweepMember {
  ValidWorkflow document;
  nlohmann::json parameters;  // {"workflow": name, axis: value, ...}
  std::string label;          // "nn2-pima seed=3 plan=kfold"
};

// Reads a sweep file; workflow paths resolve relative to its folder. Throws InvalidInput naming
// the field.
SweepDocument load_sweep_file(const std::string& path);
SweepDocument sweep_from_json(const nlohmann::json& j, const std::filesystem::path& base_dir);

// Every member (grid: all combinations; random: `samples` of them drawn with the sweep's seed),
// each validated. Throws InvalidInput "member 7 (nn2-pima seed=3): network[0]: ..." for the first
// invalid one, so that nothing is queued, and for a grid or a member count past the limits above.
std::vector<SweepMember> expand_sweep(const SweepDocument& sweep);

}  // namespace dlaaw::nnworkflow
