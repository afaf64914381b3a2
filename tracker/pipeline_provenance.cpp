// pipeline_provenance.cpp - PROV-JSON of pipelines, tasks and the artifacts between them.
#include "tracker/pipeline_provenance.h"

#include <map>

#include "common/utc_time.h"

namespace dlaaw::tracker {
namespace {

using nlohmann::json;

std::string activity_id(const std::string& pipeline, const std::string& task) {
  return "dlaaw:pipeline/" + pipeline + "/" + task;
}

std::string entity_id(const std::string& sha256) { return "artifact:" + sha256; }

}  // namespace

json pipeline_provenance(const PipelineView& p) {
  json doc = {
      {"prefix", {{"dlaaw", "https://github.com/dlaaw/dlaaw/ns#"}, {"artifact", "urn:sha256:"}}},
      {"entity", json::object()},
      {"activity", json::object()},
      {"agent", json::object()},
      {"used", json::object()},
      {"wasGeneratedBy", json::object()},
      {"wasInformedBy", json::object()},
      {"wasAssociatedWith", json::object()}};
  const std::string pipeline_id = "dlaaw:pipeline/" + p.name;
  json pipeline = {{"prov:type", "dlaaw:Pipeline"},
                   {"dlaaw:state", p.state},
                   {"prov:startTime", iso_utc(p.submitted_at)}};
  if (p.finished_at) pipeline["prov:endTime"] = iso_utc(*p.finished_at);
  doc["activity"][pipeline_id] = pipeline;
  doc["agent"]["dlaaw:dlaaw"] = {{"prov:type", "prov:SoftwareAgent"}};
  doc["wasAssociatedWith"]["_:assoc-" + p.name] = {{"prov:activity", pipeline_id},
                                                   {"prov:agent", "dlaaw:dlaaw"}};
  std::map<std::string, std::string> kind_of;
  int n = 0;
  for (const auto& t : p.tasks) {
    kind_of[t.name] = t.kind;
    json a = {{"prov:type", "dlaaw:" + t.kind + "-task"},
              {"dlaaw:key", t.key},
              {"dlaaw:state", t.state},
              {"dlaaw:resource", t.resource},
              {"dlaaw:partOf", pipeline_id}};
    if (t.started_at) a["prov:startTime"] = iso_utc(*t.started_at);
    if (t.finished_at) a["prov:endTime"] = iso_utc(*t.finished_at);
    if (!t.job_id.empty()) a["dlaaw:job"] = t.job_id;
    if (t.run_id) a["dlaaw:run"] = *t.run_id;
    if (!t.error.empty()) a["dlaaw:error"] = t.error;
    doc["activity"][activity_id(p.name, t.name)] = a;
    for (const auto& need : t.needs) {
      doc["wasInformedBy"]["_:inf" + std::to_string(++n)] = {
          {"prov:informed", activity_id(p.name, t.name)},
          {"prov:informant", activity_id(p.name, need)}};
    }
  }
  for (const auto& [task, use] : p.generated) {
    doc["entity"][entity_id(use.sha256)] = {{"prov:type", "dlaaw:" + kind_of[task] + "-output"},
                                            {"dlaaw:sha256", use.sha256}};
    doc["wasGeneratedBy"]["_:gen" + std::to_string(++n)] = {
        {"prov:entity", entity_id(use.sha256)}, {"prov:activity", activity_id(p.name, task)}};
  }
  for (const auto& [task, use] : p.used) {
    if (!doc["entity"].contains(entity_id(use.sha256))) {
      doc["entity"][entity_id(use.sha256)] = {
          {"prov:type", use.role == "source" ? "dlaaw:source-file" : "dlaaw:artifact"},
          {"dlaaw:sha256", use.sha256}};
    }
    doc["used"]["_:use" + std::to_string(++n)] = {{"prov:activity", activity_id(p.name, task)},
                                                  {"prov:entity", entity_id(use.sha256)},
                                                  {"prov:role", use.role}};
  }
  return doc;
}

json pipeline_provenance(SqliteDb& db, const std::string& name) {
  return pipeline_provenance(pipeline_view(db, name));
}

}  // namespace dlaaw::tracker
