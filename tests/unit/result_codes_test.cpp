// The result codes exist three times over: enum sdrs_result in include/sdrs/common.h (C, ABI),
// enum class sdrs::Code and the name/description texts, the last two generated from
// src/core/result_codes.def. Every row must agree with common.h, and common.h must hold no
// code the table lacks.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "sdrs/common.h"

namespace {

struct Row {
  int internal;  // static_cast<int>(sdrs::Code::id)
  int c_value;   // the C enumerator named in the row
  int value;     // the value column
  const char *c_name;
  const char *description;
};

const Row kRows[] = {
#define SDRS_RESULT(id, c_name, value, description) \
  {static_cast<int>(sdrs::Code::id), c_name, value, #c_name, description},
#include "core/result_codes.def"
#undef SDRS_RESULT
};

TEST(ResultCodes, EveryRowAgreesWithCommonHAndTheTexts) {
  for (const Row &r : kRows) {
    EXPECT_EQ(r.c_value, r.value) << r.c_name << ": common.h and result_codes.def differ";
    EXPECT_EQ(r.internal, r.value) << r.c_name << ": sdrs::Code and result_codes.def differ";
    EXPECT_STREQ(sdrs::code_name(r.value), r.c_name);
    EXPECT_STREQ(sdrs::code_description(r.value), r.description);
  }
}

// The other direction: enum sdrs_result, read from the header text, names no code the table
// lacks (a new code added to common.h alone fails here).
TEST(ResultCodes, CommonHHasNoCodeOutsideTheTable) {
  std::ifstream in(SDRS_COMMON_H_PATH);
  ASSERT_TRUE(in) << SDRS_COMMON_H_PATH;
  std::stringstream text;
  text << in.rdbuf();
  const std::string header = text.str();
  const auto open = header.find("enum sdrs_result {");
  ASSERT_NE(open, std::string::npos);
  const std::string body = header.substr(open, header.find("};", open) - open);
  std::map<std::string, int> in_header;
  const std::regex item(R"((SDRS_[A-Z]+)\s*=\s*(-?\d+))");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), item); it != std::sregex_iterator();
       ++it) {
    in_header[(*it)[1]] = std::stoi((*it)[2]);
  }
  ASSERT_EQ(in_header.size(), std::size(kRows));
  for (const Row &r : kRows) {
    ASSERT_EQ(in_header.count(r.c_name), 1U) << r.c_name;
    EXPECT_EQ(in_header[r.c_name], r.value) << r.c_name;
  }
}

}  // namespace
