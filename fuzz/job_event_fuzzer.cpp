// job_event_fuzzer.cpp - fuzzes the decoder of dlaaw:events entries (what the tracker, `watch`
// and the report read from Redis).
//
// Input: the entry's fields as NUL-separated text, key, value, key, value, ... (a last key
// without a value is dropped). A decoded event must encode and decode to the same fields; a bad
// entry may only throw BadEvent.
#include <optional>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "queue/job_events.h"

namespace dlaaw::queue {
namespace {

StreamFields fields_from(std::string_view text) {
  StreamFields fields;
  std::string key;
  bool have_key = false;
  while (true) {
    const auto nul = text.find('\0');
    const std::string part(text.substr(0, nul));
    if (have_key) {
      fields[key] = part;  // a repeated key: the last value wins, as in a Redis hash
    } else {
      key = part;
    }
    have_key = !have_key;
    if (nul == std::string_view::npos) break;
    text.remove_prefix(nul + 1);
  }
  return fields;
}

StreamFields as_fields(const EncodedEvent& encoded) {
  StreamFields fields;
  for (const auto& [key, value] : encoded) {
    FUZZ_CHECK(!fields.count(key));
    fields[key] = value;
  }
  return fields;
}

}  // namespace
}  // namespace dlaaw::queue

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dlaaw::queue;
  const StreamFields fields =
      fields_from(std::string_view(reinterpret_cast<const char*>(data), size));
  std::optional<JobEvent> event;
  if (!dlaaw::fuzz::accepted<BadEvent>([&] { event = decode_event(fields); })) return 0;
  dlaaw::fuzz::must_hold([&] {
    FUZZ_CHECK(!header_of(*event).job.empty());
    const EncodedEvent encoded = encode_event(*event);
    // Compared as encoded text: a NaN loss is a valid value that never equals itself.
    FUZZ_CHECK(encode_event(decode_event(as_fields(encoded))) == encoded);
  });
  return 0;
}
