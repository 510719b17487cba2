// Web pages to Articles. The extraction itself (charset, HTML5 parse,
// metadata, main content) is html::ExtractPage's; this file only decides
// which of the page's facts become which Article field, and checks them:
// a date must parse as ISO 8601, a declared language must be confirmed by
// the text, a source must come from the URL or the page's own metadata.
#include "page_article.h"

#include <algorithm>
#include <cctype>

#include "storyline/core/date.h"
#include "storyline/html/charset.h"
#include "storyline/html/extract.h"
#include "storyline/ingest/reader.h"
#include "storyline/text/language.h"

namespace storyline::ingest {
namespace {

// Enough text for CLD2 to decide; the pipeline samples the same amount.
constexpr std::size_t kLanguageSample = 4096;

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A URI scheme: a letter, then letters, digits, '+', '-', '.' (RFC 3986).
bool IsScheme(std::string_view s) {
  if (s.empty() || std::isalpha(static_cast<unsigned char>(s.front())) == 0) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '+' || c == '-' || c == '.';
  });
}

}  // namespace

std::string SiteOfUrl(std::string_view url) {
  url = Trim(url);
  const std::size_t sep = url.find("://");
  if (sep != std::string_view::npos && IsScheme(url.substr(0, sep))) {
    url.remove_prefix(sep + 3);
  } else if (url.starts_with("//")) {
    url.remove_prefix(2);  // scheme-relative
  } else {
    return {};
  }
  std::string_view authority = url.substr(0, url.find_first_of("/?#"));
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return {};
    host = authority.substr(0, close + 1);  // IPv6 literal, brackets kept
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  while (host.ends_with('.')) host.remove_suffix(1);  // "example.com." is the same site
  std::string out(host);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (out.starts_with("www.") && out.size() > 4) out.erase(0, 4);
  return out;
}

std::string ValidIsoDate(std::string_view value) {
  value = Trim(value);
  if (value.empty()) return {};
  if (ParseIso8601(value)) return std::string(value);
  if (value.size() > 10 && ParseIso8601(value.substr(0, 10))) return std::string(value.substr(0, 10));
  return {};
}

std::string AgreedLanguage(std::string_view declared, std::string_view title,
                           std::string_view text) {
  if (declared.empty()) return {};
  std::string sample(title);
  if (!sample.empty()) sample += '\n';
  sample.append(text.substr(0, kLanguageSample));
  // Cut at a character boundary: CLD2 refuses ill-formed UTF-8.
  while (!sample.empty() && (static_cast<unsigned char>(sample.back()) & 0xC0) == 0x80) {
    sample.pop_back();
  }
  if (!sample.empty() && static_cast<unsigned char>(sample.back()) >= 0xC0) sample.pop_back();
  Result<text::LanguageGuess> guess = text::DetectLanguage(sample);
  if (!guess || guess->code != declared) return {};
  return std::string(declared);
}

Status FillFromPage(std::string_view utf8_html, Article* article) {
  html::ExtractOptions options;
  options.url = article->url;
  // The caller has decoded the page: the bytes are UTF-8 whatever its
  // <meta charset> says.
  options.http_charset = "utf-8";
  Result<html::ExtractedPage> page = html::ExtractPage(utf8_html, options);
  if (!page) {
    return MakeError(ErrorCode::kInvalidInput, "cannot extract the page: " + page.error().message);
  }
  if (IsBlank(page->text)) {
    return MakeError(ErrorCode::kInvalidInput, "no article text found in the page");
  }
  article->text = std::move(page->text);
  if (article->title.empty()) article->title = std::move(page->title);
  if (article->url.empty()) article->url = std::move(page->canonical_url);
  if (article->source.empty()) {
    article->source = SiteOfUrl(article->url);
    if (article->source.empty()) article->source = std::string(Trim(page->site_name));
  }
  if (article->published.empty()) article->published = ValidIsoDate(page->published);
  if (article->lang.empty()) article->lang = AgreedLanguage(page->lang, article->title, article->text);
  return Ok();
}

Result<Article> ParseHtmlArticle(std::string_view bytes, const PageSource& page) {
  // Decode once here, so that `html` keeps the page exactly as extracted.
  const std::string declared =
      page.http_charset.empty() ? html::SniffMetaCharset(bytes) : page.http_charset;
  Result<std::string> utf8 = html::DecodeToUtf8(bytes, declared);
  if (!utf8) return Fail(utf8.error());
  Article a;
  a.id = page.id;
  a.url = page.url;
  a.origin = page.origin;
  if (Status s = FillFromPage(*utf8, &a); !s) return Fail(s.error());
  if (a.published.empty()) {
    // A crawl date bounds the publication date from above; it is the best
    // the archive knows, and marked as inferred so later stages may refine it.
    const std::string fallback = ValidIsoDate(page.fallback_date);
    if (!fallback.empty()) {
      a.published = fallback.substr(0, 10);
      a.published_inferred = true;
    }
  }
  a.html = std::move(*utf8);
  return a;
}

}  // namespace storyline::ingest
