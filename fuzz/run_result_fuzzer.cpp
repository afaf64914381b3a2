// run_result_fuzzer.cpp - fuzzes reading a result document (dlaaw/result@1), the JSON an
// executor puts in a result event and the tracker stores: untrusted text from Redis.
//
// Input: the document's text. A result run_result_from_text accepts must write back to JSON that
// reads again to the same JSON (what the tracker stores is what `dlaaw predict` and the report
// read later); a bad one may only throw InvalidInput.
#include <optional>

#include "common/errors.h"
#include "fuzz/fuzz_support.h"
#include "results/run_result.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dlaaw::results;
  std::optional<RunResult> result;
  if (!dlaaw::fuzz::accepted<dlaaw::InvalidInput>(
          [&] { result = run_result_from_text(dlaaw::fuzz::as_text(data, size)); }))
    return 0;
  dlaaw::fuzz::must_hold([&] {
    FUZZ_CHECK(!result->folds.empty());
    const nlohmann::json written = run_result_to_json(*result);
    // Compared as text: a NaN loss is written as null, and NaN never equals itself.
    FUZZ_CHECK(run_result_to_json(run_result_from_json(written)).dump() == written.dump());
  });
  return 0;
}
