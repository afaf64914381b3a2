// pipeline_provenance.h - a recorded pipeline as W3C PROV-JSON.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "tracker/pipeline_store.h"
#include "tracker/sqlite_db.h"

namespace dlaaw::tracker {

// The pipeline as PROV-JSON: the pipeline and each task that ran or was reused as activities
// (kind, key, state, start and end times, job, run), every artifact (source files, prepared
// datasets, models, predictions, comparisons) as an entity named by its sha256, and the used,
// wasGeneratedBy, wasInformedBy (task needs task) and wasAssociatedWith edges. Never throws for a
// pipeline read by pipeline_view.
nlohmann::json pipeline_provenance(const PipelineView& pipeline);

// Pipeline `name` as recorded in `db`, as PROV-JSON (the one reader behind `dlaaw provenance
// --pipeline` and `dlaaw pipeline provenance`). Throws NotFound when it was never run.
nlohmann::json pipeline_provenance(SqliteDb& db, const std::string& name);

}  // namespace dlaaw::tracker
