// csv_reader_test.cpp - delimiters, quotes, line endings, headers and error positions.
#include "datasets/csv_reader.h"

#include <gtest/gtest.h>

#include "common/errors.h"

namespace dlaaw::datasets {
namespace {

std::string error_of(std::string_view text, CsvOptions options = {}) {
  try {
    parse_csv(text, "t.csv", options);
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(CsvReaderTest, ReadsAHeaderAndCommas) {
  const auto t = parse_csv("a,b,c\n1,2,3\n4,5,6\n", "t.csv");
  EXPECT_TRUE(t.had_header);
  EXPECT_EQ(t.header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.cell(1, 2), "6");
  EXPECT_EQ(t.lines[1], 3u);
}

TEST(CsvReaderTest, DetectsSemicolonsAndStripsQuotes) {
  const auto t = parse_csv("\"age\";\"job\";\"y\"\n58;\"management\";\"no\"\n", "t.csv");
  EXPECT_EQ(t.delimiter, ';');
  EXPECT_EQ(t.header[1], "job");
  EXPECT_EQ(t.cell(0, 1), "management");
}

TEST(CsvReaderTest, HandlesCrlfAndNoFinalNewline) {
  const auto t = parse_csv("x,y\r\n1,0\r\n2,1", "t.csv");
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.cell(1, 0), "2");
  EXPECT_EQ(t.cell(1, 1), "1");
  EXPECT_EQ(t.lines[1], 3u);
}

TEST(CsvReaderTest, TreatsAnAllNumericFirstRowAsData) {
  const auto t = parse_csv("3.6,8.1,-2.8,-0.4,0\r\n4.5,8.1,-2.4,-1.4,0\r\n", "t.csv");
  EXPECT_FALSE(t.had_header);
  EXPECT_EQ(t.header, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(t.rows(), 2u);
}

TEST(CsvReaderTest, QuotedFieldsKeepDelimitersNewlinesAndDoubledQuotes) {
  const auto t = parse_csv("name,note\n\"a,b\",\"say \"\"hi\"\"\nthere\"\nc,d\n", "t.csv");
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.cell(0, 0), "a,b");
  EXPECT_EQ(t.cell(0, 1), "say \"hi\"\nthere");
  EXPECT_EQ(t.lines[1], 4u);
}

TEST(CsvReaderTest, KeepsEmptyFieldsAndSkipsBlankLines) {
  const auto t = parse_csv("a,b\n\n1,\n ,2\n\n", "t.csv");
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.cell(0, 1), "");
  EXPECT_EQ(t.cell(1, 0), "");
}

TEST(CsvReaderTest, ReportsAnUnterminatedQuoteWhereItOpens) {
  EXPECT_EQ(error_of("a,b\n1,\"open\n2,3\n"),
            "t.csv:2:3: the quoted field opened here is never closed");
}

TEST(CsvReaderTest, ReportsTextAfterAClosingQuote) {
  EXPECT_EQ(error_of("a,b\n\"x\"y,1\n"), "t.csv:2:4: unexpected 'y' after a closing quote");
}

TEST(CsvReaderTest, ReportsAStrayQuote) {
  EXPECT_EQ(error_of("a,b\n1,2\"3\n"), "t.csv:2:4: a quote inside an unquoted field");
}

// A Latin-1 header ("Gr\xf6\xdfe") went through to the result document, whose JSON writer threw
// in the executor: the job was retried with a message that named no file.
TEST(CsvReaderTest, ReportsTextThatIsNotUtf8WhereItIs) {
  EXPECT_EQ(error_of("a,Gr\xf6\xdf"
                     "e\n1,2\n"),
            "t.csv:1:5: not valid UTF-8 text (save the file as UTF-8)");
  EXPECT_EQ(error_of("a,b\r\n1,x\r\n2,caf\xe9\r\n"),
            "t.csv:3:6: not valid UTF-8 text (save the file as UTF-8)");
  EXPECT_EQ(parse_csv("Gr\xc3\xb6\xc3\x9f"
                      "e,b\n1,2\n",
                      "t.csv")
                .header[0],
            "Gr\xc3\xb6\xc3\x9f"
            "e");
}

TEST(CsvReaderTest, ReportsAWrongFieldCount) {
  EXPECT_EQ(error_of("a,b,c\n1,2,3\n4,5\n"), "t.csv:3: 2 fields, but the header has 3");
}

TEST(CsvReaderTest, ParsesOnlyWholeNumbers) {
  double v;
  EXPECT_TRUE(parse_number("-1.5e3", v));
  EXPECT_EQ(v, -1500.0);
  EXPECT_TRUE(parse_number("+2", v));
  EXPECT_FALSE(parse_number("1.2.3", v));
  EXPECT_FALSE(parse_number("12abc", v));
  EXPECT_FALSE(parse_number("", v));
  EXPECT_FALSE(parse_number("+", v));
}

TEST(CsvReaderTest, AnUnderflowIsANumberAndAnOverflowIsNotAFiniteOne) {
  // from_chars says out_of_range for both; 1e-400 used to be refused as "not a finite number".
  double v = 1;
  EXPECT_TRUE(parse_number("1e-400", v));
  EXPECT_EQ(v, 0.0);
  EXPECT_TRUE(parse_number("-4.9e-324", v));
  EXPECT_LT(v, 0.0);
  EXPECT_FALSE(is_non_finite_number("1e-400"));
  EXPECT_FALSE(parse_number("1e400", v));
  EXPECT_TRUE(is_non_finite_number("1e400"));
  EXPECT_TRUE(is_non_finite_number("-1e400"));
  EXPECT_TRUE(is_non_finite_number("-inf"));
  EXPECT_FALSE(is_non_finite_number("x"));
}

}  // namespace
}  // namespace dlaaw::datasets
