// json_fields.cpp - typed, path-aware access to JSON object fields.
#include "nnworkflow/json_fields.h"

#include <fstream>

#include "common/errors.h"

namespace dlaaw::nnworkflow {

std::string describe_json(const nlohmann::json& j) {
  std::string text = j.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text + " (" + j.type_name() + ")";
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InvalidInput(path + ": cannot open the file");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann reports "parse error at line L, column C: ..."; drop its "[json.exception...] ".
    const std::string what = e.what();
    const auto bracket = what.find("] ");
    throw InvalidInput(path + ": not valid JSON: " +
                       (bracket == std::string::npos ? what : what.substr(bracket + 2)));
  }
}

void require_object(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) throw InvalidInput(path + ": must be an object, got " + describe_json(j));
}

JsonFields::JsonFields(const nlohmann::json& object, std::string path)
    : object_(object), path_(std::move(path)) {
  require_object(object_, path_);
}

std::string JsonFields::field(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

const nlohmann::json* JsonFields::value(const std::string& key) {
  seen_.insert(key);
  auto it = object_.find(key);
  return it == object_.end() ? nullptr : &*it;
}

std::optional<std::string> JsonFields::text(const std::string& key) {
  const auto* v = value(key);
  if (!v) return std::nullopt;
  if (!v->is_string())
    throw InvalidInput(field(key) + ": must be a string, got " + describe_json(*v));
  return v->get<std::string>();
}

std::string JsonFields::required_text(const std::string& key) {
  auto v = text(key);
  if (!v) throw InvalidInput(field(key) + ": missing");
  return *v;
}

std::optional<std::int64_t> JsonFields::integer(const std::string& key) {
  const auto* v = value(key);
  if (!v) return std::nullopt;
  if (v->is_number_integer()) return v->get<std::int64_t>();
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (d == static_cast<double>(static_cast<std::int64_t>(d))) return static_cast<std::int64_t>(d);
  }
  throw InvalidInput(field(key) + ": must be an integer, got " + describe_json(*v));
}

std::optional<double> JsonFields::number(const std::string& key) {
  const auto* v = value(key);
  if (!v) return std::nullopt;
  if (!v->is_number())
    throw InvalidInput(field(key) + ": must be a number, got " + describe_json(*v));
  return v->get<double>();
}

std::optional<bool> JsonFields::boolean(const std::string& key) {
  const auto* v = value(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean())
    throw InvalidInput(field(key) + ": must be true or false, got " + describe_json(*v));
  return v->get<bool>();
}

std::vector<std::string> JsonFields::text_list(const std::string& key) {
  const auto* v = value(key);
  if (!v) return {};
  if (!v->is_array())
    throw InvalidInput(field(key) + ": must be a list of strings, got " + describe_json(*v));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      throw InvalidInput(field(key) + "[" + std::to_string(i) + "]: must be a string, got " +
                         describe_json((*v)[i]));
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

void JsonFields::finish() const {
  for (const auto& [key, unused] : object_.items()) {
    if (!seen_.count(key)) throw InvalidInput(field(key) + ": unknown field");
  }
}

}  // namespace dlaaw::nnworkflow
