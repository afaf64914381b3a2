// step_json.cpp - the JSON form of dataset sources and preprocessing steps.
#include "pipeline/step_json.h"

#include "common/errors.h"
#include "common/json_fields.h"

namespace dlaaw::pipeline {
namespace {

using dlaaw::describe_json;
using dlaaw::JsonFields;
using nlohmann::json;

constexpr const char* kOps =
    "drop_empty, select, drop, filter, ordinal, one_hot, split or min_max_scale";

std::vector<std::string> required_columns(JsonFields& f) {
  if (!f.value("columns"))
    throw InvalidInput(f.field("columns") + ": missing (a list of column names)");
  return f.text_list("columns");
}

FilterValue filter_value(const json& v, const std::string& field) {
  if (v.is_number()) return FilterValue{v.get<double>(), ""};
  if (v.is_string()) return FilterValue{std::nullopt, v.get<std::string>()};
  throw InvalidInput(field + ": must be a number or a string, got " + describe_json(v));
}

RowFilter filter_from_json(JsonFields& f) {
  RowFilter r;
  r.column = f.required_text("column");
  const std::string test = f.required_text("is");
  const auto comparison = parse_comparison(test);
  if (!comparison) {
    throw InvalidInput(f.field("is") + ": unknown comparison \"" + test +
                       "\" (expected ==, !=, <, <=, >, >= or in)");
  }
  r.test = *comparison;
  const json* value = f.value("value");
  if (!value) throw InvalidInput(f.field("value") + ": missing (what the cells are compared with)");
  if (r.test != Comparison::In) {
    r.values.push_back(filter_value(*value, f.field("value")));
    return r;
  }
  if (!value->is_array() || value->empty()) {
    throw InvalidInput(f.field("value") +
                       ": \"in\" needs a non-empty list of numbers or strings, got " +
                       describe_json(*value));
  }
  for (std::size_t i = 0; i < value->size(); ++i)
    r.values.push_back(filter_value((*value)[i], f.field("value") + "[" + std::to_string(i) + "]"));
  return r;
}

EncodeColumns encode_from_json(JsonFields& f, Encoding encoding) {
  EncodeColumns e;
  e.encoding = encoding;
  e.columns = required_columns(f);
  if (const json* categories = f.value("categories")) {
    JsonFields c(*categories, f.field("categories"));
    for (const auto& [column, unused] : categories->items())
      e.categories[column] = c.text_list(column);
  }
  return e;
}

SplitRows split_from_json(JsonFields& f) {
  SplitRows s;
  const std::string type = f.required_text("type");
  const auto fraction = f.number("test_fraction");
  const auto k = f.int_value("k");
  if (type == "train_test") {
    if (k)
      throw InvalidInput(f.field("k") + ": a train_test split takes no k (did you mean kfold?)");
    s.plan = {nnworkflow::PlanType::TrainTest, fraction.value_or(0.2), std::nullopt};
  } else if (type == "kfold") {
    if (fraction)
      throw InvalidInput(f.field("test_fraction") + ": a kfold split takes no test_fraction");
    if (!k) throw InvalidInput(f.field("k") + ": missing (the number of folds, at least 2)");
    s.plan = {nnworkflow::PlanType::KFold, std::nullopt, *k};
  } else {
    throw InvalidInput(f.field("type") + ": unknown split \"" + type +
                       "\" (expected train_test or kfold)");
  }
  if (const auto seed = f.count("seed")) s.seed = *seed;
  return s;
}

json value_to_json(const FilterValue& v) { return v.number ? json(*v.number) : json(v.text); }

struct StepToJson {
  json operator()(const DropEmpty&) const { return json::object(); }
  json operator()(const SelectColumns& s) const { return {{"columns", s.columns}}; }
  json operator()(const DropColumns& s) const { return {{"columns", s.columns}}; }
  json operator()(const RowFilter& r) const {
    json j = {{"column", r.column}, {"is", std::string(comparison_name(r.test))}};
    if (r.test == Comparison::In) {
      j["value"] = json::array();
      for (const auto& v : r.values) j["value"].push_back(value_to_json(v));
    } else {
      j["value"] = value_to_json(r.values.at(0));
    }
    return j;
  }
  json operator()(const EncodeColumns& e) const {
    json j = {{"columns", e.columns}};
    if (!e.categories.empty()) j["categories"] = e.categories;
    return j;
  }
  json operator()(const SplitRows& s) const {
    json j = {{"seed", s.seed}};
    if (s.plan.type == nnworkflow::PlanType::TrainTest) {
      j["type"] = "train_test";
      j["test_fraction"] = s.plan.effective_test_fraction();
    } else {
      j["type"] = "kfold";
      j["k"] = s.plan.k.value_or(0);
    }
    return j;
  }
  json operator()(const MinMaxScale&) const { return json::object(); }
};

}  // namespace

DatasetSource source_from_json(const json& j, const std::string& path) {
  JsonFields f(j, path);
  DatasetSource s;
  s.catalog = f.text("catalog");
  s.path = f.text("path");
  s.label = f.text("label");
  s.positive = f.text("positive");
  s.header = f.boolean("header");
  f.finish();
  return s;
}

json source_to_json(const DatasetSource& s) {
  json j = json::object();
  if (s.catalog) j["catalog"] = *s.catalog;
  if (s.path) j["path"] = *s.path;
  if (s.label) j["label"] = *s.label;
  if (s.positive) j["positive"] = *s.positive;
  if (s.header) j["header"] = *s.header;
  return j;
}

Step step_from_json(const json& j, const std::string& path) {
  JsonFields f(j, path);
  const auto op = f.text("op");
  if (!op) throw InvalidInput(f.field("op") + ": missing (one of " + kOps + ")");
  Step step;
  if (*op == "drop_empty") {
    step = DropEmpty{};
  } else if (*op == "select") {
    step = SelectColumns{required_columns(f)};
  } else if (*op == "drop") {
    step = DropColumns{required_columns(f)};
  } else if (*op == "filter") {
    step = filter_from_json(f);
  } else if (*op == "ordinal") {
    step = encode_from_json(f, Encoding::Ordinal);
  } else if (*op == "one_hot") {
    step = encode_from_json(f, Encoding::OneHot);
  } else if (*op == "split") {
    step = split_from_json(f);
  } else if (*op == "min_max_scale") {
    step = MinMaxScale{};
  } else {
    throw InvalidInput(f.field("op") + ": unknown step \"" + *op + "\" (expected " + kOps + ")");
  }
  f.finish();
  return step;
}

json step_to_json(const Step& step) {
  json j = std::visit(StepToJson{}, step);
  j["op"] = std::string(step_op_name(step));
  return j;
}

}  // namespace dlaaw::pipeline
