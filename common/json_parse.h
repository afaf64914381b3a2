// json_parse.h - the one way dlaaw parses JSON text from outside: nesting depth bounded first.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace dlaaw {

// The deepest nesting of arrays and objects any dlaaw document needs is far below this; deeper
// text is refused before parsing, because serialising (and validating) such a value recurses once
// per level and a document 200,000 deep overflows the stack.
inline constexpr int kMaxJsonDepth = 64;

// Parses `text`; `what` names its origin in messages ("wf.json", "job 12 document"). Throws
// InvalidInput "what: not valid JSON: parse error at line L, column C: ..." for malformed text and
// "what: JSON nested deeper than 64 levels at line L, column C" for deep text.
nlohmann::json parse_json(std::string_view text, const std::string& what);

// Like parse_json() but returns a discarded value (is_discarded()) instead of throwing.
nlohmann::json parse_json_or_discarded(std::string_view text);

}  // namespace dlaaw
