// json_fields.h - reads one JSON object field by field, with the field path in every message.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dlaaw::nnworkflow {

// Reads the fields of `object` (found at `path`, e.g. "training"). Each getter throws InvalidInput
// "path.key: ..." for a wrong type; `finish()` throws for any key no getter asked about, which
// catches typos like "learnig_rate".
class JsonFields {
 public:
  JsonFields(const nlohmann::json& object, std::string path);

  std::optional<std::string> text(const std::string& key);
  std::string required_text(const std::string& key);
  std::optional<std::int64_t> integer(const std::string& key);
  std::optional<double> number(const std::string& key);
  std::optional<bool> boolean(const std::string& key);
  std::vector<std::string> text_list(const std::string& key);
  // The raw value (nullptr when absent); the caller checks its type.
  const nlohmann::json* value(const std::string& key);
  // "path.key", for messages about a field's value.
  std::string field(const std::string& key) const;
  void finish() const;

 private:
  const nlohmann::json& object_;
  std::string path_;
  std::set<std::string> seen_;
};

// Throws InvalidInput "path: must be an object, got ..." unless j is an object.
void require_object(const nlohmann::json& j, const std::string& path);

// Reads and parses a JSON file. Throws InvalidInput "PATH: cannot open the file" or "PATH: not
// valid JSON: parse error at line L, column C: ...".
nlohmann::json read_json_file(const std::string& path);

// A short description of a JSON value's type and content for messages: `"10"` (a string).
std::string describe_json(const nlohmann::json& j);

}  // namespace dlaaw::nnworkflow
