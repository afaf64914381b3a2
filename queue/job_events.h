// job_events.h - the events executors publish on dlaaw:events, and their one codec.
//
// An event is a flat list of field/value strings on the Redis stream. encode_event() is the only
// writer and decode_event() the only reader: consumers (the tracker, `dlaaw watch`, the report)
// get typed events and a BadEvent naming the field for anything malformed, never a crash.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/errors.h"
#include "queue/job_state.h"

namespace dlaaw::queue {

// An event that cannot be decoded: the message names the field ("event field epoch: ...").
class BadEvent : public InvalidInput {
 public:
  using InvalidInput::InvalidInput;
};

// What every event carries: which attempt of which job, and its key for idempotent ingest.
struct EventHeader {
  std::string job;
  int attempt = 0;
  std::string seq;       // unique per (job, attempt): a counter, or "lost" from the reaper
  std::string executor;  // "" when unknown
  std::optional<std::int64_t> time_ms;
  // False for a job that is no run: a pipeline task whose output is a prepared dataset, an
  // evaluation, predictions or a comparison (the pipeline records it; the tracker makes no run).
  bool run = true;
  bool operator==(const EventHeader&) const = default;
};

// Training progress after an epoch of one fold.
struct ProgressEvent {
  EventHeader header;
  int fold = 0;  // 0-based
  int folds = 1;
  int epoch = 0;  // 1-based
  int epochs = 0;
  double loss = 0;
  bool operator==(const ProgressEvent&) const = default;
};

// An attempt entered `state` (executing, error, cancelled or lost).
struct StateEvent {
  EventHeader header;
  JobState state = JobState::Executing;
  std::string error;                         // error, lost
  std::string backend;                       // executing
  std::optional<std::int64_t> queued_at_ms;  // executing
  std::string experiment;                    // executing; "" for none
  bool operator==(const StateEvent&) const = default;
};

// The attempt finished; `result` is the result document (dlaaw/result@1) as JSON text, which the
// queue carries without reading (see results/run_result.h).
struct ResultEvent {
  EventHeader header;
  std::string result;
  bool operator==(const ResultEvent&) const = default;
};

using JobEvent = std::variant<ProgressEvent, StateEvent, ResultEvent>;

// The field/value pairs written to the stream, in order.
using EncodedEvent = std::vector<std::pair<std::string, std::string>>;

// The fields of a stream entry as read back.
using StreamFields = std::map<std::string, std::string>;

EncodedEvent encode_event(const JobEvent& event);

// Decodes a stream entry. Throws BadEvent naming the field for an unknown type, a missing field,
// a number that is not one (or out of range), or an unknown state. Unknown extra fields are
// ignored, so that older readers accept newer events.
JobEvent decode_event(const StreamFields& fields);

const EventHeader& header_of(const JobEvent& event);

}  // namespace dlaaw::queue
