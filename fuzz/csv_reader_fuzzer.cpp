// csv_reader_fuzzer.cpp - fuzzes CSV parsing and the mapping of a table to a dataset's rows.
//
// Input: two option bytes, then the file. The first picks the delimiter (detected, `,` or `;`),
// the header (detected, yes or no) and whether the label's first value is named positive; the
// second picks the label column and which of the first eight other columns are categorical or
// dropped, so that dataset_from_table sees every kind of mapping. Only InvalidInput may come out.
#include <string_view>

#include "common/errors.h"
#include "datasets/csv_reader.h"
#include "datasets/dataset_loader.h"
#include "fuzz/fuzz_support.h"

namespace dlaaw::datasets {
namespace {

CsvOptions options_from(std::uint8_t bits) {
  CsvOptions options;
  if (bits % 3 == 1) options.delimiter = ',';
  if (bits % 3 == 2) options.delimiter = ';';
  if (bits / 3 % 3 == 1) options.header = true;
  if (bits / 3 % 3 == 2) options.header = false;
  return options;
}

// What parse_csv promises about its table: one offset per cell, in order, inside the content.
void check_table(const CsvTable& table) {
  FUZZ_CHECK(table.columns() > 0);
  FUZZ_CHECK(table.cell_end.size() == table.rows() * table.columns());
  std::size_t previous = 0;
  for (std::size_t end : table.cell_end) {
    FUZZ_CHECK(end >= previous);
    previous = end;
  }
  FUZZ_CHECK(previous == table.content.size());
  for (std::size_t r = 1; r < table.rows(); ++r) FUZZ_CHECK(table.lines[r] > table.lines[r - 1]);
}

TableMapping mapping_from(const CsvTable& table, std::uint8_t option_bits, std::uint8_t roles) {
  TableMapping mapping;
  const std::size_t label = roles % table.columns();
  mapping.label = table.header[label];
  if ((option_bits & 0x80) && table.rows() > 0) mapping.positive = table.cell(0, label);
  for (std::size_t c = 0; c < table.columns() && c < 8; ++c) {
    if (c == label) continue;
    if (roles & (1u << c)) mapping.categorical.push_back(table.header[c]);
    if (c % 4 == 3 && (roles & 0x40)) mapping.drop.push_back(table.header[c]);
  }
  return mapping;
}

}  // namespace
}  // namespace dlaaw::datasets

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dlaaw::datasets;
  if (size < 2) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 2, size - 2);
  dlaaw::fuzz::accepted<dlaaw::InvalidInput>([&] {
    const CsvTable table = parse_csv(text, "fuzz.csv", options_from(data[0]));
    check_table(table);
    const Dataset ds = dataset_from_table(table, mapping_from(table, data[0], data[1]));
    FUZZ_CHECK(ds.rows_read == table.rows());
    FUZZ_CHECK(ds.rows_dropped < ds.rows_read);
    FUZZ_CHECK(ds.labels.size() == ds.rows_read - ds.rows_dropped);
    FUZZ_CHECK(ds.features.size() == ds.labels.size() * ds.feature_names.size());
  });
  return 0;
}
