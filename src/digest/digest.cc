#include "storyline/digest/digest.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "digest/dates_internal.h"
#include "digest/document.h"
#include "digest/entities_internal.h"
#include "digest/lexicon.h"
#include "digest/quotes_internal.h"
#include "digest/summary.h"

namespace storyline::digest {
namespace {

using internal::Document;
using internal::ParagraphRole;
using internal::Sentence;
using internal::TermVector;

// What is known of one article's day.
struct ArticleDay {
  std::optional<CivilDate> day;
  bool given = false;     // from `published`, given by the input
  bool dateline = false;  // inferred here from the dateline
  bool inferred = false;  // `day` is inferred, not given
};

Status Validate(const std::vector<DigestArticle>& articles, const DigestOptions& options) {
  if (articles.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "story has no articles");
  }
  if (options.min_summary_sentences > options.max_summary_sentences) {
    return MakeError(ErrorCode::kInvalidArgument, "min_summary_sentences > max_summary_sentences");
  }
  if (!(options.mmr_lambda >= 0 && options.mmr_lambda <= 1)) {
    return MakeError(ErrorCode::kInvalidArgument, "mmr_lambda must lie in [0, 1]");
  }
  std::unordered_set<std::string_view> ids;
  for (const DigestArticle& a : articles) {
    if (a.id.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "article with empty id");
    }
    if (!ids.insert(a.id).second) {
      return MakeError(ErrorCode::kInvalidArgument, "repeated article id '" + a.id + "'");
    }
  }
  return Ok();
}

// The sentence text without a dateline prefix, on one line.
std::string SentenceText(const Document& doc, const Sentence& s) {
  std::uint32_t begin = s.begin;
  if (doc.InDateline(s.begin) && doc.dateline_end < s.end) begin = doc.dateline_end;
  std::string out(internal::Trim(doc.Slice(begin, s.end)));
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

// Cuts long event sentences to about `limit` bytes at a word boundary.
std::string Shorten(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = text.rfind(' ', limit);
  if (cut == std::string::npos || cut < limit / 2) cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  text.resize(cut);
  while (!text.empty() && (text.back() == ',' || text.back() == ' ')) {
    text.pop_back();
  }
  return text + "\xE2\x80\xA6";
}

// Folded key for spotting the same quote in two articles.
std::string QuoteKey(std::string_view text) {
  std::string key;
  for (char c : internal::LowerUtf8(text)) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) key += c;
    if (key.size() >= 60) break;
  }
  return key;
}

bool LooksChromeTitle(std::string_view title, std::size_t words) {
  if (words < 3) return true;
  if (internal::LooksLikeChrome(title)) return true;
  std::string lower = internal::LowerUtf8(title);
  for (std::string_view marker : {"breaking news", "live updates", "en direct", "newsletter",
                                  "inscrivez", "subscribe", "home page", "page d'accueil"}) {
    if (lower.find(marker) != std::string::npos) return true;
  }
  return false;
}

bool CutShort(std::string_view title) {
  title = internal::Trim(title);
  return title.ends_with("\xE2\x80\xA6") || title.ends_with("...");
}

class DigestBuilder {
 public:
  DigestBuilder(const std::vector<DigestArticle>& articles, const DigestOptions& options)
      : articles_(articles), options_(options) {}

  Result<StoryDigest> Build() {
    if (Status s = Analyze(); !s) return Fail(s.error());
    ResolveDays();
    Sources();
    Wire();
    std::vector<const Document*> canonical_docs;
    for (std::size_t i : canonical_) canonical_docs.push_back(&docs_[i]);
    entities_ = internal::FindEntities(canonical_docs);
    digest_.entities = entities_.entities;
    Timeline();
    Quotes();
    Summary();
    Title();
    return std::move(digest_);
  }

 private:
  Status Analyze() {
    docs_.reserve(articles_.size());
    for (const DigestArticle& a : articles_) {
      Result<Document> doc = internal::AnalyzeDocument(a.body, a.lang);
      if (!doc) {
        return MakeError(doc.error().code, "article '" + a.id + "': " + doc.error().message);
      }
      docs_.push_back(std::move(*doc));
      Result<Document> title = internal::AnalyzeDocument(a.title, a.lang);
      if (!title) {
        return MakeError(title.error().code,
                         "article '" + a.id + "' title: " + title.error().message);
      }
      titles_.push_back(std::move(*title));
    }
    std::unordered_set<std::string_view> ids;
    for (const DigestArticle& a : articles_) ids.insert(a.id);
    for (std::size_t i = 0; i < articles_.size(); ++i) {
      const DigestArticle& a = articles_[i];
      if (a.copy_of && ids.count(*a.copy_of) > 0 && *a.copy_of != a.id) {
        digest_.copies.push_back(CopyRelation{a.id, *a.copy_of});
      } else {
        canonical_.push_back(i);
      }
    }
    return Ok();
  }

  // Publication days: given, else dateline, else the text's dates, all
  // with years placed near a story anchor.
  void ResolveDays() {
    days_.resize(articles_.size());
    std::vector<CivilDate> given;
    std::vector<CivilDate> inferred;  // by an earlier stage
    for (std::size_t i = 0; i < articles_.size(); ++i) {
      if (articles_[i].published) {
        days_[i].day = ToCivilDate(*articles_[i].published);
        days_[i].given = !articles_[i].published_inferred;
        days_[i].inferred = articles_[i].published_inferred;
        (days_[i].given ? given : inferred).push_back(*days_[i].day);
      }
    }
    const Clock& clock = options_.clock != nullptr ? *options_.clock : SystemClock();
    const CivilDate today = ToCivilDate(clock.Now());
    auto median = [](std::vector<CivilDate> v) {
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    };
    if (!given.empty()) {
      anchor_ = median(given);
    } else if (!inferred.empty()) {
      anchor_ = median(inferred);
    } else {
      std::optional<CivilDate> latest;
      for (std::size_t i = 0; i < docs_.size(); ++i) {
        std::optional<CivilDate> d = internal::LatestFullDate(docs_[i], articles_[i].lang);
        if (d && *d <= today) latest = std::max(latest.value_or(*d), *d);
      }
      anchor_ = latest.value_or(today);
    }
    for (std::size_t i = 0; i < articles_.size(); ++i) {
      PublicationDate p;
      p.article = articles_[i].id;
      if (days_[i].given) {
        p.published = articles_[i].published;
      } else if (days_[i].inferred) {
        // Inferred upstream (from the raw text, dateline included, which
        // the cleaned body may lack): kept as the article's day, marked.
        p.published = articles_[i].published;
        p.inferred = true;
      } else {
        Result<InferredDate> d = internal::InferFromDocument(docs_[i], articles_[i].lang, anchor_);
        if (d) {
          days_[i].day = d->date;
          days_[i].dateline = d->basis == InferredDate::Basis::kDateline;
          days_[i].inferred = true;
          p.published = FromCivilDate(d->date);
          p.inferred = true;
        }
      }
      if (p.published) {
        // A given date wins a tie, so a story is marked inferred only when
        // no given date is as early (as late).
        if (!digest_.first_published || *p.published < *digest_.first_published ||
            (*p.published == *digest_.first_published && !p.inferred)) {
          digest_.first_published = *p.published;
          digest_.first_published_inferred = p.inferred;
        }
        if (!digest_.last_published || *p.published > *digest_.last_published ||
            (*p.published == *digest_.last_published && !p.inferred)) {
          digest_.last_published = *p.published;
          digest_.last_published_inferred = p.inferred;
        }
      }
      digest_.publication.push_back(std::move(p));
    }
    // Story order: by publication, unknown last, then input order.
    order_.resize(articles_.size());
    for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::size_t a, std::size_t b) { return Published(a) < Published(b); });
    rank_.resize(articles_.size());
    for (std::size_t r = 0; r < order_.size(); ++r) rank_[order_[r]] = r;
  }

  Timestamp Published(std::size_t i) const {
    return digest_.publication[i].published.value_or(std::numeric_limits<Timestamp>::max());
  }

  void Sources() {
    std::map<std::string, SourceEntry> by_source;
    for (std::size_t i : order_) {
      const DigestArticle& a = articles_[i];
      if (a.source.empty()) continue;
      SourceEntry& e = by_source[a.source];
      e.source = a.source;
      e.articles.push_back(a.id);
      const PublicationDate& pub = digest_.publication[i];
      if (const auto& p = pub.published) {
        if (!e.first_published || *p < *e.first_published ||
            (*p == *e.first_published && !pub.inferred)) {
          e.first_published = *p;
          e.first_published_inferred = pub.inferred;
        }
      }
    }
    for (auto& [name, entry] : by_source) {
      digest_.sources.push_back(std::move(entry));
    }
    std::stable_sort(digest_.sources.begin(), digest_.sources.end(),
                     [](const SourceEntry& a, const SourceEntry& b) {
                       return a.first_published.value_or(std::numeric_limits<Timestamp>::max()) <
                              b.first_published.value_or(std::numeric_limits<Timestamp>::max());
                     });
    if (!digest_.sources.empty() && digest_.sources.front().first_published) {
      digest_.first_source = digest_.sources.front().source;
    }
  }

  void Wire() {
    // Agencies by their lower-cased name, spelled as first seen.
    struct Credit {
      std::string name;
      std::size_t articles = 0;
      std::vector<std::string> outlets;
    };
    std::vector<std::pair<std::string, Credit>> credits;
    for (std::size_t i = 0; i < articles_.size(); ++i) {
      const std::string_view name = internal::DatelineCredit(docs_[i]);
      if (name.empty()) continue;
      const std::string key = internal::LowerUtf8(name);
      auto it = std::find_if(credits.begin(), credits.end(),
                             [&](const auto& c) { return c.first == key; });
      if (it == credits.end()) {
        credits.push_back({key, Credit{std::string(name), 0, {}}});
        it = credits.end() - 1;
      }
      ++it->second.articles;
      const std::string& source = articles_[i].source;
      if (!source.empty() && std::find(it->second.outlets.begin(), it->second.outlets.end(),
                                       source) == it->second.outlets.end()) {
        it->second.outlets.push_back(source);
      }
    }
    if (credits.empty()) return;
    const auto top =
        std::max_element(credits.begin(), credits.end(), [](const auto& a, const auto& b) {
          return a.second.articles < b.second.articles;  // the first of equals wins
        });
    WireAttribution wire;
    wire.agency = top->second.name;
    wire.articles = top->second.articles;
    wire.outlets = top->second.outlets;
    std::unordered_map<std::string_view, std::size_t> length;
    for (const DigestArticle& a : articles_) length[a.id] = a.body.size();
    for (const CopyRelation& c : digest_.copies) {
      if (5 * length[c.article] < 4 * length[c.copy_of]) ++wire.cut_versions;
    }
    digest_.wire = std::move(wire);
  }

  void Timeline() {
    struct Event {
      CivilDate date;
      std::size_t article;
      TermVector terms;
      std::string text;
      bool inferred;  // resolved against a day that was itself inferred
    };
    std::vector<Event> events;
    for (std::size_t i : canonical_) {
      const Document& doc = docs_[i];
      DateOptions options;
      options.lang = articles_[i].lang;
      options.english_month_first = options_.english_month_first;
      options.reference = days_[i].day ? days_[i].day : anchor_;
      // Relative expressions need the article's own day; a day guessed
      // here from other dates in the text would shift every "lundi". A day
      // the pipeline inferred from the raw text is the article's day (its
      // entries are marked inferred).
      const bool relative = days_[i].given || days_[i].dateline || articles_[i].published_inferred;
      // One entry per sentence, dated by its first day: "from October 16 to
      // November 14" is one happening, not two.
      std::set<std::size_t> seen;  // sentences
      for (const DateMention& m : internal::FindDates(doc, options, relative)) {
        if (m.granularity != DateGranularity::kDay || m.in_caption || m.historical ||
            doc.InDateline(static_cast<std::uint32_t>(m.begin))) {
          continue;
        }
        if (!seen.insert(m.sentence_begin).second) continue;
        const Sentence* s = nullptr;
        for (const Sentence& c : doc.sentences) {
          if (c.begin == m.sentence_begin) s = &c;
        }
        if (s == nullptr) continue;
        const bool guessed = (m.relative || m.year_inferred) && !days_[i].given;
        Event e{m.date, i, terms_.Count(doc.WordsOf(*s)), Shorten(SentenceText(doc, *s), 280),
                guessed};
        double norm = 0;
        for (const auto& [id, w] : e.terms.weights) norm += w * w;
        e.terms.norm = static_cast<float>(std::sqrt(norm));
        events.push_back(std::move(e));
      }
    }
    // A sentence that several articles share (copies) but date apart (a
    // year guessed differently) keeps the firmest dating: given before
    // inferred, then the better-ranked article.
    {
      std::unordered_map<std::string_view, std::size_t> best;  // text -> event
      for (std::size_t k = 0; k < events.size(); ++k) {
        auto [it, inserted] = best.emplace(events[k].text, k);
        if (inserted) continue;
        const Event& b = events[it->second];
        const Event& e = events[k];
        if ((b.inferred && !e.inferred) ||
            (b.inferred == e.inferred && rank_[e.article] < rank_[b.article])) {
          it->second = k;
        }
      }
      std::vector<bool> keep(events.size());
      for (std::size_t k = 0; k < events.size(); ++k) {
        keep[k] = events[best.at(events[k].text)].date == events[k].date;
      }
      std::vector<Event> kept;
      kept.reserve(events.size());
      for (std::size_t k = 0; k < events.size(); ++k) {
        if (keep[k]) kept.push_back(std::move(events[k]));
      }
      events = std::move(kept);
    }
    std::stable_sort(events.begin(), events.end(), [&](const Event& a, const Event& b) {
      if (a.date != b.date) return a.date < b.date;
      return rank_[a.article] < rank_[b.article];
    });
    // Same day and similar wording: one happening reported several times.
    std::vector<std::pair<std::size_t, TimelineEntry>> entries;  // head event
    for (std::size_t k = 0; k < events.size(); ++k) {
      const Event& e = events[k];
      TimelineEntry* target = nullptr;
      for (auto& [head, entry] : entries) {
        if (entry.date == e.date && internal::Cosine(events[head].terms, e.terms) >= 0.3) {
          target = &entry;
          break;
        }
      }
      if (target == nullptr) {
        TimelineEntry entry;
        entry.date = e.date;
        entry.text = e.text;
        entry.article = articles_[e.article].id;
        entry.inferred = true;
        entries.emplace_back(k, std::move(entry));
        target = &entries.back().second;
      }
      // One article dating it firmly is enough.
      target->inferred = target->inferred && e.inferred;
      const DigestArticle& a = articles_[e.article];
      if (std::find(target->articles.begin(), target->articles.end(), a.id) ==
          target->articles.end()) {
        target->articles.push_back(a.id);
      }
      if (!a.source.empty() && std::find(target->sources.begin(), target->sources.end(),
                                         a.source) == target->sources.end()) {
        target->sources.push_back(a.source);
      }
    }
    for (auto& [head, entry] : entries) {
      if (options_.max_timeline != 0 && digest_.timeline.size() >= options_.max_timeline) {
        break;
      }
      digest_.timeline.push_back(std::move(entry));
    }
  }

  // Quotes in story order, each once; under a cap, quotes of named people
  // go before quotes of unnamed officials.
  void Quotes() {
    std::unordered_set<std::string> seen;
    std::unordered_set<std::string_view> people;
    for (const Entity& e : entities_.entities) {
      if (e.type == EntityType::kPerson) people.insert(e.name);
    }
    std::vector<std::size_t> ordered(canonical_.size());
    for (std::size_t d = 0; d < ordered.size(); ++d) ordered[d] = d;
    std::sort(ordered.begin(), ordered.end(), [&](std::size_t a, std::size_t b) {
      return rank_[canonical_[a]] < rank_[canonical_[b]];
    });
    std::vector<std::pair<bool, DigestQuote>> all;  // named?, quote
    for (std::size_t d : ordered) {
      const std::size_t i = canonical_[d];
      for (Quote& q : internal::FindQuotes(docs_[i], entities_, d, {})) {
        if (!seen.insert(QuoteKey(q.text)).second) continue;
        const bool named = people.count(q.speaker) > 0;
        all.push_back(
            {named, DigestQuote{std::move(q.speaker), std::move(q.text), articles_[i].id}});
      }
    }
    std::vector<std::size_t> keep(all.size());
    for (std::size_t k = 0; k < keep.size(); ++k) keep[k] = k;
    std::stable_sort(keep.begin(), keep.end(),
                     [&](std::size_t a, std::size_t b) { return all[a].first && !all[b].first; });
    if (options_.max_quotes != 0 && keep.size() > options_.max_quotes) {
      keep.resize(options_.max_quotes);
    }
    std::sort(keep.begin(), keep.end());
    for (std::size_t k : keep) digest_.quotes.push_back(std::move(all[k].second));
  }

  void Summary() {
    struct Candidate {
      std::size_t article;
      std::uint32_t sentence;
      std::size_t position;
    };
    std::vector<Candidate> candidates;
    std::vector<TermVector> vectors;
    std::vector<std::size_t> positions;
    for (std::size_t i : canonical_) {
      const Document& doc = docs_[i];
      std::size_t position = 0;
      for (std::uint32_t s = 0; s < doc.sentences.size(); ++s) {
        const Sentence& sentence = doc.sentences[s];
        if (!doc.IsBody(sentence)) continue;
        if (position >= options_.lead_sentences) break;
        const std::size_t words = sentence.end_word - sentence.first_word;
        // Skip headings and fragments, and sentences that open with a
        // quotation: a summary reports, it does not quote.
        std::string_view text = doc.Slice(sentence.begin, sentence.end);
        const bool quote_first = text.starts_with("\xC2\xAB") || text.starts_with("\xE2\x80\x9C") ||
                                 text.starts_with("\xE2\x80\x9E") || text.starts_with("\"");
        const bool ends_well = text.ends_with(".") || text.ends_with("!") || text.ends_with("?") ||
                               text.ends_with("\xC2\xBB") || text.ends_with("\xE2\x80\x9D");
        ++position;
        if (words < 8 || words > 70 || quote_first || !ends_well) continue;
        candidates.push_back(Candidate{i, s, position - 1});
        vectors.push_back(terms_.Count(doc.WordsOf(sentence)));
        positions.push_back(position - 1);
      }
    }
    // A large story: keep the leads, position by position across articles
    // (earlier articles first), up to max_summary_candidates.
    if (options_.max_summary_candidates != 0 &&
        candidates.size() > options_.max_summary_candidates) {
      std::vector<std::size_t> order(candidates.size());
      for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (positions[a] != positions[b]) return positions[a] < positions[b];
        return rank_[candidates[a].article] < rank_[candidates[b].article];
      });
      order.resize(options_.max_summary_candidates);
      std::sort(order.begin(), order.end());
      std::vector<Candidate> kept_candidates;
      std::vector<TermVector> kept_vectors;
      std::vector<std::size_t> kept_positions;
      for (std::size_t k : order) {
        kept_candidates.push_back(candidates[k]);
        kept_vectors.push_back(std::move(vectors[k]));
        kept_positions.push_back(positions[k]);
      }
      candidates = std::move(kept_candidates);
      vectors = std::move(kept_vectors);
      positions = std::move(kept_positions);
    }
    // TF-IDF over the candidate sentences.
    std::vector<int> df(terms_.size(), 0);
    for (const TermVector& v : vectors) {
      for (const auto& [id, w] : v.weights) ++df[static_cast<std::size_t>(id)];
    }
    for (TermVector& v : vectors) terms_.Weight(&v, df, vectors.size());
    internal::SummaryOptions so;
    so.min_sentences = options_.min_summary_sentences;
    so.max_sentences = options_.max_summary_sentences;
    so.mmr_lambda = options_.mmr_lambda;
    so.threshold = options_.lexrank_threshold;
    std::vector<std::size_t> chosen = internal::SelectSummary(vectors, positions, so);
    // Story order: earlier articles first, then position in the article.
    std::sort(chosen.begin(), chosen.end(), [&](std::size_t a, std::size_t b) {
      const Candidate& x = candidates[a];
      const Candidate& y = candidates[b];
      if (rank_[x.article] != rank_[y.article]) {
        return rank_[x.article] < rank_[y.article];
      }
      return x.sentence < y.sentence;
    });
    for (std::size_t c : chosen) {
      const Candidate& cand = candidates[c];
      digest_.summary.push_back(
          SentenceText(docs_[cand.article], docs_[cand.article].sentences[cand.sentence]));
    }
    // The story's top terms, weighted by centrality, for the title.
    std::vector<double> centrality =
        internal::LexRank(vectors, positions, options_.lexrank_threshold);
    std::unordered_map<int, double> mass;
    for (std::size_t k = 0; k < vectors.size(); ++k) {
      for (const auto& [id, w] : vectors[k].weights) {
        mass[id] += centrality[k] * w;
      }
    }
    std::vector<std::pair<double, int>> ranked;
    for (const auto& [id, m] : mass) ranked.emplace_back(m, id);
    std::sort(ranked.rbegin(), ranked.rend());
    for (std::size_t k = 0; k < ranked.size() && k < 20; ++k) {
      top_terms_.weights.emplace_back(ranked[k].second, 1.0F);
    }
    std::sort(top_terms_.weights.begin(), top_terms_.weights.end());
    top_terms_.norm = static_cast<float>(std::sqrt(static_cast<double>(top_terms_.weights.size())));
  }

  // The most central headline: mean overlap with the other headlines plus
  // overlap with the story's top terms.
  void Title() {
    struct Option {
      std::size_t article;
      TermVector terms;
      bool cut;
    };
    std::vector<Option> options;
    for (std::size_t i = 0; i < articles_.size(); ++i) {
      std::string_view title = internal::Trim(articles_[i].title);
      if (title.empty() || LooksChromeTitle(title, titles_[i].words.size())) {
        continue;
      }
      TermVector v = terms_.Count(titles_[i].words);
      for (auto& [id, w] : v.weights) w = 1.0F;
      v.norm = static_cast<float>(std::sqrt(static_cast<double>(v.weights.size())));
      options.push_back(Option{i, std::move(v), CutShort(title)});
    }
    const bool any_full =
        std::any_of(options.begin(), options.end(), [](const Option& o) { return !o.cut; });
    double best = -1;
    std::size_t best_article = articles_.size();
    for (const Option& o : options) {
      if (o.cut && any_full) continue;
      double overlap = 0;
      for (const Option& other : options) {
        if (&other != &o) overlap += internal::Cosine(o.terms, other.terms);
      }
      if (options.size() > 1) overlap /= static_cast<double>(options.size() - 1);
      const double score = overlap + internal::Cosine(o.terms, top_terms_);
      if (score > best + 1e-9 ||
          (std::abs(score - best) <= 1e-9 && rank_[o.article] < rank_[best_article])) {
        best = score;
        best_article = o.article;
      }
    }
    if (best_article < articles_.size()) {
      digest_.title = std::string(internal::Trim(articles_[best_article].title));
    } else if (!digest_.summary.empty()) {
      digest_.title = Shorten(digest_.summary.front(), 120);
    }
  }

  const std::vector<DigestArticle>& articles_;
  const DigestOptions& options_;
  std::vector<Document> docs_;
  std::vector<Document> titles_;
  std::vector<std::size_t> canonical_;  // articles that copy no other
  std::vector<ArticleDay> days_;
  CivilDate anchor_;
  std::vector<std::size_t> order_;  // articles by publication
  std::vector<std::size_t> rank_;   // position of each article in order_
  internal::EntityTable entities_;
  internal::TermSpace terms_;
  TermVector top_terms_;
  StoryDigest digest_;
};

}  // namespace

Result<StoryDigest> BuildDigest(const std::vector<DigestArticle>& articles,
                                const DigestOptions& options) {
  if (Status s = Validate(articles, options); !s) return Fail(s.error());
  return DigestBuilder(articles, options).Build();
}

}  // namespace storyline::digest
