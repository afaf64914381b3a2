// paper_sweep.cpp - composing the demo's sweep and choosing its executors.
#include "service/paper_sweep.h"

#include "common/errors.h"
#include "common/json_fields.h"
#include "datasets/catalog.h"

namespace dlaaw::service {
namespace {

using nlohmann::json;

// One paper workflow, on its catalog file or on synthetic data of the same shape.
json paper_workflow(const std::filesystem::path& file, bool real) {
  json doc = read_json_file(file.string());
  if (real) return doc;
  const auto entry = datasets::find_in_catalog(doc.at("dataset").at("catalog").get<std::string>());
  if (!entry) throw InvalidInput(file.string() + ": dataset.catalog: not in the catalog");
  doc["dataset"] = {
      {"synthetic", {{"rows", entry->rows}, {"features", entry->features}, {"seed", 1}}}};
  doc["name"] = doc.at("name").get<std::string>() + "-synthetic";
  return doc;
}

}  // namespace

nnworkflow::SweepDocument paper_sweep(const PaperSweepOptions& o) {
  nnworkflow::SweepDocument sweep;
  sweep.name = std::string(o.full ? "paper-table1" : "paper-quick") + (o.real ? "" : "-synthetic");
  for (const char* name : {"nn1", "nn2", "nn3", "nn4", "nn5"})
    sweep.workflows.push_back(
        paper_workflow(o.examples_dir / (std::string(name) + ".json"), o.real));
  std::vector<json> plans{{{"type", "train_test"}, {"test_fraction", 0.2}}};
  if (o.full) plans.push_back({{"type", "kfold"}, {"k", 6}});
  std::vector<json> seeds;
  for (int s = 1; s <= (o.full ? 5 : 2); ++s) seeds.push_back(s);
  sweep.axes = {{"resource", {json("live")}}, {"plan", plans}, {"seed", seeds}};
  return sweep;
}

std::vector<std::string> demo_resources(const resources::ResourceRegistry& registry,
                                        const executor::Machine& machine) {
  std::vector<std::string> out;
  for (const auto backend : {resources::Backend::Cpu, resources::Backend::Cuda}) {
    for (const auto& r : registry.resources()) {
      if (r.built_in && r.backend == backend && !executor::unmet_requirement(r, machine)) {
        out.push_back(r.name);
        break;
      }
    }
  }
  return out;
}

}  // namespace dlaaw::service
