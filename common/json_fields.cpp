// json_fields.cpp - typed, path-aware access to JSON object fields.
#include "common/json_fields.h"

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>

#include "common/errors.h"
#include "common/json_parse.h"

namespace dlaaw {

std::string describe_json(const nlohmann::json& j) {
  std::string text = j.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text + " (" + j.type_name() + ")";
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidInput(path + ": cannot open the file");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_json(text, path);
}

void require_object(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) throw InvalidInput(path + ": must be an object, got " + describe_json(j));
}

JsonFields::JsonFields(const nlohmann::json& object, std::string path)
    : object_(&object), path_(std::move(path)) {
  require_object(*object_, path_);
}

std::string JsonFields::field(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

const nlohmann::json* JsonFields::value(const std::string& key) {
  seen_.insert(key);
  auto it = object_->find(key);
  return it == object_->end() ? nullptr : &*it;
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
    // Range first: converting a double outside int64's range (1e300) is undefined behaviour.
    // 2^63 is exact as a double; every double below it and >= -2^63 converts.
    const double d = v->get<double>();
    constexpr double kLimit = 9223372036854775808.0;
    if (d >= -kLimit && d < kLimit && d == std::trunc(d)) return static_cast<std::int64_t>(d);
  }
  throw InvalidInput(field(key) + ": must be an integer, got " + describe_json(*v));
}

std::optional<std::int64_t> JsonFields::integer_in(const std::string& key, std::int64_t lo,
                                                   std::int64_t hi) {
  const auto v = integer(key);
  if (!v || (*v >= lo && *v <= hi)) return v;
  if (lo == 0 && *v < 0)
    throw InvalidInput(field(key) + ": must not be negative, got " + std::to_string(*v));
  throw InvalidInput(field(key) + ": out of range (" + std::to_string(lo) + " to " +
                     std::to_string(hi) + "), got " + std::to_string(*v));
}

std::optional<int> JsonFields::int_value(const std::string& key) {
  const auto v = integer_in(key, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

std::optional<std::size_t> JsonFields::count(const std::string& key) {
  const auto v = integer_in(key, 0, std::numeric_limits<std::int64_t>::max());
  if (!v) return std::nullopt;
  return static_cast<std::size_t>(*v);
}

std::size_t JsonFields::required_count(const std::string& key) {
  const auto v = count(key);
  if (!v) throw InvalidInput(field(key) + ": missing");
  return *v;
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
  return dlaaw::text_list(*v, field(key));
}

const nlohmann::json& JsonFields::required(const std::string& key) {
  const auto* v = value(key);
  if (!v) throw InvalidInput(field(key) + ": missing");
  return *v;
}

double JsonFields::required_number(const std::string& key) {
  const auto v = number(key);
  if (!v) throw InvalidInput(field(key) + ": missing");
  return *v;
}

std::int64_t JsonFields::required_integer(const std::string& key) {
  const auto v = integer(key);
  if (!v) throw InvalidInput(field(key) + ": missing");
  return *v;
}

std::optional<double> JsonFields::nullable_number(const std::string& key) {
  const auto* v = value(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_number())
    throw InvalidInput(field(key) + ": must be a number or null, got " + describe_json(*v));
  return v->get<double>();
}

JsonFields JsonFields::object(const std::string& key) {
  return JsonFields(required(key), field(key));
}

const nlohmann::json& JsonFields::list(const std::string& key) {
  const auto& v = required(key);
  if (!v.is_array()) throw InvalidInput(field(key) + ": must be a list, got " + describe_json(v));
  return v;
}

namespace {

// Checks that `j` is a list and calls read(element, "path[i]") for each element.
template <typename T, typename Read>
std::vector<T> read_list(const nlohmann::json& j, const std::string& path, Read read) {
  if (!j.is_array()) throw InvalidInput(path + ": must be a list, got " + describe_json(j));
  std::vector<T> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i)
    out.push_back(read(j[i], path + "[" + std::to_string(i) + "]"));
  return out;
}

}  // namespace

std::vector<double> number_list(const nlohmann::json& j, const std::string& path, bool allow_null) {
  return read_list<double>(j, path, [allow_null](const nlohmann::json& v, const std::string& at) {
    if (v.is_number()) return v.get<double>();
    if (allow_null && v.is_null()) return std::numeric_limits<double>::quiet_NaN();
    throw InvalidInput(at + ": must be a number, got " + describe_json(v));
  });
}

std::vector<std::string> text_list(const nlohmann::json& j, const std::string& path) {
  return read_list<std::string>(j, path, [](const nlohmann::json& v, const std::string& at) {
    if (!v.is_string()) throw InvalidInput(at + ": must be a string, got " + describe_json(v));
    return v.get<std::string>();
  });
}

std::vector<std::size_t> index_list(const nlohmann::json& j, const std::string& path) {
  return read_list<std::size_t>(j, path, [](const nlohmann::json& v, const std::string& at) {
    if (!v.is_number_unsigned())
      throw InvalidInput(at + ": must be a non-negative integer, got " + describe_json(v));
    return v.get<std::size_t>();
  });
}

void JsonFields::finish() const {
  for (const auto& [key, unused] : object_->items()) {
    if (!seen_.count(key)) throw InvalidInput(field(key) + ": unknown field");
  }
}

}  // namespace dlaaw
