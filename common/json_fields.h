// json_fields.h - reads one JSON object field by field, with the field path in every message.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dlaaw {

// Reads the fields of `object` (found at `path`, e.g. "training"). Each getter throws InvalidInput
// "path.key: ..." for a wrong type; `finish()` throws for any key no getter asked about, which
// catches typos like "learnig_rate".
class JsonFields {
 public:
  JsonFields(const nlohmann::json& object, std::string path);

  std::optional<std::string> text(const std::string& key);
  std::string required_text(const std::string& key);
  std::optional<std::int64_t> integer(const std::string& key);
  // An integer within [lo, hi], or nullopt when absent; throws "path.key: must not be negative,
  // got -3" (lo = 0) or "path.key: out of range (lo to hi), got V".
  std::optional<std::int64_t> integer_in(const std::string& key, std::int64_t lo, std::int64_t hi);
  // integer_in with the bounds of an int (what an int field can hold), or of a count (>= 0).
  std::optional<int> int_value(const std::string& key);
  std::optional<std::size_t> count(const std::string& key);
  std::optional<double> number(const std::string& key);
  std::optional<bool> boolean(const std::string& key);
  std::vector<std::string> text_list(const std::string& key);
  // The raw value (nullptr when absent); the caller checks its type.
  const nlohmann::json* value(const std::string& key);
  // The raw value; throws "path.key: missing" when absent.
  const nlohmann::json& required(const std::string& key);
  double required_number(const std::string& key);
  std::int64_t required_integer(const std::string& key);
  std::size_t required_count(const std::string& key);
  // A number, or nullopt for null or an absent key; throws for any other type.
  std::optional<double> nullable_number(const std::string& key);
  // The object at `key`, read field by field; throws when it is missing or not an object.
  JsonFields object(const std::string& key);
  // The list at `key` (required); throws "path.key: must be a list, got ..." otherwise.
  const nlohmann::json& list(const std::string& key);
  // "path.key", for messages about a field's value.
  std::string field(const std::string& key) const;
  void finish() const;

 private:
  const nlohmann::json* object_;  // a pointer, so that fields can be returned by value
  std::string path_;
  std::set<std::string> seen_;
};

// Throws InvalidInput "path: must be an object, got ..." unless j is an object.
void require_object(const nlohmann::json& j, const std::string& path);

// The elements of list `j` (at `path`) as numbers; `null` reads as NaN when allow_null, else
// throws InvalidInput "path[i]: must be a number, got ..." (so does any other type).
std::vector<double> number_list(const nlohmann::json& j, const std::string& path,
                                bool allow_null = false);
// The elements of list `j` as strings; throws InvalidInput "path[i]: must be a string, got ...".
std::vector<std::string> text_list(const nlohmann::json& j, const std::string& path);
// The elements of list `j` as non-negative integers; throws InvalidInput naming the element.
std::vector<std::size_t> index_list(const nlohmann::json& j, const std::string& path);

// Reads and parses a JSON file. Throws InvalidInput "PATH: cannot open the file" or "PATH: not
// valid JSON: parse error at line L, column C: ...".
nlohmann::json read_json_file(const std::string& path);

// A short description of a JSON value's type and content for messages: `"10"` (a string).
std::string describe_json(const nlohmann::json& j);

}  // namespace dlaaw
