// workflow_document_fuzzer.cpp - fuzzes reading and validating a workflow document.
//
// Input: the document's text. Whatever workflow_from_json accepts must map back to JSON and read
// again to the same document (what `submit` queues is what the executor reads), and validation
// either passes or says why; only InvalidInput may come out.
#include <optional>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "fuzz/fuzz_support.h"
#include "nnworkflow/workflow_json.h"
#include "nnworkflow/workflow_validation.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dlaaw::nnworkflow;
  using dlaaw::fuzz::accepted;
  const auto j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  std::optional<WorkflowDocument> document;
  if (!accepted<dlaaw::InvalidInput>([&] { document = workflow_from_json(j); })) return 0;
  dlaaw::fuzz::must_hold(
      [&] { FUZZ_CHECK(workflow_from_json(workflow_to_json(*document)) == *document); });
  accepted<dlaaw::InvalidInput>([&] {
    const ValidWorkflow valid(*document);
    FUZZ_CHECK(!valid->network.empty());
  });
  return 0;
}
