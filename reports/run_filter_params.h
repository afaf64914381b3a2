// run_filter_params.h - the runs table's filter as URL query parameters, both ways: what the
// report reads from a request and what its links and forms write.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tracker/run_queries.h"

namespace dlaaw::reports {

// A request's values of a query parameter, in order (none: empty).
using ParamValues = std::function<std::vector<std::string>(const std::string& name)>;

// experiment, dataset, resource, state (text, at most 200 bytes), tag (repeatable: key or
// key=value), archived (hide, only or include; default hide), sort and order (asc or desc).
// Empty values count as absent. Throws InvalidInput naming the parameter for anything else.
tracker::RunFilter parse_run_filter(const ParamValues& params);

// The `tag` parameters (key or key=value; empty ones skipped): at most 8, each at most 200 bytes.
// Throws InvalidInput naming the parameter.
std::vector<tracker::TagFilter> parse_tag_filters(const std::vector<std::string>& values);

// The query string ("sort=id&order=desc&experiment=..."), percent-encoded and not HTML-escaped,
// that parse_run_filter reads back as `filter` (limit and offset are not part of it).
std::string run_filter_query(const tracker::RunFilter& filter);

}  // namespace dlaaw::reports
