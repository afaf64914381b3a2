// workflow_validation.cpp - the rules a workflow document must satisfy before it runs.
#include "nnworkflow/workflow_validation.h"

#include <cmath>

#include "common/errors.h"
#include "datasets/catalog.h"
#include "resources/resource.h"

namespace dlaaw::nnworkflow {
namespace {

std::string at(std::size_t i) { return "network[" + std::to_string(i) + "]"; }

void validate_dataset(const datasets::DatasetSpec& s) {
  const int sources = (s.catalog ? 1 : 0) + (s.path ? 1 : 0) + (s.synthetic ? 1 : 0);
  if (sources != 1) {
    throw InvalidInput("dataset: give exactly one of \"catalog\", \"path\" or \"synthetic\"");
  }
  if (s.catalog) {
    if (!datasets::find_in_catalog(*s.catalog)) {
      throw InvalidInput("dataset.catalog: unknown dataset \"" + *s.catalog +
                         "\" (known: " + datasets::catalog_names() + ")");
    }
    if (s.label || s.positive || !s.categorical.empty() || !s.drop.empty() || s.header) {
      throw InvalidInput(
          "dataset: a catalog dataset takes no label, positive, categorical, drop "
          "or header (the catalog sets them)");
    }
  }
  if (s.path) {
    if (s.path->empty()) throw InvalidInput("dataset.path: empty");
    if (!s.label || s.label->empty())
      throw InvalidInput("dataset.label: missing (name the label column)");
  }
}

// Returns the number of inputs the network expects.
void validate_network(const std::vector<NNTask>& network) {
  if (network.empty())
    throw InvalidInput("network: empty (give at least Linear(n, 1) and Sigmoid)");
  if (network.front().type != LayerType::Linear) {
    throw InvalidInput(at(0) + ": the network must start with a Linear layer, not " +
                       std::string(layer_type_name(network.front().type)));
  }
  int width = 0;
  for (std::size_t i = 0; i < network.size(); ++i) {
    const NNTask& t = network[i];
    if (t.type == LayerType::Linear) {
      if (t.in <= 0)
        throw InvalidInput(at(i) + ": Linear.in must be positive, got " + std::to_string(t.in));
      if (t.out <= 0)
        throw InvalidInput(at(i) + ": Linear.out must be positive, got " + std::to_string(t.out));
      if (i > 0 && t.in != width) {
        throw InvalidInput(at(i) + ": Linear.in is " + std::to_string(t.in) +
                           " but the previous layer gives " + std::to_string(width));
      }
      width = t.out;
    } else if (network[i - 1].is_activation()) {
      throw InvalidInput(at(i) + ": " + std::string(layer_type_name(t.type)) +
                         " follows another activation; put a Linear layer between them");
    }
  }
  const std::size_t last = network.size() - 1;
  if (network[last].type != LayerType::Sigmoid || width != 1) {
    throw InvalidInput(at(last) +
                       ": the network must end with Sigmoid after a Linear with one "
                       "output, since the loss is binary cross-entropy");
  }
}

void validate_training(const TrainingSpec& t) {
  if (!t.epochs) throw InvalidInput("training.epochs: missing (how many passes over the data)");
  if (*t.epochs < 1 || *t.epochs > 100'000'000) {
    throw InvalidInput("training.epochs: must be a positive integer, got " +
                       std::to_string(*t.epochs));
  }
  if (t.batches && t.batch_size) {
    throw InvalidInput("training: give batches or batch_size, not both");
  }
  if (t.batches && *t.batches < 1) {
    throw InvalidInput("training.batches: must be at least 1, got " + std::to_string(*t.batches));
  }
  if (t.batch_size && *t.batch_size < 1) {
    throw InvalidInput("training.batch_size: must be at least 1, got " +
                       std::to_string(*t.batch_size));
  }
  const double lr = t.effective_learning_rate();
  if (!(lr > 0.0) || !std::isfinite(lr)) {
    throw InvalidInput("training.learning_rate: must be positive, got " + std::to_string(lr));
  }
  const double mu = t.effective_momentum();
  if (!(mu >= 0.0 && mu < 1.0)) {
    throw InvalidInput("training.momentum: must be in [0, 1), got " + std::to_string(mu));
  }
  if (t.init && *t.init != "xavier_uniform") {
    throw InvalidInput("training.init: \"" + *t.init +
                       "\" is not supported (expected xavier_uniform)");
  }
  if (t.kernel && !kernels::parse_kernel_choice(*t.kernel)) {
    throw InvalidInput("training.kernel: \"" + *t.kernel + "\" is not a kernel (expected " +
                       kernels::kernel_choice_names() + ")");
  }
}

}  // namespace

int TrainingSpec::batches_for(std::size_t rows) const {
  if (batch_size) return static_cast<int>((rows + *batch_size - 1) / *batch_size);
  return batches.value_or(6);
}

void validate_plan(const PlanSpec& p, const std::string& at) {
  if (p.type == PlanType::TrainTest) {
    const double f = p.effective_test_fraction();
    if (!(f > 0.0 && f < 1.0)) {
      throw InvalidInput(at + ".test_fraction: must be between 0 and 1 (exclusive), got " +
                         std::to_string(f));
    }
    return;
  }
  if (!p.k) throw InvalidInput(at + ".k: missing (the number of folds, at least 2)");
  if (*p.k < 2 || *p.k > kMaxFolds) {
    throw InvalidInput(at + ".k: must be from 2 to " + std::to_string(kMaxFolds) + " folds, got " +
                       std::to_string(*p.k));
  }
}

void validate_workflow(const WorkflowDocument& d) {
  if (d.name.empty()) throw InvalidInput("name: empty");
  validate_dataset(d.dataset);
  validate_network(d.network);
  if (d.dataset.catalog) {
    const auto entry = datasets::find_in_catalog(*d.dataset.catalog);
    if (d.network.front().in != entry->features) {
      throw InvalidInput(at(0) + ": Linear.in is " + std::to_string(d.network.front().in) +
                         " but dataset \"" + entry->name + "\" has " +
                         std::to_string(entry->features) + " features");
    }
  }
  if (d.dataset.synthetic && d.network.front().in != d.dataset.synthetic->features) {
    throw InvalidInput(at(0) + ": Linear.in is " + std::to_string(d.network.front().in) +
                       " but the synthetic dataset has " +
                       std::to_string(d.dataset.synthetic->features) + " features");
  }
  validate_plan(d.plan, "plan");
  validate_training(d.training);
  // Whether the resource exists depends on the registry of whoever queues or serves the job
  // (client::prepare_job, the executor); the document itself only has to name one properly.
  if (d.resource) resources::check_resource_name(*d.resource, "resource");
  if (d.memory && !kernels::parse_memory_path(*d.memory)) {
    throw InvalidInput("memory: \"" + *d.memory + "\" is not a memory mode (expected " +
                       kernels::memory_path_names() + ")");
  }
}

ValidWorkflow::ValidWorkflow(WorkflowDocument document) : document_(std::move(document)) {
  validate_workflow(document_);
}

}  // namespace dlaaw::nnworkflow
