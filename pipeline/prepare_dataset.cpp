// prepare_dataset.cpp - a dataset task's steps, its split and its scalers.
#include "pipeline/prepare_dataset.h"

#include "common/errors.h"
#include "datasets/splits.h"
#include "pipeline/dataset_task.h"
#include "pipeline/frame.h"

namespace dlaaw::pipeline {
namespace {

// The part of every row (in source order): 0 train / 1 test, or the fold it is tested in.
// The datasets/ split functions decide which rows; this only reads their test lists.
std::vector<int> parts_by_row(std::size_t rows, const SplitRows& split) {
  std::vector<int> parts(rows, 0);
  if (split.plan.type == nnworkflow::PlanType::TrainTest) {
    for (std::size_t r :
         datasets::train_test_split(rows, split.plan.effective_test_fraction(), split.seed).test)
      parts[r] = 1;
    return parts;
  }
  const auto folds = datasets::kfold_splits(rows, split.plan.k.value_or(0), split.seed);
  for (std::size_t j = 0; j < folds.size(); ++j) {
    for (std::size_t r : folds[j].test) parts[r] = static_cast<int>(j);
  }
  return parts;
}

// Reorders the rows into the split's shuffled order and records each row's part.
void apply_split(PreparedDataset& p, const SplitRows& split, const std::string& at) {
  std::vector<int> parts;
  try {
    parts = parts_by_row(p.rows(), split);
  } catch (const InvalidInput& e) {
    throw InvalidInput(at + ": " + e.what());
  }
  const auto order = datasets::shuffled_rows(p.rows(), split.seed);
  std::vector<double> values;
  std::vector<float> labels;
  values.reserve(p.values.size());
  for (std::size_t r : order) {
    values.insert(values.end(), p.values.begin() + static_cast<std::ptrdiff_t>(r * p.cols()),
                  p.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * p.cols()));
    if (!p.labels.empty()) labels.push_back(p.labels[r]);
    p.parts.push_back(parts[r]);
  }
  p.values = std::move(values);
  p.labels = std::move(labels);
  p.schema.split = split;
}

void fit_scalers(PreparedDataset& p) {
  for (const auto& split : splits_of(p))
    p.schema.scalers.push_back(datasets::MinMaxScaler::fit(p.values, p.cols(), split.train));
}

}  // namespace

PreparedDataset prepare_dataset(const SourceTable& source, const DatasetSettings& dataset,
                                const std::string& path) {
  validate_dataset_task(dataset, path);
  Frame frame(source, path);
  std::optional<std::pair<SplitRows, std::string>> split;
  bool scale = false;
  for (std::size_t i = 0; i < dataset.steps.size(); ++i) {
    const std::string at = path + ".steps[" + std::to_string(i) + "]";
    const Step& step = dataset.steps[i];
    if (std::holds_alternative<DropEmpty>(step)) frame.drop_empty();
    if (const auto* s = std::get_if<SelectColumns>(&step)) frame.select(*s, at);
    if (const auto* s = std::get_if<DropColumns>(&step)) frame.drop(*s, at);
    if (const auto* s = std::get_if<RowFilter>(&step)) frame.filter(*s, at);
    if (const auto* s = std::get_if<EncodeColumns>(&step)) frame.encode(*s, at);
    if (const auto* s = std::get_if<SplitRows>(&step)) split.emplace(*s, at);
    if (std::holds_alternative<MinMaxScale>(step)) scale = true;
  }
  frame.encode_catalog_categoricals(path + ".source.catalog");
  FrameNumbers numbers = frame.to_numbers(path);

  PreparedDataset p;
  auto& s = p.schema;
  s.source_name = source.name;
  s.source_sha256 = source.sha256;
  s.note = source.note;
  s.features = std::move(numbers.features);
  s.label = source.label;
  s.positive = source.positive.value_or(source.label ? "1" : "");
  s.categories = frame.categories();
  s.encodings = frame.encodings();
  s.rows = frame.rows();
  s.rows_read = source.table.rows();
  s.rows_dropped = frame.rows_dropped();
  s.rows_filtered = frame.rows_filtered();
  p.values = std::move(numbers.values);
  p.labels = std::move(numbers.labels);
  if (split) apply_split(p, split->first, split->second);
  if (scale) fit_scalers(p);
  return p;
}

PreparedDataset run_dataset_task(const DatasetSettings& dataset,
                                 const std::filesystem::path& data_dir, const std::string& path) {
  return prepare_dataset(read_source_table(dataset.source, data_dir, path), dataset, path);
}

}  // namespace dlaaw::pipeline
