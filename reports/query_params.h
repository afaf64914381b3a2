// query_params.h - the report's query and path parameters, checked before anything is queried.
//
// A request's parameters arrive decoded as a multimap (httplib::Params is this type), so that the
// rules here can be tested and fuzzed without a server. A bad value is InvalidInput naming the
// parameter (the server answers 400), an id that cannot name a run NotFound (404).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tracker/run_queries.h"

namespace dlaaw::reports {

using QueryParams = std::multimap<std::string, std::string>;

// The first value given for `name` (as httplib's get_param_value reads it), or nullopt.
std::optional<std::string> first_param(const QueryParams& params, const std::string& name);

// A positive decimal id from a path segment; throws NotFound "<what> <text>: no such <what>".
std::int64_t parse_id(const std::string& text, const std::string& what);

// Integer parameter `name` in [lo, hi], `fallback` when absent; throws InvalidInput naming it.
int int_param(const QueryParams& params, const std::string& name, int fallback, int lo, int hi);

// Text parameter `name`; nullopt when absent or empty. Throws InvalidInput past 200 bytes.
std::optional<std::string> text_param(const QueryParams& params, const std::string& name);

// The runs filter as parse_run_filter (run_filter_params.h) reads it: experiment, dataset, state,
// resource, tag, archived, sort, order; limit and offset keep their defaults. Throws InvalidInput
// for a bad value (an unknown sort key is the tracker's to refuse).
tracker::RunFilter run_filter(const QueryParams& params);

// Every value of parameter `name`, in the request's order.
std::vector<std::string> param_values(const QueryParams& params, const std::string& name);

// Run ids separated by commas, each a positive integer, at most 1000. Throws InvalidInput naming
// the first part that is not an id.
std::vector<std::int64_t> id_list(const std::string& text);

// `scale`: true for log, false for linear or absent; throws InvalidInput for anything else.
bool log_scale_param(const QueryParams& params);

}  // namespace dlaaw::reports
