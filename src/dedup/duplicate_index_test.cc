#include "storyline/dedup/duplicate_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "corpus/synth.h"
#include "storyline/dedup/sketch.h"

namespace storyline::dedup {
namespace {

using tools::corpus::BaseDocument;
using tools::corpus::FabricatedBaseSource;
using tools::corpus::HashWords;
using tools::corpus::HashWordShingles;
using tools::corpus::MakeZipfVocabulary;
using tools::corpus::SyntheticArticle;
using tools::corpus::SynthRandom;
using tools::corpus::Vocabulary;
using tools::corpus::WireCopyGenerator;

constexpr int64_t kDay = 86400;

std::vector<std::string> Words(uint64_t seed, size_t n) {
  static const Vocabulary vocab = MakeZipfVocabulary(20000, 1.0, 5);
  FabricatedBaseSource src(vocab, {.count = 1,
                                   .min_paragraphs = 1,
                                   .max_paragraphs = 1,
                                   .min_words = static_cast<uint32_t>(n),
                                   .max_words = static_cast<uint32_t>(n),
                                   .seed = seed});
  BaseDocument d;
  src.Next(d);
  return d.paragraphs[0];
}

std::vector<std::string> Concat(std::initializer_list<std::vector<std::string>> parts) {
  std::vector<std::string> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<std::string> Slice(const std::vector<std::string>& w, size_t from, size_t to) {
  return std::vector<std::string>(w.begin() + from, w.begin() + to);
}

struct Article {
  DocId id;
  std::vector<std::string> words;
  int64_t timestamp = 0;
  uint32_t body_length = 0;  // 0: number of words
};

class DuplicateIndexTest : public ::testing::Test {
 protected:
  void SetUp() override { Reset({}); }

  void Reset(IndexOptions options) {
    options_ = options;
    index_ = std::make_unique<DuplicateIndex>(*DuplicateIndex::Create(options, SketchOptions{}));
  }

  DocumentSketch SketchOf(const Article& a) const {
    std::vector<std::string_view> views(a.words.begin(), a.words.end());
    std::vector<uint64_t> shingles = HashWordShingles(views, 5);
    DocumentInput in;
    in.id = a.id;
    in.body_hash = HashWords(views);
    in.shingles = shingles;
    in.timestamp = a.timestamp;
    in.body_length = a.body_length ? a.body_length : static_cast<uint32_t>(a.words.size());
    return *sketcher_.Sketch(in);
  }

  AddOutcome Add(const Article& a) {
    Result<AddOutcome> r = index_->Add(SketchOf(a));
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? *r : AddOutcome{};
  }

  // "a~b relation" for every pair in the index, for whole-index comparisons.
  std::set<std::string> AllPairs(const std::vector<DocId>& ids) const {
    std::set<std::string> out;
    for (DocId id : ids) {
      for (const DuplicatePair& p : index_->PairsOf(id)) {
        if (p.doc < p.other) {
          out.insert(std::to_string(p.doc) + "~" + std::to_string(p.other) + " " +
                     std::string(RelationName(p.relation)));
        }
      }
    }
    return out;
  }

  Sketcher sketcher_ = *Sketcher::Create(SketchOptions{});
  IndexOptions options_;
  std::unique_ptr<DuplicateIndex> index_;
};

TEST_F(DuplicateIndexTest, ClassifiesPairs) {
  const std::vector<std::string> story = Words(1, 400);
  std::vector<std::string> one_word_changed = story;
  one_word_changed[200] = "zzz";
  std::vector<std::string> reworded = story;
  for (size_t i = 7; i < reworded.size(); i += 25) reworded[i] = "changed";
  // Same topic words, own sentences, one shared quote: another outlet.
  std::vector<std::string> other_outlet;
  SynthRandom r(9);
  for (int i = 0; i < 300; ++i) other_outlet.push_back(story[r.Below(400)]);
  other_outlet = Concat({other_outlet, Slice(story, 100, 112)});
  struct Row {
    std::vector<std::string> copy;
    std::optional<Relation> want;
    const char* why;
  };
  const Row rows[] = {
      {story, Relation::kExact, "same body"},
      {one_word_changed, Relation::kNear, "one word changed"},
      {Slice(story, 0, 300), Relation::kNear, "cut at 75%: Jaccard 0.75"},
      {Slice(story, 0, 160), Relation::kPartial, "cut at 40%: Jaccard 0.4, contained"},
      {Concat({Words(2, 30), Slice(story, 0, 160), Words(3, 30)}), Relation::kPartial,
       "cut at 40% with chrome around it"},
      {Slice(reworded, 0, 200), Relation::kPartial, "cut at 50%, one word in 25 changed"},
      {Concat({Words(4, 300), Slice(story, 50, 70)}), std::nullopt,
       "one 20-word passage in a long other text"},
      {other_outlet, std::nullopt, "same topic, own words, a shared quote"},
      {Concat({Slice(story, 0, 12)}), std::nullopt, "too few shared shingles"},
      {Words(5, 400), std::nullopt, "unrelated"},
  };
  for (const Row& row : rows) {
    Reset({});
    Add({1, story});
    AddOutcome out = Add({2, row.copy});
    if (!row.want) {
      EXPECT_TRUE(out.pairs.empty()) << row.why << ": got " << RelationName(out.pairs[0].relation)
                                     << " c=" << out.pairs[0].containment;
      EXPECT_EQ(out.canonical, 2u) << row.why;
      continue;
    }
    ASSERT_EQ(out.pairs.size(), 1u) << row.why;
    const DuplicatePair& p = out.pairs[0];
    EXPECT_EQ(p.relation, *row.want) << row.why << " j=" << p.jaccard << " c=" << p.containment;
    EXPECT_EQ(p.doc, 2u);
    EXPECT_EQ(p.other, 1u);
    EXPECT_EQ(out.canonical, 1u) << row.why;
  }
}

TEST_F(DuplicateIndexTest, EvidenceIsTheSharedPassageAsTokenRanges) {
  const std::vector<std::string> story = Words(1, 300);
  Add({1, story});
  // 20 chrome words, then story words [0, 150): the shared passage is
  // tokens [20, 170) of the copy.
  AddOutcome out = Add({2, Concat({Words(7, 20), Slice(story, 0, 150), Words(8, 20)})});
  ASSERT_EQ(out.pairs.size(), 1u);
  ASSERT_FALSE(out.pairs[0].evidence.empty());
  const Passage& e = out.pairs[0].evidence[0];
  EXPECT_EQ(e.begin_token, 20u);
  EXPECT_EQ(e.end_token, 170u);
  EXPECT_EQ(e.shingles, 146u);

  // A changed word splits the passage; the longest runs come back in order.
  std::vector<std::string> copy = Slice(story, 0, 200);
  copy[60] = "zzz";
  copy[140] = "zzz";
  out = Add({3, copy});
  ASSERT_EQ(out.pairs.size(), 2u);
  const DuplicatePair& with_story = out.pairs[0];
  ASSERT_EQ(with_story.other, 1u);
  ASSERT_EQ(with_story.evidence.size(), 3u);
  EXPECT_EQ(with_story.evidence[0].begin_token, 0u);
  EXPECT_EQ(with_story.evidence[0].end_token, 60u);
  EXPECT_EQ(with_story.evidence[1].begin_token, 61u);
  EXPECT_EQ(with_story.evidence[1].end_token, 140u);
  EXPECT_EQ(with_story.evidence[2].begin_token, 141u);
  EXPECT_EQ(with_story.evidence[2].end_token, 200u);
}

TEST_F(DuplicateIndexTest, CanonicalIsLargestThenEarliestThenSmallestId) {
  const std::vector<std::string> story = Words(1, 300);
  struct Row {
    std::vector<Article> docs;
    DocId want;
    const char* why;
  };
  const Row rows[] = {
      {{{1, story, 100, 500}, {2, story, 50, 900}}, 2, "largest body wins over earliest"},
      {{{1, story, 100, 900}, {2, story, 50, 900}}, 2, "equal size: earliest"},
      {{{1, story, 0, 900}, {2, story, 50, 900}}, 2, "unknown time sorts last"},
      {{{5, story, 50, 900}, {3, story, 50, 900}}, 3, "full tie: smallest id"},
      {{{1, story, 10, 100}, {2, Slice(story, 0, 200), 20, 200}, {3, Slice(story, 0, 250), 5, 200}},
       3,
       "three members"},
  };
  for (const Row& row : rows) {
    Reset({});
    for (const Article& a : row.docs) Add(a);
    for (const Article& a : row.docs) {
      EXPECT_EQ(index_->CanonicalOf(a.id), row.want) << row.why;
      EXPECT_EQ(index_->Group(a.id)->canonical, row.want) << row.why;
    }
    EXPECT_FALSE(index_->CopyOf(row.want)) << row.why;
  }
}

// A member whose only neighbours came after it copies nothing: here B is
// joined to the group through C, which copies B; were B to copy C in turn,
// the two would copy each other and no reader could tell who copied whom.
TEST_F(DuplicateIndexTest, NoTwoMembersCopyEachOther) {
  const std::vector<std::string> p = Words(2, 300);
  const std::vector<std::string> q = Words(3, 300);
  // Ranked A, B, C: the longer body first, as a full version before cuts.
  Add({1, p, 100, 1000});                             // A
  Add({2, q, 200, 900});                              // B: shares nothing with A
  Add({3, Concat({Slice(p, 0, 200), q}), 300, 800});  // C: part of A, all of B
  ASSERT_EQ(index_->Group(2)->members, (std::vector<DocId>{1, 2, 3}));
  EXPECT_EQ(index_->CanonicalOf(2), 1u);
  ASSERT_TRUE(index_->CopyOf(3));
  EXPECT_EQ(index_->CopyOf(3)->source, 2u);
  EXPECT_FALSE(index_->CopyOf(2));
  EXPECT_FALSE(index_->CopyOf(1));
}

TEST_F(DuplicateIndexTest, CopiesPointAtTheirBestLargerMember) {
  const std::vector<std::string> story = Words(1, 400);
  Add({10, story, 100});
  Add({11, Slice(story, 0, 300), 200});  // copy of 10
  Add({12, Slice(story, 0, 160), 300});  // copy of 11 (better match) or 10
  ASSERT_TRUE(index_->CopyOf(11));
  EXPECT_EQ(index_->CopyOf(11)->source, 10u);
  ASSERT_TRUE(index_->CopyOf(12));
  // 12 is fully contained in both; the Jaccard with 11 is higher.
  EXPECT_EQ(index_->CopyOf(12)->source, 11u);
  EXPECT_FALSE(index_->CopyOf(10));
  EXPECT_EQ(index_->Group(12)->members, (std::vector<DocId>{10, 11, 12}));
}

// Simultaneous documents arrive in any order and from any thread: the pairs,
// groups, canonicals and copy links must not change.
TEST_F(DuplicateIndexTest, GroupsDoNotDependOnInsertionOrder) {
  FabricatedBaseSource bases(MakeZipfVocabulary(5000, 1.0, 3),
                             {.count = 40, .min_paragraphs = 3, .max_paragraphs = 5});
  WireCopyGenerator gen(bases, {.seed = 4, .spread_seconds = 0});
  std::vector<Article> corpus;
  SyntheticArticle s;
  while (gen.Next(s)) {
    std::vector<std::string> words;
    for (auto w : s.Words()) words.emplace_back(w);
    corpus.push_back({s.id, std::move(words), 1000, 0});  // all simultaneous
  }
  std::vector<DocId> ids;
  for (const Article& a : corpus) ids.push_back(a.id);

  auto snapshot = [&]() {
    std::map<DocId, std::tuple<DocId, DocId, std::vector<DocId>>> m;
    for (DocId id : ids) {
      auto copy = index_->CopyOf(id);
      m[id] = {index_->CanonicalOf(id), copy ? copy->source : kNoDoc, index_->Group(id)->members};
    }
    return std::make_pair(m, AllPairs(ids));
  };
  for (const Article& a : corpus) Add(a);
  const auto want = snapshot();
  ASSERT_GT(want.second.size(), 40u);

  SynthRandom r(5);
  for (int round = 0; round < 3; ++round) {
    Reset({});
    std::vector<Article> shuffled = corpus;
    for (size_t i = shuffled.size(); i > 1; --i) std::swap(shuffled[i - 1], shuffled[r.Below(i)]);
    if (round == 2) {
      std::vector<DocumentSketch> batch;
      for (const Article& a : shuffled) batch.push_back(SketchOf(a));
      ASSERT_TRUE(index_->AddBatch(std::move(batch)));
    } else {
      for (const Article& a : shuffled) Add(a);
    }
    EXPECT_EQ(snapshot(), want) << "round " << round;
  }
}

TEST_F(DuplicateIndexTest, WindowEvictsOldDocuments) {
  Reset({.window_seconds = 7 * kDay});
  const std::vector<std::string> old_story = Words(1, 300);
  const std::vector<std::string> new_story = Words(2, 300);
  Add({1, old_story, 1 * kDay});
  Add({2, Slice(old_story, 0, 200), 2 * kDay});
  EXPECT_EQ(index_->Group(2)->members, (std::vector<DocId>{1, 2}));
  const size_t before = index_->Memory().shingle_bytes;
  Add({3, new_story, 9 * kDay + 1});  // cutoff 2 days + 1s: 1 and 2 go
  EXPECT_FALSE(index_->Contains(1));
  EXPECT_FALSE(index_->Contains(2));
  EXPECT_EQ(index_->size(), 1u);
  EXPECT_TRUE(index_->PairsOf(2).empty());
  // A late copy of the evicted story finds nothing.
  EXPECT_TRUE(Add({4, old_story, 9 * kDay + 2}).pairs.empty());
  EXPECT_LE(index_->Memory().shingle_bytes, before);
  // The evicted id may be used again.
  EXPECT_TRUE(Add({1, Slice(new_story, 0, 250), 9 * kDay + 3}).pairs.size() == 1);
}

TEST_F(DuplicateIndexTest, EvictionSplitsGroupsHeldTogetherByAnEvictedDocument) {
  const std::vector<std::string> story = Words(1, 400);
  // 1 and 3 overlap only through 2.
  Add({1, Slice(story, 0, 150), 100});
  Add({2, story, 50});
  Add({3, Slice(story, 250, 400), 200});
  EXPECT_EQ(index_->Group(1)->members, (std::vector<DocId>{1, 2, 3}));
  EXPECT_EQ(index_->EvictOlderThan(60), 1u);
  EXPECT_EQ(index_->Group(1)->members, (std::vector<DocId>{1}));
  EXPECT_EQ(index_->Group(3)->members, (std::vector<DocId>{3}));
  EXPECT_FALSE(index_->CopyOf(1));
}

TEST_F(DuplicateIndexTest, RemovedDocumentCanComeBackChanged) {
  const std::vector<std::string> story = Words(1, 400);
  const std::vector<std::string> other = Words(7, 400);
  Add({1, story, 100});
  Add({2, Slice(story, 0, 250), 200});
  EXPECT_EQ(index_->Group(2)->members, (std::vector<DocId>{1, 2}));
  // Article 2 is edited into another text: its old pairs must go.
  const DocId changed[] = {2, 99};  // 99 is unknown: skipped
  EXPECT_EQ(index_->Remove(changed), 1u);
  EXPECT_FALSE(index_->Contains(2));
  EXPECT_TRUE(index_->PairsOf(1).empty());
  EXPECT_EQ(index_->Group(1)->members, (std::vector<DocId>{1}));
  EXPECT_TRUE(Add({2, Slice(other, 0, 300), 300}).pairs.empty());
  EXPECT_EQ(index_->Group(2)->members, (std::vector<DocId>{2}));
  // A copy of its new text finds it, not the old one's original.
  AddOutcome out = Add({3, Slice(other, 0, 200), 400});
  ASSERT_EQ(out.pairs.size(), 1u);
  EXPECT_EQ(out.pairs[0].other, 2u);
  EXPECT_EQ(index_->size(), 3u);
}

TEST_F(DuplicateIndexTest, ReloadedSketchesRebuildTheSameGroups) {
  FabricatedBaseSource bases(MakeZipfVocabulary(5000, 1.0, 3),
                             {.count = 30, .min_paragraphs = 3, .max_paragraphs = 5});
  WireCopyGenerator gen(bases, {.seed = 8});
  std::vector<std::string> blobs;
  std::vector<DocId> ids;
  SyntheticArticle s;
  while (gen.Next(s)) {
    std::vector<std::string> words;
    for (auto w : s.Words()) words.emplace_back(w);
    DocumentSketch sk = SketchOf({s.id, words, s.timestamp, 0});
    blobs.push_back(sketcher_.Serialize(sk));
    ids.push_back(s.id);
    ASSERT_TRUE(index_->Add(std::move(sk)));
  }
  const std::set<std::string> want = AllPairs(ids);
  std::vector<DocId> canon;
  for (DocId id : ids) canon.push_back(index_->CanonicalOf(id));

  Reset({});
  std::reverse(blobs.begin(), blobs.end());
  for (const std::string& b : blobs) {
    Result<DocumentSketch> sk = sketcher_.Load(b);
    ASSERT_TRUE(sk);
    Result<AddOutcome> out = index_->Add(*std::move(sk));
    ASSERT_TRUE(out);
    for (const DuplicatePair& p : out->pairs) EXPECT_TRUE(p.evidence.empty());
  }
  EXPECT_EQ(AllPairs(ids), want);
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(index_->CanonicalOf(ids[i]), canon[i]);
}

class MapShingleSource : public ShingleSource {
 public:
  bool Fetch(DocId id, std::vector<uint32_t>& out) const override {
    auto it = sets.find(id);
    if (it == sets.end()) return false;
    out = it->second;
    return true;
  }
  std::map<DocId, std::vector<uint32_t>> sets;
};

TEST_F(DuplicateIndexTest, VerifiesThroughAShingleSource) {
  MapShingleSource source;
  Reset({.shingle_source = &source});
  const std::vector<std::string> story = Words(1, 300);
  DocumentSketch a = SketchOf({1, story});
  source.sets[1] = a.shingles;
  ASSERT_TRUE(index_->Add(std::move(a)));
  AddOutcome out = Add({2, Slice(story, 0, 150)});
  ASSERT_EQ(out.pairs.size(), 1u);
  EXPECT_EQ(out.pairs[0].relation, Relation::kPartial);
  EXPECT_EQ(index_->Memory().shingle_bytes, 0u);
  // A candidate the source does not know is skipped, not matched.
  out = Add({3, story});
  EXPECT_EQ(out.pairs.size(), 1u);  // exact with 1 only; 2 is unknown to the source
  EXPECT_EQ(out.pairs[0].other, 1u);
}

TEST_F(DuplicateIndexTest, RejectsBadSketches) {
  const std::vector<std::string> story = Words(1, 100);
  Add({1, story});
  Result<AddOutcome> again = index_->Add(SketchOf({1, story}));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidArgument);

  Sketcher other = *Sketcher::Create({.num_bands = 16});
  std::vector<std::string_view> views(story.begin(), story.end());
  std::vector<uint64_t> shingles = HashWordShingles(views);
  DocumentInput in;
  in.id = 2;
  in.shingles = shingles;
  Result<AddOutcome> mismatch = index_->Add(*other.Sketch(in));
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(index_->Contains(2));
  EXPECT_EQ(index_->size(), 1u);

  EXPECT_FALSE(DuplicateIndex::Create({.near_jaccard = 0}, {}));
  EXPECT_FALSE(DuplicateIndex::Create({.partial_containment = 1.5}, {}));
  EXPECT_FALSE(DuplicateIndex::Create({.max_posting = 0}, {}));
  EXPECT_FALSE(DuplicateIndex::Create({}, {.num_bands = 0}));
}

// A story republished verbatim by many sites: each twin is checked against
// one twin only, and what a twin copies does not depend on arrival order.
TEST_F(DuplicateIndexTest, ExactTwinsCollapseIntoOneClass) {
  const std::vector<std::string> story = Words(1, 300);
  const std::vector<std::string> longer = Concat({story, Words(2, 100)});
  std::vector<Article> docs;
  for (DocId id = 0; id < 30; ++id) docs.push_back({id, story, 1000 + (id * 7) % 30, 300});
  docs.push_back({30, longer, 5000, 400});  // the most complete version
  std::map<DocId, DocId> want;
  for (int round = 0; round < 2; ++round) {
    Reset({});
    if (round == 1) std::reverse(docs.begin(), docs.end());
    for (const Article& a : docs) {
      AddOutcome out = Add(a);
      if (a.id != 30) {
        EXPECT_LE(out.candidates_checked, 1u);
      }
    }
    std::map<DocId, DocId> got;
    for (const Article& a : docs) {
      auto c = index_->CopyOf(a.id);
      got[a.id] = c ? c->source : kNoDoc;
      EXPECT_EQ(index_->CanonicalOf(a.id), 30u);
    }
    if (round == 0) want = got;
    EXPECT_EQ(got, want);
  }
  // Earliest twin (timestamp 1000: id 0) copies the longer version; the
  // others copy the earliest twin.
  EXPECT_EQ(want[0], 30u);
  EXPECT_EQ(want[1], 0u);
  EXPECT_EQ(want[30], kNoDoc);
}

TEST_F(DuplicateIndexTest, MaxPairsBoundsAFloodOfNearCopies) {
  Reset({.max_pairs = 4});
  const std::vector<std::string> story = Words(1, 300);
  for (DocId id = 0; id < 20; ++id) {
    AddOutcome out = Add({id, Concat({Words(100 + id, 12), story})});
    EXPECT_EQ(out.pairs.size(), std::min<size_t>(id, 4));
  }
  EXPECT_EQ(index_->Group(0)->members.size(), 20u);
}

TEST_F(DuplicateIndexTest, BoilerplateAnchorsStopProducingCandidates) {
  // 40 chrome words: 36 shared shingles, more than a winnowing window, so
  // every pair shares a chrome anchor; Jaccard ~0.05, so LSH rarely fires.
  const std::vector<std::string> chrome = Words(1, 40);
  struct Row {
    IndexOptions options;
    uint32_t min_checked, max_checked;
    const char* why;
  };
  const Row rows[] = {
      {{.max_posting = 400, .min_anchor_fraction = 0},
       28,
       28,
       "no filter: every document checks every earlier one (0+1+...+7)"},
      {{.max_posting = 3, .min_anchor_fraction = 0},
       3,
       6,
       "posting cap: 0+1+2 through the anchors, then the odd LSH hit"},
      {{}, 0, 3, "defaults: one anchor in ~20 is below min_anchor_fraction"},
  };
  for (const Row& row : rows) {
    Reset(row.options);
    uint32_t checked = 0;
    for (DocId id = 1; id <= 8; ++id) {
      AddOutcome out = Add({id, Concat({chrome, Words(100 + id, 300)})});
      EXPECT_TRUE(out.pairs.empty()) << row.why;
      checked += out.candidates_checked;
    }
    EXPECT_GE(checked, row.min_checked) << row.why;
    EXPECT_LE(checked, row.max_checked) << row.why;
  }
}

}  // namespace
}  // namespace storyline::dedup
