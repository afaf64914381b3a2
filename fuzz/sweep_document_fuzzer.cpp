// sweep_document_fuzzer.cpp - fuzzes reading and expanding a sweep document.
//
// Input: the sweep's text. Workflow file names resolve in examples/paper (the seeds name its
// nn*.json), so that members are real documents. expand_sweep gives every member a label and a
// validated document, or throws InvalidInput; nothing else may come out.
#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "fuzz/fuzz_support.h"
#include "nnworkflow/sweep_document.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dlaaw::nnworkflow;
  const auto j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  dlaaw::fuzz::accepted<dlaaw::InvalidInput>([&] {
    const SweepDocument sweep = sweep_from_json(j, DLAAW_FUZZ_SWEEP_DIR);
    const auto members = expand_sweep(sweep);
    FUZZ_CHECK(!members.empty());
    if (sweep.mode == "random") FUZZ_CHECK(members.size() <= std::size_t(sweep.samples));
    for (const auto& m : members) {
      FUZZ_CHECK(!m.label.empty());
      FUZZ_CHECK(m.parameters.contains("workflow"));
    }
  });
  return 0;
}
