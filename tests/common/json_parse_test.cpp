// json_parse_test.cpp - the depth-limited JSON parse every entry point uses.
#include "common/json_parse.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "common/json_fields.h"
#include "temp_dir.h"

namespace dlaaw {
namespace {

std::string nested(int depth, const std::string& inner = "1") {
  return std::string(depth, '[') + inner + std::string(depth, ']');
}

std::string error_of(const std::string& text) {
  try {
    parse_json(text, "doc.json");
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "";
}

TEST(JsonParseTest, AcceptsTheDepthLimit) {
  EXPECT_EQ(parse_json(nested(kMaxJsonDepth), "doc.json").dump(), nested(kMaxJsonDepth));
}

TEST(JsonParseTest, RefusesOneLevelMoreNamingWhere) {
  EXPECT_EQ(error_of(nested(kMaxJsonDepth + 1)),
            "doc.json: JSON nested deeper than 64 levels at line 1, column 65");
}

TEST(JsonParseTest, RefusesAHugelyDeepDocumentWithoutCrashing) {
  // 200,000 levels used to overflow the stack when the value was serialised or validated.
  EXPECT_NE(error_of(nested(200000)).find("nested deeper than 64"), std::string::npos);
  EXPECT_NE(error_of("{\"name\":\n " + nested(200000) + "}").find("at line 2, column 65"),
            std::string::npos);
  EXPECT_TRUE(parse_json_or_discarded(nested(200000)).is_discarded());
}

TEST(JsonParseTest, BracketsInsideStringsDoNotCount) {
  const std::string text = "{\"a\": \"" + std::string(100, '[') + "\\\"" + "\"}";
  EXPECT_EQ(parse_json(text, "doc.json")["a"].get<std::string>().size(), 101u);
}

TEST(JsonParseTest, MalformedTextNamesLineAndColumn) {
  EXPECT_NE(error_of("{\"a\": ,}").find("doc.json: not valid JSON: parse error at line 1"),
            std::string::npos);
}

TEST(JsonParseTest, FilesAreReadThroughTheLimit) {
  testing::TempDir dir;
  dir.write("deep.json", "{\"name\": " + nested(200000) + "}");
  try {
    read_json_file((dir.path() / "deep.json").string());
    FAIL() << "a deep file was accepted";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("deep.json: JSON nested deeper than 64"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace dlaaw
