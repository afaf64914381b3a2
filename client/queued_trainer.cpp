// queued_trainer.cpp - the Listing 2 trainer reaching another device through the queue.
#include "client/queued_trainer.h"

#include "client/job_submission.h"
#include "queue/redis_client.h"
#include "queue/resource_store.h"

namespace dlaaw::client {

QueueTraining::QueueTraining(std::string redis_url, std::filesystem::path data_dir,
                             std::string resources_file)
    : redis_url_(std::move(redis_url)),
      data_dir_(std::move(data_dir)),
      resources_file_(std::move(resources_file)) {}

results::RunResult QueueTraining::train(const nnworkflow::ValidWorkflow& workflow) {
  queue::RedisClient redis(queue::parse_redis_url(redis_url_));
  SubmitSettings settings;
  settings.data_dir = data_dir_;
  const PreparedJob job =
      prepare_job(workflow, settings, queue::load_registry(redis, resources_file_));
  submit_jobs(redis, {job});
  return wait_for_result(redis, job.request.id);
}

}  // namespace dlaaw::client
