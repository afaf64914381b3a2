// model_predictor.h - applies a stored model (weights, scaler, category codes) to new rows.
#pragma once

#include <vector>

#include "datasets/csv_reader.h"
#include "results/run_result.h"

namespace dlaaw::executor {

// Scores (probability of the positive class) for every row of `table`, computed exactly as at
// training time: category codes and min-max scaling from `model`, then the forward pass on the
// CPU backend. Columns are matched by name (a file without a header must have the training
// file's columns in order); the label column may be absent. Throws InvalidInput naming the file,
// line and column of a missing column, an unseen category, an empty or non-numeric cell.
std::vector<float> predict_with_model(const results::TrainedModel& model,
                                      const datasets::CsvTable& table);

}  // namespace dlaaw::executor
