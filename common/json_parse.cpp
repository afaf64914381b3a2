// json_parse.cpp - a linear pre-scan for nesting depth, then nlohmann's parser.
#include "common/json_parse.h"

#include <optional>

#include "common/errors.h"

namespace dlaaw {
namespace {

struct DepthViolation {
  std::size_t line = 1;
  std::size_t column = 1;
};

// Where the text first opens a level deeper than kMaxJsonDepth, ignoring brackets inside strings;
// nullopt when it never does. Malformed text is left to the parser to describe.
std::optional<DepthViolation> first_too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false, escaped = false;
  DepthViolation at;
  for (const char c : text) {
    if (c == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        --at.column;  // the column of the bracket itself
        return at;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

}  // namespace

nlohmann::json parse_json(std::string_view text, const std::string& what) {
  if (const auto deep = first_too_deep(text)) {
    throw InvalidInput(what + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                       " levels at line " + std::to_string(deep->line) + ", column " +
                       std::to_string(deep->column));
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // out_of_range too: a number like 1e3080
    // nlohmann reports "parse error at line L, column C: ..."; drop its "[json.exception...] ".
    const std::string message = e.what();
    const auto bracket = message.find("] ");
    throw InvalidInput(what + ": not valid JSON: " +
                       (bracket == std::string::npos ? message : message.substr(bracket + 2)));
  }
}

nlohmann::json parse_json_or_discarded(std::string_view text) {
  if (first_too_deep(text)) return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

}  // namespace dlaaw
