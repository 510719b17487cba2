#include "storyline/pipeline/partitioned_dedup.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/dedup_test_corpus.h"
#include "storyline/dedup/duplicate_index.h"
#include "storyline/pipeline/deduplicator.h"

namespace storyline::pipeline {
namespace {

std::string Line(const DedupResult& r) {
  return r.id + " group=" + r.dup_group + " copy_of=" + r.copy_of +
         " relation=" + (r.relation ? std::string(dedup::RelationName(*r.relation)) : "-") +
         " j=" + std::to_string(r.jaccard) + " c=" + std::to_string(r.containment);
}

Result<std::vector<std::string>> Single(const std::vector<Article>& articles,
                                        const DedupOptions& options) {
  Result<std::unique_ptr<CorpusDeduplicator>> d = CorpusDeduplicator::Create(options);
  if (!d) return Fail(d.error());
  for (const Article& a : articles) {
    Result<std::optional<std::string>> r = (*d)->Add(a);
    if (!r) return Fail(r.error());
  }
  if (Status s = (*d)->Finish(); !s) return Fail(s.error());
  std::vector<std::string> out;
  Status s = (*d)->ForEachResult([&](const DedupResult& r) -> Status {
    out.push_back(Line(r));
    return Ok();
  });
  if (!s) return Fail(s.error());
  return out;
}

#define TRY(var, expr) \
  auto var = (expr);   \
  if (!var) return Fail(var.error())

// The job as a distributed engine runs it, each task called here in turn.
Result<std::vector<std::string>> Partitioned(const std::vector<Article>& articles,
                                             const DedupOptions& options, std::uint32_t shards) {
  TRY(planner, DedupPlanner::Create(options));
  std::vector<std::string> sketches, metas;
  auto take = [&]() -> Status {
    std::optional<std::string> batch = (*planner)->TakeBatch();
    if (!batch) return Ok();
    TRY(observed, ObserveBatch(*batch));
    TRY(chrome, (*planner)->LearnChrome(*observed));
    TRY(sketched, SketchBatch(*batch, *chrome, options));
    sketches.push_back(std::move(sketched->sketches));
    metas.push_back(std::move(sketched->meta));
    return Ok();
  };
  for (const Article& a : articles) {
    (*planner)->Add(a);
    if ((*planner)->Full()) {
      if (Status s = take(); !s) return Fail(s.error());
    }
  }
  if (Status s = take(); !s) return Fail(s.error());
  const std::uint32_t batches = (*planner)->batches();
  // The shuffle: every batch's keys by shard, every shard's hits by batch.
  std::vector<std::vector<std::string>> by_shard(shards);
  for (std::uint32_t b = 0; b < batches; ++b) {
    TRY(routed, RouteKeys(sketches[b], (*planner)->Superseded(b), shards, options));
    for (std::uint32_t p = 0; p < shards; ++p) by_shard[p].push_back((*routed)[p]);
  }
  std::vector<std::vector<std::string>> hits_of(batches);
  for (std::uint32_t p = 0; p < shards; ++p) {
    TRY(hits, FindCandidates(by_shard[p], batches, options));
    for (std::uint32_t b = 0; b < batches; ++b) hits_of[b].push_back((*hits)[b]);
  }
  for (std::uint32_t b = 0; b < batches; ++b) {
    TRY(selection, SelectCandidates(sketches[b], hits_of[b], batches, options));
    std::vector<std::string> taken;
    for (std::uint32_t t = 0; t < batches; ++t) {
      if (t == b) continue;
      TRY(part, TakeShingles(sketches[t], selection->wanted[t], options));
      taken.push_back(std::move(*part));
    }
    TRY(pairs, VerifyCandidates(sketches[b], selection->selected, taken, options));
    const std::string parts[] = {*pairs};
    if (Status s = (*planner)->Link(b, metas[b], parts); !s) return Fail(s.error());
  }
  std::vector<std::string> out;
  Status s = (*planner)->ForEachResult([&](const DedupResult& r) -> Status {
    out.push_back(Line(r));
    return Ok();
  });
  if (!s) return Fail(s.error());
  return out;
}

void ExpectSame(const std::vector<Article>& corpus, const DedupOptions& options,
                std::uint32_t shards) {
  Result<std::vector<std::string>> single = Single(corpus, options);
  ASSERT_TRUE(single) << single.error().message;
  Result<std::vector<std::string>> parts = Partitioned(corpus, options, shards);
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), single->size());
  std::size_t grouped = 0;
  for (std::size_t i = 0; i < single->size(); ++i) {
    EXPECT_EQ((*parts)[i], (*single)[i]);
    if ((*single)[i].find("group= ") == std::string::npos) ++grouped;
  }
  EXPECT_GT(grouped, corpus.size() / 4) << "the corpus should hold many copies";
}

TEST(PartitionedDedupTest, SameResultsAsCorpusDeduplicatorOverManyBatchesAndShards) {
  const std::vector<Article> corpus = SynthCorpus(60, 3);
  DedupOptions options;
  options.batch_articles = 50;
  for (std::uint32_t shards : {1u, 4u}) {
    SCOPED_TRACE(shards);
    ExpectSame(corpus, options, shards);
  }
}

// With tiny posting, candidate and pair limits the index's flood rules
// bite on every key; the shards replay them in add order.
TEST(PartitionedDedupTest, SameResultsWhenTheFloodLimitsBite) {
  std::vector<Article> corpus = SynthCorpus(30, 11);
  // Verbatim republications make exact twins too.
  for (std::size_t i = 0; i < 40; i += 4) {
    Article twin = corpus[i];
    twin.id += "-again";
    twin.source = "mirror.example";
    corpus.push_back(twin);
  }
  DedupOptions options;
  options.batch_articles = 37;
  options.index.max_posting = 3;
  options.index.max_candidates = 4;
  options.index.max_pairs = 2;
  ExpectSame(corpus, options, 3);
}

// A record changed in a later batch takes its old version's place.
TEST(PartitionedDedupTest, SameResultsWhenALaterBatchChangesAnArticle) {
  std::vector<Article> corpus = SynthCorpus(20, 7);
  const std::size_t n = corpus.size();
  for (std::size_t i = 0; i < 12; ++i) {
    Article changed = corpus[n - 1 - i];
    changed.id = corpus[i].id;  // an early id, now with another text
    corpus.push_back(changed);
  }
  corpus.push_back(corpus[5]);  // changed back: the same id and content again
  DedupOptions options;
  options.batch_articles = 16;
  ExpectSame(corpus, options, 2);
}

TEST(PartitionedDedupTest, SeedsGiveTheSingleMachineResult) {
  const std::vector<Article> seeds = ReadSeeds();
  if (seeds.size() != 5) GTEST_SKIP() << "seeds not found";
  Result<std::vector<std::string>> single = Single(seeds, {});
  Result<std::vector<std::string>> parts = Partitioned(seeds, {}, 2);
  ASSERT_TRUE(single && parts);
  EXPECT_EQ(*parts, *single);
}

// A task given another task's output, or damaged bytes, says so.
TEST(PartitionedDedupTest, WrongOrDamagedInputIsAnError) {
  Result<std::unique_ptr<DedupPlanner>> planner = DedupPlanner::Create({});
  ASSERT_TRUE(planner);
  Article a;
  a.id = "x";
  a.text = "A short text about a harbour.";
  (*planner)->Add(a);
  std::optional<std::string> batch = (*planner)->TakeBatch();
  ASSERT_TRUE(batch);
  Result<std::string> observed = ObserveBatch(*batch);
  ASSERT_TRUE(observed);
  Result<SketchedBatch> wrong = SketchBatch(*observed, "", {});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(wrong.error().message.find("not a batch"), std::string::npos);
  Result<std::string> cut = ObserveBatch(batch->substr(0, batch->size() - 3));
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("cut short"), std::string::npos);
  // Observations must come in batch order, once each.
  ASSERT_TRUE((*planner)->LearnChrome(*observed));
  Result<std::string> twice = (*planner)->LearnChrome(*observed);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kInvalidInput);
  // Results wait for every batch to be linked.
  Status early = (*planner)->ForEachResult([](const DedupResult&) -> Status { return Ok(); });
  EXPECT_FALSE(early);
}

}  // namespace
}  // namespace storyline::pipeline
