#include "storyline/core/result.h"

#include <gtest/gtest.h>

namespace storyline {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return MakeError(ErrorCode::kInvalidInput, "value must be positive");
  return v;
}

TEST(ResultTest, CarriesValueOrError) {
  EXPECT_EQ(*ParsePositive(3), 3);
  Result<int> bad = ParsePositive(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(bad.error().ToString(), "invalid_input: value must be positive");
}

TEST(ResultTest, EveryCodeHasAName) {
  for (ErrorCode c : {ErrorCode::kInvalidArgument, ErrorCode::kInvalidInput, ErrorCode::kNotFound,
                      ErrorCode::kIo, ErrorCode::kStore, ErrorCode::kUnsupported,
                      ErrorCode::kInternal}) {
    EXPECT_NE(ErrorCodeName(c), "unknown");
  }
}

}  // namespace
}  // namespace storyline
