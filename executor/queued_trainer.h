// queued_trainer.h - RemoteTraining through the Redis job queue (submit, then wait for the result).
#pragma once

#include <filesystem>
#include <string>

#include "executor/nn_trainer.h"

namespace dlaaw::executor {

class QueueTraining final : public RemoteTraining {
 public:
  // `redis_url` as for `dlaaw submit`; `data_dir` holds the dataset files to send along.
  QueueTraining(std::string redis_url, std::filesystem::path data_dir);

  // Queues the document for its resource and blocks until an executor has trained it. Throws
  // JobFailed when the job ends in error, ServiceUnavailable when Redis is unreachable.
  nlohmann::json train(const nnworkflow::WorkflowDocument& document) override;

 private:
  std::string redis_url_;
  std::filesystem::path data_dir_;
};

}  // namespace dlaaw::executor
