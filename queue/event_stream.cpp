// event_stream.cpp - the events stream as (id, fields) records.
#include "queue/event_stream.h"

#include "queue/job_keys.h"

namespace dlaaw::queue {

std::vector<StreamEvent> stream_events(const RedisReply& entries) {
  std::vector<StreamEvent> out;
  out.reserve(entries.elements.size());
  for (const auto& entry : entries.elements) {
    if (entry.elements.empty()) continue;
    out.push_back({entry.elements[0].text,
                   entry.elements.size() > 1 ? entry.elements[1].as_map() : StreamFields{}});
  }
  return out;
}

std::vector<StreamEvent> read_events(RedisClient& redis, std::string& cursor,
                                     std::chrono::milliseconds block, int count) {
  std::vector<std::string> args{"XREAD", "COUNT", std::to_string(count)};
  if (block.count() > 0) {
    args.push_back("BLOCK");
    args.push_back(std::to_string(block.count()));
  }
  args.insert(args.end(), {"STREAMS", keys::kEvents, cursor});
  const RedisReply reply =
      block.count() > 0 ? redis.blocking_command(args, block) : redis.command(args);
  throw_if_error(reply, "reading dlaaw:events");
  if (reply.type != RedisReply::Type::Array || reply.elements.empty()) return {};
  auto events = stream_events(reply.elements[0].elements[1]);
  if (!events.empty()) cursor = events.back().id;
  return events;
}

std::map<std::string, ProgressEvent> latest_progress(RedisClient& redis, int scan) {
  const RedisReply reply =
      redis.command({"XREVRANGE", keys::kEvents, "+", "-", "COUNT", std::to_string(scan)});
  throw_if_error(reply, "reading dlaaw:events");
  std::map<std::string, ProgressEvent> latest;
  for (const auto& entry : stream_events(reply)) {
    if (entry.fields.empty() || entry.fields.count("type") == 0 ||
        entry.fields.at("type") != "progress")
      continue;
    try {
      auto progress = std::get<ProgressEvent>(decode_event(entry.fields));
      latest.emplace(progress.header.job, std::move(progress));  // newest first: keep the first
    } catch (const BadEvent&) {
      // not ours to judge here: the dashboard shows what decodes
    }
  }
  return latest;
}

}  // namespace dlaaw::queue
