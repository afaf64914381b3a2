// model_mapping.h - turns a workflow's layer tasks into the dense layers a backend trains.
#pragma once

#include <vector>

#include "kernels/model_spec.h"
#include "nnworkflow/nn_task.h"

namespace dlaaw::executor {

// Each Linear takes the activation that follows it; the final Sigmoid is folded into the loss, so
// the last layer gives a logit. Expects a validated network.
kernels::ModelSpec model_spec_from_network(const std::vector<nnworkflow::NNTask>& network);

}  // namespace dlaaw::executor
