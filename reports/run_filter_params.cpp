// run_filter_params.cpp - parsing and writing the runs filter's query parameters.
#include "reports/run_filter_params.h"

#include "common/errors.h"
#include "reports/html.h"
#include "tracker/run_annotations.h"

namespace dlaaw::reports {
namespace {

// The first value, as query_params.h's first_param reads a repeated parameter.
std::optional<std::string> single(const ParamValues& params, const std::string& name) {
  const auto values = params(name);
  if (values.empty() || values.front().empty()) return std::nullopt;
  if (values.front().size() > 200) throw InvalidInput(name + ": too long (at most 200 bytes)");
  return values.front();
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

std::vector<tracker::TagFilter> parse_tag_filters(const std::vector<std::string>& values) {
  // Each filter is a join in the query: a thousand would be an expression SQLite refuses.
  if (values.size() > 8) throw InvalidInput("tag: at most 8 tag filters");
  std::vector<tracker::TagFilter> tags;
  for (const auto& t : values) {
    if (t.empty()) continue;
    if (t.size() > 200) throw InvalidInput("tag: too long (at most 200 bytes)");
    tags.push_back(tracker::parse_tag_filter(t, "tag"));
  }
  return tags;
}

tracker::RunFilter parse_run_filter(const ParamValues& params) {
  tracker::RunFilter f;
  f.experiment = single(params, "experiment");
  f.dataset = single(params, "dataset");
  f.state = single(params, "state");
  f.resource = single(params, "resource");
  f.tags = parse_tag_filters(params("tag"));
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
