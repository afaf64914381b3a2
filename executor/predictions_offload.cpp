// predictions_offload.cpp - stores a result's large predictions as a content-addressed blob.
#include "executor/predictions_offload.h"

#include "datasets/sha256.h"
#include "queue/blob_store.h"

namespace dlaaw::executor {

void offload_large_predictions(queue::RedisClient& redis, results::RunResult& result,
                               std::size_t limit) {
  std::string bytes = results::predictions_list_text(result);
  if (bytes.size() <= limit) return;
  std::size_t rows = 0;
  for (const auto& fold : result.folds) rows += fold.predictions.rows.size();
  const std::string sha256 = datasets::sha256_hex(bytes);
  // A blob, not a bare artifact: it expires like the dataset blobs if no tracker ever reads it.
  queue::put_blob(redis, sha256, bytes);
  result.predictions_artifact = results::PredictionsArtifact{sha256, bytes.size(), rows};
  for (auto& fold : result.folds) fold.predictions = {};
}

}  // namespace dlaaw::executor
