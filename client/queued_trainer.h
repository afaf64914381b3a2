// queued_trainer.h - RemoteTraining through the Redis job queue (submit, then wait for the result).
#pragma once

#include <filesystem>
#include <string>

#include "client/nn_trainer.h"

namespace dlaaw::client {

class QueueTraining final : public RemoteTraining {
 public:
  // `redis_url` as for `dlaaw submit`; `data_dir` holds the dataset files to send along;
  // `resources_file` as for --resources ("" for $DLAAW_RESOURCES).
  QueueTraining(std::string redis_url, std::filesystem::path data_dir,
                std::string resources_file = "");

  // Queues the workflow for its resource and blocks until an executor has trained it. Throws
  // JobFailed when the job ends in error, ServiceUnavailable when Redis is unreachable.
  results::RunResult train(const nnworkflow::ValidWorkflow& workflow) override;

 private:
  std::string redis_url_;
  std::filesystem::path data_dir_;
  std::string resources_file_;
};

}  // namespace dlaaw::client
