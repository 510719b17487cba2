#include "storyline/text/shingles.h"

#include <bit>
#include <cstring>
#include <optional>
#include <string>

#include <xxhash.h>

namespace storyline::text {
namespace {

constexpr std::string_view kNoSpaceLanguages[] = {"zh", "ja", "th",
                                                  "lo", "km", "my"};

bool IsNoSpaceLanguage(std::string_view lang) {
  for (std::string_view code : kNoSpaceLanguages) {
    if (code == lang) return true;
  }
  return false;
}

// Token hashes are hashed again as bytes; fix their byte order so that
// stored shingles do not depend on the machine.
std::uint64_t ToLittleEndian(std::uint64_t v) {
  if constexpr (std::endian::native == std::endian::big) {
    std::uint64_t r = 0;
    for (int k = 0; k < 8; ++k) {
      r = (r << 8) | (v & 0xFF);
      v >>= 8;
    }
    return r;
  }
  return v;
}

// Character shingles given scratch buffers (reused by Shingler).
void CharShinglesWith(std::span<const Token> tokens, const ShingleOptions& options,
                      std::string* chars, std::vector<std::uint32_t>* offsets,
                      std::vector<std::uint32_t>* token_of, ShingleSet* out) {
  out->clear();
  out->by_chars = true;
  chars->clear();
  offsets->clear();
  token_of->clear();
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    if (t.kind == TokenKind::kPunct) continue;
    for (std::size_t i = 0; i < t.text.size(); ++i) {
      const auto b = static_cast<unsigned char>(t.text[i]);
      if ((b & 0xC0u) != 0x80u) {  // a code point starts here
        offsets->push_back(static_cast<std::uint32_t>(chars->size() + i));
        token_of->push_back(static_cast<std::uint32_t>(k));
      }
    }
    chars->append(t.text);
  }
  const std::size_t count = offsets->size();
  if (count == 0) return;
  offsets->push_back(static_cast<std::uint32_t>(chars->size()));
  const auto n = static_cast<std::size_t>(options.char_n);
  const std::size_t windows = count >= n ? count - n + 1 : 1;
  const std::size_t width = count >= n ? n : count;
  out->hashes.resize(windows);
  out->starts.resize(windows);
  out->ends.resize(windows);
  for (std::size_t k = 0; k < windows; ++k) {
    const std::uint32_t b = (*offsets)[k];
    const std::uint32_t e = (*offsets)[k + width];
    out->hashes[k] = XXH3_64bits_withSeed(chars->data() + b, e - b, options.seed);
    out->starts[k] = (*token_of)[k];
    out->ends[k] = (*token_of)[k + width - 1] + 1;
  }
}

}  // namespace

std::uint64_t Hash64(std::string_view bytes, std::uint64_t seed) {
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
}

Status ValidateShingleOptions(const ShingleOptions& options) {
  if (options.word_n < 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "ShingleOptions.word_n must be >= 1, got " +
                         std::to_string(options.word_n));
  }
  if (options.char_n < 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "ShingleOptions.char_n must be >= 1, got " +
                         std::to_string(options.char_n));
  }
  return Ok();
}

// Each token is hashed once; a shingle is then XXH3 over the word_n token
// hashes of its window (8 bytes each). Computed in place: window k reads
// hashes k..k+n-1 and overwrites slot k, which no later window reads.
Status WordShingles(std::span<const Token> tokens, const ShingleOptions& options,
                    ShingleSet* out) {
  out->clear();
  if (Status s = ValidateShingleOptions(options); !s) return s;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    if (t.kind == TokenKind::kPunct) continue;
    out->hashes.push_back(ToLittleEndian(Hash64(t.text, options.seed)));
    out->starts.push_back(static_cast<std::uint32_t>(k));
  }
  const std::size_t count = out->hashes.size();
  if (count == 0) return Ok();
  const auto n = static_cast<std::size_t>(options.word_n);
  const std::size_t windows = count >= n ? count - n + 1 : 1;
  const std::size_t width = count >= n ? n : count;
  out->ends.resize(windows);
  for (std::size_t k = 0; k < windows; ++k) {
    out->ends[k] = out->starts[k + width - 1] + 1;
    out->hashes[k] = XXH3_64bits_withSeed(&out->hashes[k],
                                          width * sizeof(std::uint64_t),
                                          options.seed);
  }
  out->hashes.resize(windows);
  out->starts.resize(windows);
  return Ok();
}

Status CharShingles(std::span<const Token> tokens, const ShingleOptions& options,
                    ShingleSet* out) {
  out->clear();
  if (Status s = ValidateShingleOptions(options); !s) return s;
  std::string chars;
  std::vector<std::uint32_t> offsets;
  std::vector<std::uint32_t> token_of;
  CharShinglesWith(tokens, options, &chars, &offsets, &token_of, out);
  return Ok();
}

Result<Shingler> Shingler::Create(const ShingleOptions& options) {
  if (Status s = ValidateShingleOptions(options); !s) {
    return tl::unexpected(s.error());
  }
  return Shingler(options);
}

Status Shingler::Shingle(std::string_view text, std::string_view lang,
                         ShingleSet* out) {
  out->clear();
  tokens_ = {};
  Result<std::span<const Token>> tokens = tokenizer_.Tokenize(text);
  if (!tokens) return tl::unexpected(std::move(tokens.error()));
  tokens_ = *tokens;

  bool by_chars = options_.mode == ShingleMode::kChars;
  if (options_.mode == ShingleMode::kAuto) {
    if (IsNoSpaceLanguage(lang)) {
      by_chars = true;
    } else if (lang.empty() || lang == "und") {
      std::size_t no_space_bytes = 0;
      std::size_t word_bytes = 0;
      for (const Token& t : tokens_) {
        if (t.kind == TokenKind::kPunct) continue;
        word_bytes += t.text.size();
        if (t.no_space_script) no_space_bytes += t.text.size();
      }
      by_chars = no_space_bytes * 2 > word_bytes;
    }
  }
  if (by_chars) {
    CharShinglesWith(tokens_, options_, &scratch_chars_, &scratch_offsets_,
                     &scratch_token_of_, out);
    return Ok();
  }
  return WordShingles(tokens_, options_, out);
}

Status Shingle(std::string_view text, std::string_view lang,
               const ShingleOptions& options, ShingleSet* out) {
  out->clear();
  thread_local std::optional<Shingler> shingler;
  if (!shingler || shingler->options().word_n != options.word_n ||
      shingler->options().char_n != options.char_n ||
      shingler->options().mode != options.mode ||
      shingler->options().seed != options.seed) {
    Result<Shingler> created = Shingler::Create(options);
    if (!created) return tl::unexpected(std::move(created.error()));
    shingler.emplace(std::move(*created));
  }
  return shingler->Shingle(text, lang, out);
}

}  // namespace storyline::text
