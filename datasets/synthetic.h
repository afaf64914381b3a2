// synthetic.h - two noisy Gaussian blobs, any rows x features, for tests and scale runs.
#pragma once

#include "datasets/dataset.h"

namespace dlaaw::datasets {

// Each row's label is a fair coin; its features are N(+1, 1) for class 1 and N(-1, 1) for class 0,
// all drawn from SplitMix64(seed). Throws InvalidInput for zero rows or features.
Dataset make_synthetic(const SyntheticSpec& spec);

}  // namespace dlaaw::datasets
