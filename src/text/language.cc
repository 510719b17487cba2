#include "storyline/text/language.h"

#include <cstdio>  // compact_lang_det.h uses FILE without including it

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

namespace storyline::text {
namespace {

// CLD2 predates some ISO 639 changes and adds script-suffixed codes; map its
// codes onto ISO 639-1 (or 639-3 where no two-letter code exists).
std::string ToIsoCode(CLD2::Language language) {
  if (language == CLD2::UNKNOWN_LANGUAGE || language == CLD2::TG_UNKNOWN_LANGUAGE) {
    return std::string(kUndetermined);
  }
  std::string_view code = CLD2::LanguageCode(language);
  // "xx-Latn" and the like are scripts without a language; "un" is unknown.
  if (code.empty() || code == "un" || code.starts_with("xx")) {
    return std::string(kUndetermined);
  }
  code = code.substr(0, code.find('-'));  // "zh-Hant" -> "zh", "sr-ME" -> "sr"
  if (code == "iw") return "he";          // ISO 639-1 changed in 1989
  if (code == "jw") return "jv";
  if (code == "in") return "id";
  if (code == "ji") return "yi";
  return std::string(code);
}

struct Cld2Result {
  CLD2::Language best = CLD2::UNKNOWN_LANGUAGE;
  CLD2::Language language3[3] = {CLD2::UNKNOWN_LANGUAGE, CLD2::UNKNOWN_LANGUAGE,
                                 CLD2::UNKNOWN_LANGUAGE};
  int percent3[3] = {0, 0, 0};
  bool reliable = false;

  int PercentOf(CLD2::Language language) const {
    for (int k = 0; k < 3; ++k) {
      if (language3[k] == language) return percent3[k];
    }
    return 0;
  }
};

// Runs CLD2 on text that the caller has validated as UTF-8.
Cld2Result RunCld2(std::string_view text, const LanguageOptions& options) {
  Cld2Result r;
  if (text.empty()) return r;
  CLD2::CLDHints hints{};
  hints.content_language_hint =
      options.hint.empty() ? nullptr : options.hint.c_str();
  hints.tld_hint = nullptr;
  hints.encoding_hint = CLD2::UNKNOWN_ENCODING;
  hints.language_hint = CLD2::UNKNOWN_LANGUAGE;
  const int flags = options.best_effort ? CLD2::kCLDFlagBestEffort : 0;
  double normalized_score3[3];
  int text_bytes = 0;
  r.best = CLD2::ExtDetectLanguageSummary(
      text.data(), static_cast<int>(text.size()), /*is_plain_text=*/true,
      &hints, flags, r.language3, r.percent3, normalized_score3,
      /*resultchunkvector=*/nullptr, &text_bytes, &r.reliable);
  return r;
}

LanguageGuess ToGuess(const Cld2Result& r, const LanguageOptions& options) {
  LanguageGuess guess;
  if (!r.reliable && !options.best_effort) return guess;
  guess.code = ToIsoCode(r.best);
  if (guess.code == kUndetermined) return guess;
  guess.reliable = r.reliable;
  guess.confidence = r.PercentOf(r.best) / 100.0;
  if (!r.reliable) guess.confidence /= 2;
  return guess;
}

Status CheckInput(std::string_view text) {
  if (text.size() >= kMaxTextBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "text of " + std::to_string(text.size()) +
                         " bytes exceeds the 2 GiB limit");
  }
  return ValidateUtf8(text);
}

}  // namespace

Result<LanguageGuess> DetectLanguage(std::string_view text,
                                     const LanguageOptions& options) {
  if (Status s = CheckInput(text); !s) return tl::unexpected(s.error());
  return ToGuess(RunCld2(text, options), options);
}

}  // namespace storyline::text
