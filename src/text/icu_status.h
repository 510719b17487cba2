// Private adapter from ICU status codes to storyline errors.
#ifndef STORYLINE_SRC_TEXT_ICU_STATUS_H_
#define STORYLINE_SRC_TEXT_ICU_STATUS_H_

#include <string>
#include <string_view>

#include <unicode/utypes.h>

#include "storyline/core/result.h"

namespace storyline::text::internal {

// kInternal naming the ICU operation and code ("ICU word break iterator:
// U_MISSING_RESOURCE_ERROR"): ICU fails only when its data is missing or
// memory runs out, never because of user text we have already validated.
inline Error IcuError(std::string_view what, UErrorCode code) {
  std::string message = "ICU ";
  message += what;
  message += ": ";
  message += u_errorName(code);
  return Error{ErrorCode::kInternal, std::move(message)};
}

}  // namespace storyline::text::internal

#endif  // STORYLINE_SRC_TEXT_ICU_STATUS_H_
