// pipeline_provenance.h - a recorded pipeline as W3C PROV-JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "tracker/pipeline_store.h"

namespace dlaaw::tracker {

// The pipeline as PROV-JSON: the pipeline and each task that ran or was reused as activities
// (kind, key, state, start and end times, job, run), every artifact (source files, prepared
// datasets, models, predictions, comparisons) as an entity named by its sha256, and the used,
// wasGeneratedBy, wasInformedBy (task needs task) and wasAssociatedWith edges. Never throws for a
// pipeline read by pipeline_view.
nlohmann::json pipeline_provenance(const PipelineView& pipeline);

}  // namespace dlaaw::tracker
