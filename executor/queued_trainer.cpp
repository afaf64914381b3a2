// queued_trainer.cpp - the Listing 2 trainer reaching another device through the queue.
#include "executor/queued_trainer.h"

#include "executor/job_submission.h"
#include "queue/redis_client.h"

namespace dlaaw::executor {

QueueTraining::QueueTraining(std::string redis_url, std::filesystem::path data_dir)
    : redis_url_(std::move(redis_url)), data_dir_(std::move(data_dir)) {}

nlohmann::json QueueTraining::train(const nnworkflow::WorkflowDocument& document) {
  SubmitSettings settings;
  settings.data_dir = data_dir_;
  const PreparedJob job = prepare_job(document, settings);
  queue::RedisClient redis(queue::parse_redis_url(redis_url_));
  submit_jobs(redis, {job});
  return wait_for_result(redis, job.request.id);
}

}  // namespace dlaaw::executor
