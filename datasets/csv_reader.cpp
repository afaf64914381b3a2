// csv_reader.cpp - a strict, position-reporting parser for the delimited files datasets come in.
#include "datasets/csv_reader.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "common/errors.h"
#include "common/utf8.h"

namespace dlaaw::datasets {
namespace {

[[noreturn]] void fail_at(const std::string& source, std::size_t line, std::size_t column,
                          const std::string& what) {
  throw InvalidInput(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                     what);
}

// The line and column (bytes, from 1) of `offset`, counted as RecordScanner counts them.
std::pair<std::size_t, std::size_t> position_of(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    const bool ends_line =
        text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'));
    line += ends_line;
    column = ends_line ? 1 : column + 1;
  }
  return {line, column};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Picks `;` when the first line (outside quotes) has more semicolons than commas.
char detect_delimiter(std::string_view text) {
  std::size_t commas = 0, semicolons = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    commas += c == ',';
    semicolons += c == ';';
  }
  return semicolons > commas ? ';' : ',';
}

// Walks the text one record at a time, keeping line and column for messages.
class RecordScanner {
 public:
  RecordScanner(std::string_view text, const std::string& source, char delimiter)
      : text_(text), source_(source), delimiter_(delimiter) {}

  // Reads the next non-blank record into `fields`; false at the end of the text.
  bool next(std::vector<std::string>& fields, std::size_t& record_line) {
    fields.clear();
    skip_blank_lines();
    if (pos_ >= text_.size()) return false;
    record_line = line_;
    while (true) {
      fields.push_back(read_field());
      if (pos_ >= text_.size()) return true;
      const char c = text_[pos_];
      if (c == delimiter_) {
        advance();
        continue;
      }
      // End of record: LF or CRLF (a lone CR also ends it).
      advance();
      if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') advance();
      return true;
    }
  }

 private:
  void advance() {
    if (text_[pos_] == '\n' ||
        (text_[pos_] == '\r' && (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '\n'))) {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  void skip_blank_lines() {
    while (pos_ < text_.size()) {
      std::size_t p = pos_;
      while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
      if (p < text_.size() && text_[p] != '\n' && text_[p] != '\r') return;
      while (pos_ < p) advance();
      if (pos_ < text_.size()) {
        const bool cr = text_[pos_] == '\r';
        advance();
        if (cr && pos_ < text_.size() && text_[pos_] == '\n') advance();
      }
    }
  }

  bool at_field_end() const {
    return pos_ >= text_.size() || text_[pos_] == delimiter_ || text_[pos_] == '\n' ||
           text_[pos_] == '\r';
  }

  std::string read_field() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) advance();
    if (pos_ < text_.size() && text_[pos_] == '"') return read_quoted();
    pos_ = start;
    while (!at_field_end()) {
      if (text_[pos_] == '"') fail_at(source_, line_, column_, "a quote inside an unquoted field");
      advance();
    }
    return std::string(trim(text_.substr(start, pos_ - start)));
  }

  std::string read_quoted() {
    const std::size_t open_line = line_, open_column = column_;
    advance();  // opening quote
    std::string value;
    while (true) {
      if (pos_ >= text_.size()) {
        fail_at(source_, open_line, open_column, "the quoted field opened here is never closed");
      }
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          value.push_back('"');
          advance();
          advance();
          continue;
        }
        advance();
        break;
      }
      value.push_back(c);
      advance();
    }
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) advance();
    if (!at_field_end()) {
      fail_at(source_, line_, column_,
              std::string("unexpected '") + text_[pos_] + "' after a closing quote");
    }
    return value;
  }

  std::string_view text_;
  const std::string& source_;
  char delimiter_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t column_ = 1;
};

void append_record(CsvTable& table, const std::vector<std::string>& fields, std::size_t line) {
  for (const auto& f : fields) {
    table.content += f;
    table.cell_end.push_back(table.content.size());
  }
  table.lines.push_back(line);
}

}  // namespace

std::optional<std::size_t> CsvTable::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return std::nullopt;
}

namespace {

enum class NumberText { Finite, NonFinite, NotANumber };

// Reads a whole cell as a number. from_chars reads "inf" and "nan" too (one such cell turns every
// score into NaN), and answers out_of_range for overflow and underflow alike: an underflow is a
// number (1e-400 is 0 for every purpose here), an overflow is not a finite one.
NumberText read_number(std::string_view text, double& value) {
  if (text.empty()) return NumberText::NotANumber;
  if (text.front() == '+') text.remove_prefix(1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size() || text.empty()) return NumberText::NotANumber;
  if (ec == std::errc::result_out_of_range) {
    value = std::strtod(std::string(text).c_str(), nullptr);  // ±HUGE_VAL, or the nearest tiny
    return std::isfinite(value) ? NumberText::Finite : NumberText::NonFinite;
  }
  if (ec != std::errc()) return NumberText::NotANumber;
  return std::isfinite(value) ? NumberText::Finite : NumberText::NonFinite;
}

}  // namespace

bool parse_number(std::string_view text, double& value) {
  return read_number(text, value) == NumberText::Finite;
}

bool is_non_finite_number(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  double value = 0;
  return read_number(text, value) == NumberText::NonFinite;
}

CsvTable parse_csv(std::string_view text, const std::string& source, const CsvOptions& options) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
  // Column names and category cells end up in JSON documents, which must be UTF-8.
  if (const std::size_t bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    const auto [line, column] = position_of(text, bad);
    fail_at(source, line, column, "not valid UTF-8 text (save the file as UTF-8)");
  }
  CsvTable table;
  table.source = source;
  table.delimiter = options.delimiter.value_or(detect_delimiter(text));
  RecordScanner scanner(text, source, table.delimiter);
  std::vector<std::string> fields;
  std::size_t line = 0;
  if (!scanner.next(fields, line)) throw InvalidInput(source + ": the file has no records");

  bool header = false;
  if (options.header) {
    header = *options.header;
  } else {
    header = true;
    for (const auto& f : fields) {
      double unused;
      if (parse_number(f, unused)) header = false;
    }
  }
  const std::size_t width = fields.size();
  table.had_header = header;
  if (header) {
    table.header = fields;
  } else {
    for (std::size_t i = 0; i < width; ++i) table.header.push_back(std::to_string(i + 1));
    append_record(table, fields, line);
  }
  while (scanner.next(fields, line)) {
    if (fields.size() != width) {
      throw InvalidInput(source + ":" + std::to_string(line) + ": " +
                         std::to_string(fields.size()) + " fields, but " +
                         (header ? "the header has " : "the first record has ") +
                         std::to_string(width));
    }
    append_record(table, fields, line);
  }
  return table;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidInput(path + ": cannot open the file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace dlaaw::datasets
