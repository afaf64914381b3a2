// predictions_offload.h - large test predictions travel beside the result event as an artifact.
#pragma once

#include <cstddef>

#include "queue/redis_client.h"
#include "results/run_result.h"

namespace dlaaw::executor {

// The most bytes of encoded predictions (every fold's, as JSON) a result event carries itself:
// about 30,000 rows. Above it they go to an artifact and the event carries its reference, so that
// a result stays small in the stream, the job's result key and the tracker's memory.
inline constexpr std::size_t kInlinePredictionsLimit = 1 << 20;

// When `result`'s predictions encode to more than `limit` bytes, stores them as an artifact under
// dlaaw:blob:<sha256> (the blob lifetime, queue::kBlobLifetime) and leaves only the reference
// (result.predictions_artifact) with empty predictions in the folds; else changes nothing.
// Throws ServiceUnavailable when Redis fails (nothing in `result` changed then).
void offload_large_predictions(queue::RedisClient& redis, results::RunResult& result,
                               std::size_t limit = kInlinePredictionsLimit);

}  // namespace dlaaw::executor
