// run_filter_params.cpp - parsing and writing the runs filter's query parameters.
#include "reports/run_filter_params.h"

#include "common/errors.h"
#include "reports/html.h"
#include "tracker/run_annotations.h"

namespace dlaaw::reports {
namespace {

std::optional<std::string> single(const ParamValues& params, const std::string& name) {
  const auto values = params(name);
  if (values.empty() || values.back().empty()) return std::nullopt;
  if (values.back().size() > 200) throw InvalidInput(name + ": too long (at most 200 bytes)");
  return values.back();
}

const char* archived_name(tracker::ArchivedRuns a) {
  switch (a) {
    case tracker::ArchivedRuns::Only:
      return "only";
    case tracker::ArchivedRuns::Included:
      return "include";
    default:
      return "hide";
  }
}

}  // namespace

tracker::RunFilter parse_run_filter(const ParamValues& params) {
  tracker::RunFilter f;
  f.experiment = single(params, "experiment");
  f.dataset = single(params, "dataset");
  f.state = single(params, "state");
  f.resource = single(params, "resource");
  const auto tags = params("tag");
  if (tags.size() > 8) throw InvalidInput("tag: at most 8 tag filters");
  for (const auto& t : tags) {
    if (t.empty()) continue;
    if (t.size() > 200) throw InvalidInput("tag: too long (at most 200 bytes)");
    f.tags.push_back(tracker::parse_tag_filter(t, "tag"));
  }
  if (auto archived = single(params, "archived")) {
    if (*archived == "hide") {
      f.archived = tracker::ArchivedRuns::Hidden;
    } else if (*archived == "only") {
      f.archived = tracker::ArchivedRuns::Only;
    } else if (*archived == "include") {
      f.archived = tracker::ArchivedRuns::Included;
    } else {
      throw InvalidInput("archived: must be hide, only or include, got \"" + *archived + "\"");
    }
  }
  if (auto sort = single(params, "sort")) f.sort = *sort;
  if (auto order = single(params, "order")) {
    if (*order != "asc" && *order != "desc")
      throw InvalidInput("order: must be asc or desc, got \"" + *order + "\"");
    f.descending = *order == "desc";
  }
  return f;
}

std::string run_filter_query(const tracker::RunFilter& f) {
  std::string q = "sort=" + url_encode(f.sort) + "&order=" + (f.descending ? "desc" : "asc");
  const auto add = [&q](const char* name, const std::optional<std::string>& v) {
    if (v) q += std::string("&") + name + "=" + url_encode(*v);
  };
  add("experiment", f.experiment);
  add("dataset", f.dataset);
  add("resource", f.resource);
  add("state", f.state);
  for (const auto& t : f.tags) add("tag", t.key + (t.value ? "=" + *t.value : ""));
  if (f.archived != tracker::ArchivedRuns::Hidden)
    q += std::string("&archived=") + archived_name(f.archived);
  return q;
}

}  // namespace dlaaw::reports
