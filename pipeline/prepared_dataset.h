// prepared_dataset.h - a dataset task's output: numeric rows with their split and fitted scalers,
// stored as a CSV plus a JSON manifest.
//
// The CSV: a header, then one line per row: every feature, the label (0/1; left out when the
// rows are unlabelled) and, when split, the part: "train"/"test", or for k folds the 0-based fold
// the row is tested in. Numbers are written in the shortest form that reads back to the same
// double, so the features read back bit for bit.
//
// Reproducing a split exactly: rows are stored in the split's shuffled order
// (datasets::shuffled_rows with the split's seed), so each part is one contiguous block, and a
// part's training rows in file order are exactly, in order, the training rows that
// train_test_split / kfold_splits give for that seed: fold j trains on the rows whose part is not
// j and tests on part j (train_test: part "train" and part "test"). splits_of() returns them.
//
// Reproducing scaling exactly: features are stored unscaled (k folds need k scalings of the same
// rows); the manifest holds one min-max scaler per split (one for train/test, k for k folds),
// fitted on that split's training rows, as full-precision JSON numbers. A consumer applies
// scalers[j].transform to the rows of splits_of()[j], which
// is what the engine computes when it fits the scaler itself. Without a min_max_scale step there
// are no scalers and the features are used as they are.
//
// The manifest (schema "dlaaw/prepared@1"): source (name, sha256), features, label, positive,
// categories and encodings, row counts, split (as its step), scalers, and the CSV's sha256 and
// size. The prepared dataset's identity is the manifest's sha256, which covers the CSV.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "datasets/dataset.h"
#include "datasets/min_max_scaler.h"
#include "datasets/splits.h"
#include "pipeline/dataset_steps.h"

namespace dlaaw::pipeline {

inline constexpr const char* kPreparedSchema = "dlaaw/prepared@1";

// Everything about a prepared dataset but its rows (what the manifest holds).
struct PreparedSchema {
  std::string source_name;  // catalog name or file name
  std::string source_sha256;
  std::string note;  // the catalog's caveat, if any
  std::vector<std::string> features;
  std::optional<std::string> label;  // unset: unlabelled rows
  std::string positive;              // the source's positive label value ("1" for 0/1 labels)
  std::map<std::string, std::vector<std::string>> categories;  // per encoded source column
  std::map<std::string, Encoding> encodings;
  std::size_t rows = 0;
  std::size_t rows_read = 0;
  std::size_t rows_dropped = 0;   // by drop_empty
  std::size_t rows_filtered = 0;  // by filters
  std::optional<SplitRows> split;
  std::vector<datasets::MinMaxScaler> scalers;  // none, or one per split
  // Field by field (datasets::MinMaxScaler has no operator==).
  bool operator==(const PreparedSchema& other) const;

  // The values a row's part takes: 0 without a split, 2 for train/test, k for k folds.
  int parts() const;
  // The splits trained on: 0 without a split, 1 for train/test, k for k folds.
  int splits() const;
};

struct PreparedDataset {
  PreparedSchema schema;
  std::vector<double> values;  // row-major, rows x features, in stored order
  std::vector<float> labels;   // 0/1 per row; empty when unlabelled
  std::vector<int> parts;      // per row when split: 0 train / 1 test, or the fold it is tested in
  bool operator==(const PreparedDataset&) const = default;

  std::size_t rows() const { return schema.rows; }
  std::size_t cols() const { return schema.features.size(); }
};

// The two files of a prepared dataset and the identity of the pair.
struct PreparedFiles {
  std::string manifest;  // JSON text
  std::string csv;
  std::string sha256;  // of `manifest`
};

// Writes the CSV and the manifest (which records the CSV's sha256).
PreparedFiles write_prepared(const PreparedDataset& prepared);

// Reads a manifest alone (e.g. a model's training dataset when checking features). The text is
// untrusted: throws InvalidInput naming the field for anything but a valid manifest.
PreparedSchema read_prepared_manifest(std::string_view manifest);

// The sha256 of the CSV a manifest describes (where to fetch it), read as read_prepared_manifest
// reads the manifest; throws as it does.
std::string prepared_csv_sha256(std::string_view manifest);

// Reads a manifest and its CSV. Throws InvalidInput when the CSV's sha256 or size differs from
// the manifest's, its header is not the manifest's columns, a cell is not a number, a label is
// not 0/1, a part is out of range or a part has no rows, or a scaler's width is not the features'.
PreparedDataset read_prepared(std::string_view manifest, std::string_view csv);

// The splits the rows are trained and tested on (one for train/test, k for k folds), as row
// indices in stored order. Throws InvalidInput when the dataset has no split.
std::vector<datasets::Split> splits_of(const PreparedDataset& prepared);

// The rows as the engine's Dataset (features unscaled; categories of ordinal columns only, since
// a Dataset's categories mean ordinal codes).
datasets::Dataset to_dataset(const PreparedDataset& prepared);

// Throws InvalidInput naming `at` unless a model trained on `trained_on` can be applied to rows
// prepared as `applied_to`: the same features in the same order, and the same categories for
// every encoded column (else codes would mean different values).
void require_same_features(const PreparedSchema& trained_on, const PreparedSchema& applied_to,
                           const std::string& at);

}  // namespace dlaaw::pipeline
