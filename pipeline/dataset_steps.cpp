// dataset_steps.cpp - the names of comparisons, encodings and steps.
#include "pipeline/dataset_steps.h"

#include <nlohmann/json.hpp>

namespace dlaaw::pipeline {
namespace {

constexpr std::pair<Comparison, std::string_view> kComparisons[] = {
    {Comparison::Equal, "=="},     {Comparison::NotEqual, "!="}, {Comparison::Less, "<"},
    {Comparison::LessEqual, "<="}, {Comparison::Greater, ">"},   {Comparison::GreaterEqual, ">="},
    {Comparison::In, "in"}};

struct OpName {
  std::string_view operator()(const DropEmpty&) const { return "drop_empty"; }
  std::string_view operator()(const SelectColumns&) const { return "select"; }
  std::string_view operator()(const DropColumns&) const { return "drop"; }
  std::string_view operator()(const RowFilter&) const { return "filter"; }
  std::string_view operator()(const EncodeColumns& e) const { return encoding_name(e.encoding); }
  std::string_view operator()(const SplitRows&) const { return "split"; }
  std::string_view operator()(const MinMaxScale&) const { return "min_max_scale"; }
};

}  // namespace

std::string_view comparison_name(Comparison test) {
  for (const auto& [c, name] : kComparisons) {
    if (c == test) return name;
  }
  return "?";
}

std::optional<Comparison> parse_comparison(std::string_view name) {
  for (const auto& [c, spelled] : kComparisons) {
    if (spelled == name) return c;
  }
  return std::nullopt;
}

std::string_view step_op_name(const Step& step) { return std::visit(OpName{}, step); }

std::string_view encoding_name(Encoding encoding) {
  return encoding == Encoding::Ordinal ? "ordinal" : "one_hot";
}

std::string describe_value(const FilterValue& value) {
  if (value.number) return nlohmann::json(*value.number).dump();
  return nlohmann::json(value.text).dump();
}

}  // namespace dlaaw::pipeline
