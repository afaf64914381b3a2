// csv_reader.h - reads delimited text (`,` or `;`, quoted fields, CRLF or LF, header or none).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dlaaw::datasets {

struct CsvOptions {
  std::optional<char> delimiter;  // unset: `;` when the first line has more of them than `,`
  std::optional<bool> header;     // unset: a header when no field of the first record is a number
};

// A parsed table: every record has header.size() fields.
struct CsvTable {
  std::string source;               // file name used in messages
  std::vector<std::string> header;  // column names; "1".."n" when the file has no header
  bool had_header = false;
  char delimiter = ',';
  // Every cell's text, concatenated row-major; cell k is [cell_end[k - 1], cell_end[k]). One
  // buffer and one offset per cell instead of a std::string each keeps a 45,000-row file in a few
  // megabytes.
  std::string content;
  std::vector<std::size_t> cell_end;
  std::vector<std::size_t> lines;  // 1-based line of each record, for messages

  std::size_t columns() const { return header.size(); }
  std::size_t rows() const { return lines.size(); }
  std::string_view cell(std::size_t row, std::size_t col) const {
    const std::size_t k = row * header.size() + col;
    const std::size_t begin = k == 0 ? 0 : cell_end[k - 1];
    return std::string_view(content).substr(begin, cell_end[k] - begin);
  }
  // Index of the column named `name`, or nullopt.
  std::optional<std::size_t> find_column(std::string_view name) const;
};

// Parses `text`. Blank lines are skipped; unquoted fields lose surrounding spaces. Throws
// InvalidInput naming `source:line:column` for an unterminated quote, text after a closing quote,
// a quote inside an unquoted field, or a record whose field count differs from the first one's.
CsvTable parse_csv(std::string_view text, const std::string& source,
                   const CsvOptions& options = {});

// Reads the whole file (throws InvalidInput if it cannot be opened).
std::string read_file(const std::string& path);

// True when `text` is a complete, finite decimal or scientific number (what a numeric cell must
// be): "inf", "nan" and values beyond double's range are not.
bool parse_number(std::string_view text, double& value);

// True for "inf", "-infinity", "nan" and numbers too large for a double: text that reads as a
// number but is not a finite one (for messages that say so).
bool is_non_finite_number(std::string_view text);

}  // namespace dlaaw::datasets
