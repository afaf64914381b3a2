// prepared_dataset.cpp - writing and reading the CSV + manifest form of prepared datasets.
#include "pipeline/prepared_dataset.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "common/json_fields.h"
#include "common/json_parse.h"
#include "datasets/csv_reader.h"
#include "datasets/sha256.h"
#include "pipeline/step_json.h"

namespace dlaaw::pipeline {
namespace {

using dlaaw::describe_json;
using dlaaw::JsonFields;
using nlohmann::json;

constexpr const char* kCsvName = "prepared.csv";
constexpr const char* kPartColumn = "part";

std::string csv_field(std::string_view s) {
  const bool plain = s.find_first_of(",\"\r\n") == std::string_view::npos && !s.empty() &&
                     s.front() != ' ' && s.back() != ' ' && s.front() != '\t' && s.back() != '\t';
  if (plain) return std::string(s);
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The shortest text that from_chars reads back as the same double.
std::string number_text(double v) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, end);
}

std::vector<std::string> csv_columns(const PreparedSchema& s) {
  std::vector<std::string> columns = s.features;
  if (s.label) columns.push_back(*s.label);
  if (s.split) columns.push_back(kPartColumn);
  return columns;
}

std::string part_text(const PreparedSchema& s, int part) {
  if (s.split->plan.type == nnworkflow::PlanType::TrainTest) return part == 0 ? "train" : "test";
  return std::to_string(part);
}

std::string write_csv(const PreparedDataset& p) {
  std::string out;
  const auto columns = csv_columns(p.schema);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c) out += ',';
    out += csv_field(columns[c]);
  }
  out += '\n';
  for (std::size_t r = 0; r < p.rows(); ++r) {
    for (std::size_t c = 0; c < p.cols(); ++c) {
      if (c) out += ',';
      out += number_text(p.values[r * p.cols() + c]);
    }
    if (p.schema.label) out += p.labels[r] != 0.0f ? ",1" : ",0";
    if (p.schema.split) {
      out += ',';
      out += part_text(p.schema, p.parts[r]);
    }
    out += '\n';
  }
  return out;
}

json manifest_json(const PreparedSchema& s, const std::string& csv) {
  json encodings = json::object();
  for (const auto& [column, e] : s.encodings) encodings[column] = std::string(encoding_name(e));
  json scalers = json::array();
  for (const auto& scaler : s.scalers)
    scalers.push_back({{"min", scaler.min}, {"max", scaler.max}});
  json j = {{"schema", kPreparedSchema},
            {"source", {{"name", s.source_name}, {"sha256", s.source_sha256}}},
            {"features", s.features},
            {"label", s.label ? json(*s.label) : json(nullptr)},
            {"positive", s.positive},
            {"categories", s.categories},
            {"encodings", encodings},
            {"rows", s.rows},
            {"rows_read", s.rows_read},
            {"rows_dropped", s.rows_dropped},
            {"rows_filtered", s.rows_filtered},
            {"split", s.split ? step_to_json(*s.split) : json(nullptr)},
            {"scalers", scalers},
            {"csv",
             {{"sha256", datasets::sha256_hex(csv)},
              {"bytes", csv.size()},
              {"columns", csv_columns(s)}}}};
  if (!s.note.empty()) j["note"] = s.note;
  return j;
}

std::size_t count(JsonFields& f, const std::string& key) {
  const auto v = f.integer(key);
  if (!v || *v < 0) throw InvalidInput(f.field(key) + ": must be a count (an integer >= 0)");
  return static_cast<std::size_t>(*v);
}

std::vector<double> number_list(const json& j, const std::string& field) {
  if (!j.is_array())
    throw InvalidInput(field + ": must be a list of numbers, got " + describe_json(j));
  std::vector<double> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_number())
      throw InvalidInput(field + "[" + std::to_string(i) + "]: must be a number, got " +
                         describe_json(j[i]));
    out.push_back(j[i].get<double>());
  }
  return out;
}

const json& required(JsonFields& f, const std::string& key) {
  const json* v = f.value(key);
  if (!v) throw InvalidInput(f.field(key) + ": missing");
  return *v;
}

std::optional<SplitRows> split_from_manifest(const json& j, std::size_t rows) {
  if (j.is_null()) return std::nullopt;
  const Step step = step_from_json(j, "split");
  const auto* split = std::get_if<SplitRows>(&step);
  if (!split) throw InvalidInput("split.op: must be \"split\"");
  if (split->plan.type == nnworkflow::PlanType::KFold) {
    const int k = split->plan.k.value_or(0);
    if (k < 2 || static_cast<std::size_t>(k) > rows)
      throw InvalidInput("split.k: " + std::to_string(k) + " folds of " + std::to_string(rows) +
                         " rows");
  }
  return *split;
}

std::vector<datasets::MinMaxScaler> scalers_from_manifest(const json& j, const PreparedSchema& s) {
  if (!j.is_array()) throw InvalidInput("scalers: must be a list, got " + describe_json(j));
  std::vector<datasets::MinMaxScaler> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string at = "scalers[" + std::to_string(i) + "]";
    JsonFields g(j[i], at);
    datasets::MinMaxScaler scaler{number_list(required(g, "min"), at + ".min"),
                                  number_list(required(g, "max"), at + ".max")};
    g.finish();
    if (scaler.min.size() != s.features.size() || scaler.max.size() != s.features.size()) {
      throw InvalidInput(at + ": " + std::to_string(scaler.min.size()) + " minima and " +
                         std::to_string(scaler.max.size()) + " maxima for " +
                         std::to_string(s.features.size()) + " features");
    }
    out.push_back(std::move(scaler));
  }
  if (!out.empty() && out.size() != static_cast<std::size_t>(s.splits())) {
    throw InvalidInput("scalers: " + std::to_string(out.size()) + " scalers for " +
                       std::to_string(s.splits()) + " splits");
  }
  return out;
}

PreparedSchema schema_from_manifest(const json& j, std::string& csv_sha256,
                                    std::size_t& csv_bytes) {
  JsonFields f(j, "");
  if (f.text("schema").value_or("") != kPreparedSchema) {
    throw InvalidInput(std::string("schema: expected \"") + kPreparedSchema + "\"");
  }
  PreparedSchema s;
  JsonFields source(required(f, "source"), "source");
  s.source_name = source.required_text("name");
  s.source_sha256 = source.required_text("sha256");
  source.finish();
  s.note = f.text("note").value_or("");
  s.features = f.text_list("features");
  if (s.features.empty()) throw InvalidInput("features: missing or empty");
  if (const json& label = required(f, "label"); !label.is_null()) {
    if (!label.is_string())
      throw InvalidInput("label: must be a string or null, got " + describe_json(label));
    s.label = label.get<std::string>();
  }
  s.positive = f.required_text("positive");
  JsonFields categories(required(f, "categories"), "categories");
  for (const auto& [column, unused] : required(f, "categories").items())
    s.categories[column] = categories.text_list(column);
  JsonFields encodings(required(f, "encodings"), "encodings");
  for (const auto& [column, unused] : required(f, "encodings").items()) {
    const std::string e = encodings.required_text(column);
    if (e != "ordinal" && e != "one_hot")
      throw InvalidInput("encodings." + column + ": \"" + e + "\" (expected ordinal or one_hot)");
    s.encodings[column] = e == "ordinal" ? Encoding::Ordinal : Encoding::OneHot;
  }
  for (const auto& [column, unused] : s.categories) {
    if (!s.encodings.count(column))
      throw InvalidInput("encodings: no encoding for \"" + column + "\", which has categories");
  }
  for (const auto& [column, unused] : s.encodings) {
    if (!s.categories.count(column))
      throw InvalidInput("categories: none for \"" + column + "\", which is encoded");
  }
  s.rows = count(f, "rows");
  if (s.rows == 0) throw InvalidInput("rows: must be at least 1");
  s.rows_read = count(f, "rows_read");
  s.rows_dropped = count(f, "rows_dropped");
  s.rows_filtered = count(f, "rows_filtered");
  s.split = split_from_manifest(required(f, "split"), s.rows);
  s.scalers = scalers_from_manifest(required(f, "scalers"), s);
  JsonFields csv(required(f, "csv"), "csv");
  csv_sha256 = csv.required_text("sha256");
  csv_bytes = count(csv, "bytes");
  if (csv.text_list("columns") != csv_columns(s))
    throw InvalidInput("csv.columns: not the features, label and part of the manifest");
  csv.finish();
  f.finish();
  return s;
}

PreparedSchema parse_manifest(std::string_view text, std::string& csv_sha256,
                              std::size_t& csv_bytes) {
  const json manifest = parse_json(text, "prepared dataset manifest");
  try {
    return schema_from_manifest(manifest, csv_sha256, csv_bytes);
  } catch (const InvalidInput& e) {
    throw InvalidInput(std::string("prepared dataset manifest: ") + e.what());
  }
}

int read_part(std::string_view cell, const PreparedSchema& s) {
  if (s.split->plan.type == nnworkflow::PlanType::TrainTest) {
    if (cell == "train") return 0;
    if (cell == "test") return 1;
    return -1;
  }
  int part = -1;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), part);
  if (ec != std::errc() || end != cell.data() + cell.size() || part >= s.parts()) return -1;
  return part;
}

}  // namespace

bool PreparedSchema::operator==(const PreparedSchema& o) const {
  const auto same_scalers = [&] {
    if (scalers.size() != o.scalers.size()) return false;
    for (std::size_t i = 0; i < scalers.size(); ++i) {
      if (scalers[i].min != o.scalers[i].min || scalers[i].max != o.scalers[i].max) return false;
    }
    return true;
  };
  return source_name == o.source_name && source_sha256 == o.source_sha256 && note == o.note &&
         features == o.features && label == o.label && positive == o.positive &&
         categories == o.categories && encodings == o.encodings && rows == o.rows &&
         rows_read == o.rows_read && rows_dropped == o.rows_dropped &&
         rows_filtered == o.rows_filtered && split == o.split && same_scalers();
}

int PreparedSchema::parts() const {
  if (!split) return 0;
  return split->plan.type == nnworkflow::PlanType::TrainTest ? 2 : split->plan.k.value_or(0);
}

int PreparedSchema::splits() const {
  if (!split) return 0;
  return split->plan.type == nnworkflow::PlanType::TrainTest ? 1 : split->plan.k.value_or(0);
}

PreparedFiles write_prepared(const PreparedDataset& prepared) {
  PreparedFiles files;
  files.csv = write_csv(prepared);
  files.manifest = manifest_json(prepared.schema, files.csv).dump(2) + "\n";
  files.sha256 = datasets::sha256_hex(files.manifest);
  return files;
}

PreparedSchema read_prepared_manifest(std::string_view manifest) {
  std::string sha;
  std::size_t bytes = 0;
  return parse_manifest(manifest, sha, bytes);
}

std::string prepared_csv_sha256(std::string_view manifest) {
  std::string sha;
  std::size_t bytes = 0;
  parse_manifest(manifest, sha, bytes);
  return sha;
}

PreparedDataset read_prepared(std::string_view manifest, std::string_view csv) {
  PreparedDataset p;
  std::string csv_sha256;
  std::size_t csv_bytes = 0;
  p.schema = parse_manifest(manifest, csv_sha256, csv_bytes);
  if (csv.size() != csv_bytes || datasets::sha256_hex(csv) != csv_sha256) {
    throw InvalidInput(
        std::string(kCsvName) +
        ": its size or sha256 differs from the manifest's (a different or damaged file)");
  }
  datasets::CsvOptions options;
  options.delimiter = ',';
  options.header = true;
  const auto table = datasets::parse_csv(csv, kCsvName, options);
  const auto& s = p.schema;
  if (table.header != csv_columns(s))
    throw InvalidInput(std::string(kCsvName) + ": its header is not the manifest's columns");
  if (table.rows() != s.rows) {
    throw InvalidInput(std::string(kCsvName) + ": " + std::to_string(table.rows()) +
                       " rows, but the manifest says " + std::to_string(s.rows));
  }
  auto fail = [&](std::size_t r, std::size_t c, const std::string& what) {
    throw InvalidInput(std::string(kCsvName) + ":" + std::to_string(table.lines[r]) +
                       ": column \"" + table.header[c] + "\": " + what);
  };
  std::vector<std::size_t> part_rows(static_cast<std::size_t>(s.parts()), 0);
  for (std::size_t r = 0; r < s.rows; ++r) {
    for (std::size_t c = 0; c < s.features.size(); ++c) {
      double v = 0;
      if (!datasets::parse_number(table.cell(r, c), v)) fail(r, c, "not a number");
      p.values.push_back(v);
    }
    std::size_t c = s.features.size();
    if (s.label) {
      const auto cell = table.cell(r, c);
      if (cell != "0" && cell != "1") fail(r, c, "a label must be 0 or 1");
      p.labels.push_back(cell == "1" ? 1.0f : 0.0f);
      ++c;
    }
    if (s.split) {
      const int part = read_part(table.cell(r, c), s);
      if (part < 0) fail(r, c, "not a part of the manifest's split");
      p.parts.push_back(part);
      ++part_rows[static_cast<std::size_t>(part)];
    }
  }
  for (std::size_t k = 0; k < part_rows.size(); ++k) {
    if (part_rows[k] == 0)
      throw InvalidInput(std::string(kCsvName) + ": part " + part_text(s, static_cast<int>(k)) +
                         " has no rows");
  }
  return p;
}

std::vector<datasets::Split> splits_of(const PreparedDataset& p) {
  if (!p.schema.split)
    throw InvalidInput("the prepared dataset of " + p.schema.source_name + " has no split step");
  std::vector<datasets::Split> splits;
  if (p.schema.split->plan.type == nnworkflow::PlanType::TrainTest) {
    datasets::Split s;
    for (std::size_t r = 0; r < p.rows(); ++r) (p.parts[r] == 0 ? s.train : s.test).push_back(r);
    splits.push_back(std::move(s));
    return splits;
  }
  splits.resize(static_cast<std::size_t>(p.schema.splits()));
  for (std::size_t j = 0; j < splits.size(); ++j) {
    for (std::size_t r = 0; r < p.rows(); ++r) {
      (p.parts[r] == static_cast<int>(j) ? splits[j].test : splits[j].train).push_back(r);
    }
  }
  return splits;
}

datasets::Dataset to_dataset(const PreparedDataset& p) {
  const auto& s = p.schema;
  datasets::Dataset ds;
  ds.name = s.source_name;
  ds.sha256 = s.source_sha256;
  ds.label = s.label.value_or("");
  ds.positive = s.positive;
  ds.columns = s.features;
  if (s.label) ds.columns.push_back(*s.label);
  ds.feature_names = s.features;
  for (const auto& [column, encoding] : s.encodings) {
    if (encoding == Encoding::Ordinal) ds.categories[column] = s.categories.at(column);
  }
  ds.rows_read = s.rows_read;
  ds.rows_dropped = s.rows_dropped + s.rows_filtered;
  ds.features = p.values;
  ds.labels = p.labels;
  ds.note = s.note;
  return ds;
}

void require_same_features(const PreparedSchema& trained_on, const PreparedSchema& applied_to,
                           const std::string& at) {
  if (trained_on.features != applied_to.features) {
    std::string why = std::to_string(applied_to.features.size()) + " features instead of " +
                      std::to_string(trained_on.features.size());
    for (std::size_t i = 0; i < std::min(trained_on.features.size(), applied_to.features.size());
         ++i) {
      if (trained_on.features[i] != applied_to.features[i]) {
        why = "feature " + std::to_string(i + 1) + " is \"" + applied_to.features[i] +
              "\" where the model has \"" + trained_on.features[i] + "\"";
        break;
      }
    }
    throw InvalidInput(at + ": the rows do not have the model's features: " + why);
  }
  for (const auto& [column, values] : trained_on.categories) {
    const auto it = applied_to.categories.find(column);
    if (it == applied_to.categories.end() || it->second != values) {
      throw InvalidInput(at + ": column \"" + column +
                         "\" was encoded with other categories for the model than for these rows; "
                         "list its categories in both encoding steps");
    }
  }
}

}  // namespace dlaaw::pipeline
