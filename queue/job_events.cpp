// job_events.cpp - encoding and checked decoding of dlaaw:events entries.
#include "queue/job_events.h"

#include <charconv>
#include <limits>

#include "common/utf8.h"

namespace dlaaw::queue {
namespace {

std::string number_text(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest exact text
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

void put_header(EncodedEvent& out, const char* type, const EventHeader& h) {
  out.emplace_back("type", type);
  out.emplace_back("job", h.job);
  out.emplace_back("attempt", std::to_string(h.attempt));
  out.emplace_back("seq", h.seq);
  out.emplace_back("executor", h.executor);
  if (h.time_ms) out.emplace_back("time", std::to_string(*h.time_ms));
  if (!h.run) out.emplace_back("run", "0");  // absent: a run, as every older event is
}

// Reads the fields of one entry; every getter throws BadEvent naming its field.
class FieldReader {
 public:
  explicit FieldReader(const StreamFields& fields) : fields_(fields) {}

  const std::string* find(const char* key) const {
    const auto it = fields_.find(key);
    return it == fields_.end() ? nullptr : &it->second;
  }
  // Text fields come back as valid UTF-8 whatever the stream held (see common/utf8.h).
  std::string text(const char* key) const {
    const std::string* v = find(key);
    if (!v) throw BadEvent(std::string("event field ") + key + ": missing");
    return valid_utf8(*v);
  }
  std::string optional_text(const char* key) const {
    const std::string* v = find(key);
    return v ? valid_utf8(*v) : std::string();
  }
  std::int64_t integer(const char* key, std::int64_t lo, std::int64_t hi) const {
    return parse_integer(key, text(key), lo, hi);
  }
  std::optional<std::int64_t> optional_integer(const char* key) const {
    const std::string* v = find(key);
    if (!v || v->empty()) return std::nullopt;
    return parse_integer(key, *v, 0, std::numeric_limits<std::int64_t>::max());
  }
  double real(const char* key) const {
    const std::string v = text(key);
    double out = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (v.empty() || ec != std::errc() || end != v.data() + v.size())
      throw BadEvent(std::string("event field ") + key + ": \"" + v.substr(0, 40) +
                     "\" is not a number");
    return out;
  }

 private:
  static std::int64_t parse_integer(const char* key, const std::string& v, std::int64_t lo,
                                    std::int64_t hi) {
    std::int64_t out = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (v.empty() || ec != std::errc() || end != v.data() + v.size())
      throw BadEvent(std::string("event field ") + key + ": \"" + v.substr(0, 40) +
                     "\" is not an integer");
    if (out < lo || out > hi)
      throw BadEvent(std::string("event field ") + key + ": " + v + " is out of range");
    return out;
  }
  const StreamFields& fields_;
};

constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();

EventHeader header_from(const FieldReader& f) {
  EventHeader h;
  h.job = f.text("job");
  if (h.job.empty()) throw BadEvent("event field job: empty");
  h.attempt = static_cast<int>(f.integer("attempt", 0, kIntMax));
  h.seq = f.text("seq");
  h.executor = f.optional_text("executor");
  h.time_ms = f.optional_integer("time");
  if (const std::string* run = f.find("run")) {
    if (*run != "0" && *run != "1")
      throw BadEvent("event field run: \"" + run->substr(0, 40) + "\" is not 0 or 1");
    h.run = *run == "1";
  }
  return h;
}

}  // namespace

EncodedEvent encode_event(const JobEvent& event) {
  EncodedEvent out;
  if (const auto* p = std::get_if<ProgressEvent>(&event)) {
    put_header(out, "progress", p->header);
    out.emplace_back("fold", std::to_string(p->fold));
    out.emplace_back("folds", std::to_string(p->folds));
    out.emplace_back("epoch", std::to_string(p->epoch));
    out.emplace_back("epochs", std::to_string(p->epochs));
    out.emplace_back("loss", number_text(p->loss));
  } else if (const auto* s = std::get_if<StateEvent>(&event)) {
    put_header(out, "state", s->header);
    out.emplace_back("state", std::string(job_state_name(s->state)));
    if (!s->error.empty()) out.emplace_back("error", s->error);
    if (!s->backend.empty()) out.emplace_back("backend", s->backend);
    if (s->queued_at_ms) out.emplace_back("queued_at", std::to_string(*s->queued_at_ms));
    if (!s->experiment.empty()) out.emplace_back("experiment", s->experiment);
  } else {
    const auto& r = std::get<ResultEvent>(event);
    put_header(out, "result", r.header);
    out.emplace_back("result", r.result);
  }
  return out;
}

JobEvent decode_event(const StreamFields& fields) {
  const FieldReader f(fields);
  const std::string type = f.text("type");
  if (type == "progress") {
    ProgressEvent p;
    p.header = header_from(f);
    p.folds = static_cast<int>(f.integer("folds", 1, kIntMax));
    p.fold = static_cast<int>(f.integer("fold", 0, p.folds - 1));
    p.epochs = static_cast<int>(f.integer("epochs", 1, kIntMax));
    p.epoch = static_cast<int>(f.integer("epoch", 1, p.epochs));
    p.loss = f.real("loss");
    return p;
  }
  if (type == "state") {
    StateEvent s;
    s.header = header_from(f);
    const std::string state = f.text("state");
    const auto parsed = parse_job_state(state);
    if (!parsed) throw BadEvent("event field state: unknown state \"" + state.substr(0, 40) + "\"");
    s.state = *parsed;
    s.error = f.optional_text("error");
    s.backend = f.optional_text("backend");
    s.queued_at_ms = f.optional_integer("queued_at");
    s.experiment = f.optional_text("experiment");
    return s;
  }
  if (type == "result") {
    ResultEvent r;
    r.header = header_from(f);
    r.result = f.text("result");
    return r;
  }
  throw BadEvent("event field type: unknown type \"" + type.substr(0, 40) +
                 "\" (expected progress, state or result)");
}

const EventHeader& header_of(const JobEvent& event) {
  return std::visit([](const auto& e) -> const EventHeader& { return e.header; }, event);
}

}  // namespace dlaaw::queue
