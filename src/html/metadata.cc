#include "html/metadata.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

#include "storyline/core/date.h"

namespace storyline::html {
namespace {

using Json = nlohmann::json;

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// schema.org types whose objects describe one article.
bool IsArticleType(std::string_view type) {
  static constexpr std::array<std::string_view, 13> kTypes = {
      "Article",          "NewsArticle",         "ReportageNewsArticle", "AnalysisNewsArticle",
      "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting",
      "LiveBlogPosting",  "TechArticle",         "ScholarlyArticle",     "Report",
      "SocialMediaPosting"};
  return std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
}

bool HasArticleType(const Json& object) {
  auto it = object.find("@type");
  if (it == object.end()) return false;
  if (it->is_string()) return IsArticleType(it->get_ref<const std::string&>());
  if (it->is_array()) {
    for (const Json& t : *it) {
      if (t.is_string() && IsArticleType(t.get_ref<const std::string&>())) return true;
    }
  }
  return false;
}

std::string StringField(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array() && !it->empty() && it->front().is_string()) {
    return it->front().get<std::string>();
  }
  return "";
}

// A Person/Organization value: a string, an object with "name", or an array
// of either. Several names are joined with ", ".
std::string NameOf(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object()) return StringField(value, "name");
  if (value.is_array()) {
    std::string names;
    for (const Json& v : value) {
      std::string n = NameOf(v);
      if (n.empty()) continue;
      if (!names.empty()) names += ", ";
      names += n;
    }
    return names;
  }
  return "";
}

bool LooksLikeUrl(std::string_view s) {
  return s.starts_with("http://") || s.starts_with("https://") || s.starts_with("//");
}

void FillFrom(const Json& object, StructuredArticle* out) {
  if (out->headline.empty()) out->headline = CollapseWhitespace(StringField(object, "headline"));
  if (out->body.empty()) out->body = StringField(object, "articleBody");
  if (out->date_published.empty()) out->date_published = StringField(object, "datePublished");
  if (out->date_published.empty()) out->date_published = StringField(object, "dateCreated");
  if (out->author.empty()) {
    auto it = object.find("author");
    if (it != object.end()) {
      std::string name = CollapseWhitespace(NameOf(*it));
      if (!LooksLikeUrl(name)) out->author = name;
    }
  }
  if (out->publisher.empty()) {
    auto it = object.find("publisher");
    if (it != object.end()) out->publisher = CollapseWhitespace(NameOf(*it));
  }
  if (out->url.empty()) out->url = StringField(object, "url");
}

// Depth-first search for article objects; `depth` bounds hostile nesting.
void Visit(const Json& value, int depth, StructuredArticle* out, bool* found) {
  if (depth > 8) return;
  if (value.is_array()) {
    for (const Json& v : value) Visit(v, depth + 1, out, found);
    return;
  }
  if (!value.is_object()) return;
  if (HasArticleType(value)) {
    FillFrom(value, out);
    *found = true;
  }
  auto graph = value.find("@graph");
  if (graph != value.end()) Visit(*graph, depth + 1, out, found);
  auto main_entity = value.find("mainEntity");
  if (main_entity != value.end()) Visit(*main_entity, depth + 1, out, found);
}

// JSON forbids raw control characters inside strings; CMSs emit them in
// articleBody all the time. Replace them with spaces before parsing.
std::string SanitizeJson(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  // Some pages wrap the JSON in an HTML comment or CDATA.
  std::size_t start = out.find_first_of("{[");
  std::size_t end = out.find_last_of("}]");
  if (start == std::string::npos || end == std::string::npos || end < start) return "";
  return out.substr(start, end - start + 1);
}

struct MonthName {
  std::string_view prefix;
  int month;
};

// English, French, German, Spanish, Italian and Portuguese month names by a
// prefix long enough to be unambiguous among them.
constexpr std::array<MonthName, 40> kMonths = {{
    {"jan", 1},   {"feb", 2},   {"fév", 2},   {"fev", 2},   {"mar", 3},   {"mär", 3},
    {"apr", 4},   {"avr", 4},   {"abr", 4},   {"may", 5},   {"mai", 5},   {"mag", 5},
    {"jun", 6},   {"juin", 6},  {"giu", 6},   {"jul", 7},   {"juil", 7},  {"lug", 7},
    {"aug", 8},   {"août", 8},  {"aou", 8},   {"ago", 8},   {"sep", 9},   {"set", 9},
    {"oct", 10},  {"okt", 10},  {"out", 10},  {"ott", 10},  {"nov", 11},  {"dec", 12},
    {"déc", 12},  {"dez", 12},  {"dic", 12},  {"ene", 1},   {"gen", 1},   {"janv", 1},
    {"dicembre", 12}, {"ener", 1}, {"fevereiro", 2}, {"febbraio", 2},
}};

int MonthFromWord(std::string_view word) {
  std::string w = LowerCopy(word);
  // Longest matching prefix wins ("juil" over "jul").
  int best = 0;
  std::size_t best_len = 0;
  for (const MonthName& m : kMonths) {
    if (w.size() >= m.prefix.size() && w.compare(0, m.prefix.size(), m.prefix) == 0 &&
        m.prefix.size() > best_len) {
      best = m.month;
      best_len = m.prefix.size();
    }
  }
  // "mar" also starts "mardi"/"martes"; words of weekdays are not months.
  if (w.starts_with("mard") || w.starts_with("mart") || w.starts_with("mer") ||
      w.starts_with("mitt") || w.starts_with("sam") || w.starts_with("ven") ||
      w.starts_with("dom") || w.starts_with("jue") || w.starts_with("jeu")) {
    return 0;
  }
  return best;
}

std::string FormatYmd(int y, int m, int d) {
  CivilDate date{y, m, d};
  if (y < 1990 || y > 2100 || !IsValidDate(date)) return "";
  return FormatDate(date);
}

// Tries "YYYY-MM-DD", "YYYY/MM/DD" and "YYYY.MM.DD" at the start of `s`.
std::string NumericDatePrefix(std::string_view s) {
  if (s.size() < 10) return "";
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(s[static_cast<std::size_t>(i)])) return "";
  }
  char sep = s[4];
  if ((sep != '-' && sep != '/' && sep != '.') || s[7] != sep) return "";
  int y = std::stoi(std::string(s.substr(0, 4)));
  int m = std::stoi(std::string(s.substr(5, 2)));
  int d = std::stoi(std::string(s.substr(8, 2)));
  return FormatYmd(y, m, d);
}

// "Tue, 19 Nov 2019 10:00:00 GMT", "November 19, 2019", "19 janvier 2022".
std::string WordDate(std::string_view s) {
  int year = 0, month = 0, day = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (IsDigit(s[i])) {
      std::size_t j = i;
      while (j < s.size() && IsDigit(s[j])) ++j;
      std::string_view num = s.substr(i, j - i);
      // Skip times such as 10:00.
      bool is_time = j < s.size() && s[j] == ':';
      if (!is_time && num.size() == 4 && year == 0) {
        year = std::stoi(std::string(num));
      } else if (!is_time && num.size() <= 2 && day == 0 && year == 0) {
        day = std::stoi(std::string(num));
      }
      i = j;
    } else if (std::isalpha(c) || c >= 0x80) {
      std::size_t j = i;
      while (j < s.size() &&
             (std::isalpha(static_cast<unsigned char>(s[j])) ||
              static_cast<unsigned char>(s[j]) >= 0x80)) {
        ++j;
      }
      if (month == 0 && j - i >= 3) month = MonthFromWord(s.substr(i, j - i));
      i = j;
    } else {
      ++i;
    }
  }
  if (year == 0 || month == 0 || day == 0) return "";
  return FormatYmd(year, month, day);
}

}  // namespace

std::string CollapseWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (!ws && c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
      ws = true;
      ++i;
    }
    if (ws) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

StructuredArticle ParseJsonLd(const std::vector<std::string>& scripts) {
  StructuredArticle out;
  for (const std::string& script : scripts) {
    std::string clean = SanitizeJson(script);
    if (clean.empty()) continue;
    Json json = Json::parse(clean, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) continue;
    bool found = false;
    Visit(json, 0, &out, &found);
  }
  return out;
}

std::string NormalizeDate(std::string_view text) {
  std::string trimmed = CollapseWhitespace(text);
  if (trimmed.empty()) return "";
  if (ParseIso8601(trimmed)) return trimmed;
  std::string numeric = NumericDatePrefix(trimmed);
  if (!numeric.empty()) return numeric;
  // Compact "20220108..." as some CMSs write.
  if (trimmed.size() >= 8 && std::all_of(trimmed.begin(), trimmed.begin() + 8, IsDigit)) {
    std::string d = FormatYmd(std::stoi(trimmed.substr(0, 4)), std::stoi(trimmed.substr(4, 2)),
                              std::stoi(trimmed.substr(6, 2)));
    if (!d.empty() && (trimmed.size() == 8 || !IsDigit(trimmed[8]))) return d;
  }
  return WordDate(trimmed);
}

std::string DateFromUrl(std::string_view url) {
  // Look only at the path: hosts and queries carry ids that look like dates.
  std::size_t scheme = url.find("://");
  std::size_t path_start = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (path_start == std::string_view::npos) return "";
  std::string_view path = url.substr(path_start);
  path = path.substr(0, path.find_first_of("?#"));
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    if (path[i] != '/' || !IsDigit(path[i + 1])) continue;
    std::string_view rest = path.substr(i + 1);
    // /2022/01/08/ or /2022-01-08
    if (rest.size() >= 10 && IsDigit(rest[0]) && IsDigit(rest[3]) &&
        (rest[4] == '/' || rest[4] == '-') && rest[7] == rest[4]) {
      std::string d = NumericDatePrefix(rest);
      if (!d.empty()) return d;
    }
    // /20220108/
    if (rest.size() >= 8 && std::all_of(rest.begin(), rest.begin() + 8, IsDigit) &&
        (rest.size() == 8 || !IsDigit(rest[8]))) {
      std::string d = FormatYmd(std::stoi(std::string(rest.substr(0, 4))),
                                std::stoi(std::string(rest.substr(4, 2))),
                                std::stoi(std::string(rest.substr(6, 2))));
      if (!d.empty()) return d;
    }
  }
  return "";
}

std::string StripSiteSuffix(std::string_view title, std::string_view site_name) {
  std::string t = CollapseWhitespace(title);
  static constexpr std::array<std::string_view, 6> kSeparators = {" | ", " - ", " – ", " — ",
                                                                  " :: ", " · "};
  std::string site = LowerCopy(CollapseWhitespace(site_name));
  for (std::string_view sep : kSeparators) {
    std::size_t last = t.rfind(sep);
    if (last != std::string::npos && last > 0) {
      std::string tail = LowerCopy(t.substr(last + sep.size()));
      bool is_site = !site.empty() && (tail == site || tail.find(site) != std::string::npos ||
                                       site.find(tail) != std::string::npos);
      // Without a known site name, a short last part (one to four words) after
      // a longer head is taken for the site's name.
      bool short_tail = site.empty() && std::count(tail.begin(), tail.end(), ' ') < 4 &&
                        tail.size() < last;
      if (is_site || short_tail) return t.substr(0, last);
    }
    std::size_t first = t.find(sep);
    if (first != std::string::npos && !site.empty()) {
      std::string head = LowerCopy(t.substr(0, first));
      if (head == site) return t.substr(first + sep.size());
    }
  }
  return t;
}

void ResolveMetadata(const RawMetadata& raw, const StructuredArticle& structured,
                     std::string_view h1, const ExtractOptions& options, ExtractedPage* page) {
  auto meta = [&raw](std::string_view key) -> std::string {
    for (const auto& [k, v] : raw.metas) {
      if (k == key) {
        std::string value = CollapseWhitespace(v);
        if (!value.empty()) return value;
      }
    }
    return "";
  };

  page->site_name = meta("og:site_name");
  if (page->site_name.empty()) page->site_name = structured.publisher;
  if (page->site_name.empty()) page->site_name = meta("application-name");

  // Headline candidates, best first.
  auto add_headline = [page](std::string text, std::string_view source) {
    text = CollapseWhitespace(text);
    if (text.empty()) return;
    for (const HeadlineCandidate& h : page->headlines) {
      if (h.text == text) return;
    }
    page->headlines.push_back({std::move(text), std::string(source)});
  };
  add_headline(StripSiteSuffix(meta("og:title"), page->site_name), "og:title");
  add_headline(structured.headline, "json-ld");
  add_headline(StripSiteSuffix(meta("twitter:title"), page->site_name), "twitter:title");
  add_headline(std::string(h1), "h1");
  add_headline(StripSiteSuffix(raw.title_tag, page->site_name), "title");
  if (!page->headlines.empty()) page->title = page->headlines.front().text;

  // Publication date: the article's own structured claim first, then meta
  // conventions (Open Graph article:, Dublin Core, Parse.ly, Sailthru...),
  // then <time>, then the URL.
  std::vector<std::string> dates;
  dates.push_back(structured.date_published);
  for (std::string_view key :
       {"article:published_time", "og:published_time", "datepublished", "date", "pubdate",
        "publishdate", "publish_date", "publish-date", "publication_date", "dc.date",
        "dc.date.issued", "dcterms.date", "dcterms.issued", "dcterms.created", "sailthru.date",
        "parsely-pub-date", "article.published", "article_date_original",
        "original-publish-date", "displaydate", "dc.date.created", "created"}) {
    dates.push_back(meta(key));
  }
  dates.insert(dates.end(), raw.marked_times.begin(), raw.marked_times.end());
  dates.insert(dates.end(), raw.times.begin(), raw.times.end());
  for (const std::string& d : dates) {
    std::string normalized = NormalizeDate(d);
    if (!normalized.empty()) {
      page->published = normalized;
      break;
    }
  }
  if (page->published.empty()) page->published = DateFromUrl(options.url);

  page->author = structured.author;
  if (page->author.empty()) {
    for (std::string_view key : {"author", "article:author", "dc.creator", "parsely-author",
                                 "sailthru.author", "byl"}) {
      std::string a = meta(key);
      if (!a.empty() && !LooksLikeUrl(a)) {
        page->author = a;
        break;
      }
    }
  }
  if (page->author.empty()) {
    for (const std::string& a : raw.author_texts) {
      std::string t = CollapseWhitespace(a);
      if (!t.empty() && t.size() < 100) {
        page->author = t;
        break;
      }
    }
  }

  page->canonical_url = CollapseWhitespace(raw.canonical_link);
  if (page->canonical_url.empty()) page->canonical_url = meta("og:url");
  if (page->canonical_url.empty() && LooksLikeUrl(structured.url)) {
    page->canonical_url = structured.url;
  }
  if (page->canonical_url.empty()) page->canonical_url = options.url;

  std::string lang = CollapseWhitespace(raw.html_lang);
  if (lang.empty()) lang = meta("content-language");
  if (lang.empty()) lang = meta("og:locale");
  lang = LowerCopy(lang.substr(0, lang.find_first_of("-_ ,;")));
  bool alpha = !lang.empty() && lang.size() <= 3 &&
               std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  page->lang = alpha ? lang : "";
}

}  // namespace storyline::html
