// Corpus statistics of recurring lines: how a site's chrome is learned once
// and recognised afterwards.
//
//   storyline::clean::ChromeModel model;              // or Create(options)
//   for (const Article& a : batch) model.Observe(a);  // incremental
//   std::string blob = model.Serialize();             // persist in the store
//   ...
//   Result<ChromeModel> again = ChromeModel::Deserialize(blob);
//
// Every non-blank line of an observed article is folded (case, accents,
// punctuation and spacing removed; see LineKey) and counted under its 64-bit
// key: in how many articles it occurs, in how many distinct sources (sites),
// in how many distinct stories, and separately, per (source, line), in how
// many articles of that source. Site chrome (a sign-up prompt, a comment
// form, an author bio) recurs in many articles of one source across
// different stories; a wire paragraph recurs across sources but within one
// story. "Distinct stories" is estimated from a one-value MinHash of each
// article (the smallest key among its lines of eight or more words; Broder
// 1997): copies of one dispatch share it with probability equal to their
// resemblance, unrelated articles almost never do. Distinct sources and
// stories are counted with 64-bit linear-counting bitmaps (Whang et al.
// 1990): exact for a handful, saturating near 250, which is all a
// chrome/not-chrome decision needs.
//
// Memory is bounded: at most max_lines line entries and max_source_lines
// (source, line) entries (about 48 and 40 bytes each). When a table is full
// the rarest entries are evicted as in lossy counting (Manku & Motwani
// 2002): entries seen in at most `floor` articles are dropped and the floor
// is raised until a quarter of the table is free. A line's count is then
// underestimated by at most the floor, so frequent chrome survives and a
// line seen once is forgotten first.
//
// Articles without a source are treated as their own source (a corpus of
// plain text files then still learns chrome that recurs across files).
//
// Thread safety: const methods may run concurrently; Observe needs
// exclusive access.
#ifndef STORYLINE_CLEAN_CHROME_MODEL_H_
#define STORYLINE_CLEAN_CHROME_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "storyline/core/article.h"
#include "storyline/core/result.h"

namespace storyline::clean {

struct ChromeModelOptions {
  // max_lines (1 << 19): most distinct lines kept; at least 16.
  std::size_t max_lines = std::size_t{1} << 19;
  // max_source_lines (1 << 19): most (source, line) pairs kept; at least 16.
  std::size_t max_source_lines = std::size_t{1} << 19;
};

// What the corpus says about one line of one article. Counts include the
// article itself when it was observed.
struct LineEvidence {
  std::uint32_t articles = 0;     // articles holding the line
  std::uint32_t sources = 0;      // distinct sources among them (estimate)
  std::uint32_t stories = 0;      // distinct stories among them (estimate)
  std::uint32_t same_source = 0;  // articles of the asking article's source
};

// What observing one article counts, computed apart from the counting so
// that it can run elsewhere (on another thread or machine) and be counted
// in order afterwards: Observe(article) is Observe(Observation(article)).
struct LineObservation {
  std::uint64_t source_key = 0;          // SourceKey(article)
  bool source_known = false;             // from `source` or the URL, not the id
  std::uint64_t story_key = 0;           // the article's one-value MinHash
  std::vector<std::uint64_t> line_keys;  // distinct LineKey()s, sorted
};

class ChromeModel {
 public:
  // A model with default options.
  ChromeModel();

  // Errors: kInvalidArgument when a limit is below 16.
  static Result<ChromeModel> Create(const ChromeModelOptions& options);

  // Counts the lines of `article` (each distinct line once per article).
  // Observing the same article twice counts it twice.
  void Observe(const Article& article);
  // The same, from the article's observation.
  void Observe(const LineObservation& observation);
  // What Observe(article) counts.
  static LineObservation Observation(const Article& article);

  // A model holding only the entries the observed articles' lines read
  // (their lines and their (source, line) pairs), with this model's counts:
  // Lookup gives the same evidence for those lines, and Serialize makes it
  // a few bytes per line. It lets a batch be classified away from the model
  // that learned it (the partitioned dedup job).
  ChromeModel Restricted(std::span<const LineObservation> observations) const;

  // Evidence for `line` (as it appears in the text) in an article from
  // `article`'s source.
  LineEvidence Lookup(std::string_view line, const Article& article) const;
  // The same, by precomputed keys (see LineKey and SourceKey).
  LineEvidence Lookup(std::uint64_t line_key, std::uint64_t source_key) const;

  // The key a line is counted under: a hash of its folded words; 0 for a
  // line without letters or digits. Stable across runs and platforms.
  static std::uint64_t LineKey(std::string_view line);
  // The key of an article's source: its `source`, else the host of its
  // `url`, else its `id` (its own source); 0 never occurs.
  static std::uint64_t SourceKey(const Article& article);

  // Articles observed so far.
  std::uint64_t articles() const { return articles_; }
  // Entries held now.
  std::size_t lines() const { return lines_.size(); }
  std::size_t source_lines() const { return source_lines_.size(); }
  // Current eviction floor (0 until the first eviction): counts may be
  // underestimated by at most this much.
  std::uint32_t floor() const { return floor_; }
  const ChromeModelOptions& options() const { return options_; }

  // A compact, versioned, little-endian binary form (deterministic: the
  // same model gives the same bytes).
  std::string Serialize() const;
  // Errors: kInvalidInput when `bytes` is not a model written by
  // Serialize (wrong magic, version or size).
  static Result<ChromeModel> Deserialize(std::string_view bytes);

  // Saving in steps, for a model stored once whole and then, per batch, as
  // change records (the lines and pairs counted or dropped since the last
  // save), so that a batch writes what it changed rather than the whole
  // table. MarkSaved() counts the model as it is saved and starts noting
  // changes (a model never saved in steps notes none). SerializeSince()
  // returns a change record since the last save, or Serialize()'s bytes
  // (`*whole` set) when the record would take more than `max_change_bytes`,
  // and counts the model as saved. A caller whose save then fails must load
  // what it did store.
  void MarkSaved();
  std::string SerializeSince(std::size_t max_change_bytes, bool* whole);
  // Serialize() output followed by SerializeSince() records, in the order
  // written. The model notes its changes from then on. Errors as
  // Deserialize, and kInvalidInput for a record that is not a change record.
  static Result<ChromeModel> Deserialize(std::string_view bytes,
                                         std::span<const std::string> changes);

 private:
  struct LineCounts {
    std::uint32_t articles = 0;
    std::uint64_t source_bits = 0;
    std::uint64_t story_bits = 0;
  };

  explicit ChromeModel(const ChromeModelOptions& options);
  void EvictLines();
  void EvictSourceLines();
  // Applies one SerializeSince() record; false when it is not one.
  bool ApplyChanges(std::string_view bytes);
  void ClearChanges();

  ChromeModelOptions options_;
  std::uint64_t articles_ = 0;
  std::uint32_t floor_ = 0;
  std::uint32_t source_floor_ = 0;
  std::unordered_map<std::uint64_t, LineCounts> lines_;
  std::unordered_map<std::uint64_t, std::uint32_t> source_lines_;
  // Keys counted and keys dropped since the last save (MarkSaved on).
  bool noting_ = false;
  std::unordered_set<std::uint64_t> changed_lines_;
  std::unordered_set<std::uint64_t> dropped_lines_;
  std::unordered_set<std::uint64_t> changed_pairs_;
  std::unordered_set<std::uint64_t> dropped_pairs_;
};

}  // namespace storyline::clean

#endif  // STORYLINE_CLEAN_CHROME_MODEL_H_
