#include "storyline/pipeline/deduplicator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/dedup_test_corpus.h"
#include "storyline/core/date.h"
#include "storyline/pipeline/pipeline.h"

namespace storyline::pipeline {
namespace {

namespace fs = std::filesystem;

Article Make(const std::string& id, const std::string& text, const std::string& published) {
  Article a;
  a.id = id;
  a.title = text.substr(0, text.find('\n'));
  a.text = text;
  a.published = published;
  a.lang = "en";
  return a;
}

// What a run gives: every article's result and every pair, as comparable
// strings.
struct RunOutput {
  std::vector<std::string> results;
  std::vector<std::string> pairs;
  std::map<std::string, DedupResult> by_id;
};

std::string Line(const DedupResult& r) {
  return r.id + " group=" + r.dup_group + " copy_of=" + r.copy_of +
         " relation=" + (r.relation ? std::string(dedup::RelationName(*r.relation)) : "-") +
         " j=" + std::to_string(r.jaccard) + " c=" + std::to_string(r.containment);
}

Result<RunOutput> Dedup(const std::vector<Article>& articles, DedupOptions options) {
  options.evidence = true;
  Result<std::unique_ptr<CorpusDeduplicator>> d = CorpusDeduplicator::Create(options);
  if (!d) return Fail(d.error());
  RunOutput out;
  (*d)->set_pair_sink([&](const DedupPair& p) -> Status {
    std::string line = p.a + " " + p.b + " " + std::string(dedup::RelationName(p.relation));
    for (const std::string& e : p.evidence) line += " | " + e;
    out.pairs.push_back(std::move(line));
    return Ok();
  });
  for (const Article& a : articles) {
    Result<std::optional<std::string>> r = (*d)->Add(a);
    if (!r) return Fail(r.error());
  }
  if (Status s = (*d)->Finish(); !s) return Fail(s.error());
  Status s = (*d)->ForEachResult([&](const DedupResult& r) -> Status {
    out.results.push_back(Line(r));
    out.by_id[r.id] = r;
    return Ok();
  });
  if (!s) return Fail(s.error());
  return out;
}

// Twelve sentences of one report; a copy cut after five keeps ~40% of it.
const std::vector<std::string> kReport = {
    "The harbour authority of Portmere said on Tuesday that the northern quay will close for "
    "six weeks of repairs after the storm damage of last month.",
    "Ferry departures move to the southern pier while divers inspect the foundations and "
    "engineers replace the damaged mooring posts along the whole berth.",
    "The authority's chief engineer, Helen Marsh, told reporters that the concrete deck had "
    "cracked in three places and that two bollards had been torn out.",
    "Fishing boats that use the quay overnight have been offered free berths in the marina "
    "basin until the work is finished in the middle of April.",
    "Local traders worry that the closure will keep visitors away from the shops and cafes "
    "along the promenade during the first weeks of the spring season.",
    "The town council has asked the authority to publish a detailed timetable of the works "
    "and to keep the footpath along the sea wall open on weekends.",
    "Repairs are expected to cost about four million pounds, most of it covered by the "
    "national fund for coastal infrastructure damaged by extreme weather.",
    "A spokesman for the ferry operator said that crossings to the islands would run on the "
    "normal timetable, with a shuttle bus linking the two piers.",
    "Passengers with cars were told to arrive forty minutes before departure because the "
    "southern pier has fewer lanes for vehicles waiting to board.",
    "The storm, which struck the coast in the second week of February, also flooded several "
    "streets near the old market and damaged the lifeboat station.",
    "Engineers will use a floating crane brought from the shipyard at Kelby to lift the new "
    "concrete sections into place once the old ones are removed.",
    "The authority said it would review the design of the quay so that it can withstand the "
    "stronger storms that forecasters expect in the coming decades."};

// Another report from the same town.
const std::string kFares =
    "Ferry fares rise\nFerry operators at Portmere announced on Wednesday that winter fares "
    "will rise by four per cent from March, citing fuel costs and the new crew agreement "
    "signed with the seafarers union after months of talks in the capital.";

std::string Join(std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) out += kReport[i] + "\n";
  return out;
}

// A copy, a cut copy and an unrelated report: the first two are in the
// original's group with the right links, the last is alone.
TEST(CorpusDeduplicatorTest, ACopyAndACutCopyJoinTheOriginalAndAnOtherReportStaysAlone) {
  const std::vector<Article> articles = {
      Make("orig", "Quay closes\n" + Join(0, 12), "2024-02-06T09:00:00Z"),
      Make("copy", "Portmere quay to shut\n" + Join(0, 12), "2024-02-06T11:00:00Z"),
      Make("cut", "Northern quay closing\n" + Join(0, 5), "2024-02-06T12:00:00Z"),
      Make("other", kFares, "2024-02-07T09:00:00Z")};
  Result<RunOutput> out = Dedup(articles, {});
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->results.size(), 4u);
  const DedupResult& orig = out->by_id["orig"];
  const DedupResult& copy = out->by_id["copy"];
  const DedupResult& cut = out->by_id["cut"];
  const DedupResult& other = out->by_id["other"];
  // The earliest of the two complete texts is the canonical article.
  EXPECT_EQ(orig.dup_group, "orig");
  EXPECT_EQ(orig.copy_of, "");
  EXPECT_FALSE(orig.relation.has_value());
  EXPECT_EQ(copy.dup_group, "orig");
  EXPECT_EQ(copy.copy_of, "orig");
  EXPECT_EQ(copy.relation, dedup::Relation::kExact);
  EXPECT_DOUBLE_EQ(copy.jaccard, 1.0);
  EXPECT_EQ(cut.dup_group, "orig");
  EXPECT_EQ(cut.copy_of, "orig");
  EXPECT_EQ(cut.relation, dedup::Relation::kPartial);
  EXPECT_LT(cut.jaccard, 0.6);
  EXPECT_GT(cut.containment, 0.9);
  EXPECT_EQ(other.dup_group, "");
  EXPECT_EQ(other.copy_of, "");
  // Results come in input order; the cut copy's pairs quote its text.
  EXPECT_EQ(out->results[0].rfind("orig ", 0), 0u);
  EXPECT_EQ(out->results[3].rfind("other ", 0), 0u);
  bool quoted = false;
  for (const std::string& p : out->pairs) {
    if (p.rfind("cut orig partial | The harbour authority", 0) == 0) quoted = true;
  }
  EXPECT_TRUE(quoted) << ::testing::PrintToString(out->pairs);
}

// Threads only share out the per-article work, and spilling the
// fingerprints only moves them: the results and pairs, evidence included,
// are the same.
TEST(CorpusDeduplicatorTest, ThreadsAndSpillingChangeNoResult) {
  const std::vector<Article> corpus = SynthCorpus(60, 3);
  ASSERT_GT(corpus.size(), 200u);
  DedupOptions one;
  one.batch_articles = 50;
  Result<RunOutput> base = Dedup(corpus, one);
  ASSERT_TRUE(base) << base.error().message;
  EXPECT_GT(base->pairs.size(), 100u);
  for (int threads : {2, 3}) {
    DedupOptions many = one;
    many.threads = threads;
    many.spill_dir = fs::temp_directory_path().string();
    Result<RunOutput> again = Dedup(corpus, many);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->results, base->results) << threads << " threads";
    EXPECT_EQ(again->pairs, base->pairs) << threads << " threads";
  }
}

// The dup groups and copy links are those `storyline ingest` stores, on the
// same articles in the same batches.
void ExpectSameAsThePipeline(const std::vector<Article>& articles, std::size_t batch) {
  DedupOptions options;
  options.batch_articles = batch;
  Result<RunOutput> out = Dedup(articles, options);
  ASSERT_TRUE(out) << out.error().message;
  Result<std::unique_ptr<Pipeline>> p = Pipeline::Open({.db_path = ":memory:"});
  ASSERT_TRUE(p) << p.error().message;
  for (std::size_t i = 0; i < articles.size(); i += batch) {
    const std::size_t end = std::min(articles.size(), i + batch);
    Result<BatchReport> r = (*p)->IngestBatch(
        std::vector<Article>(articles.begin() + static_cast<std::ptrdiff_t>(i),
                             articles.begin() + static_cast<std::ptrdiff_t>(end)));
    ASSERT_TRUE(r) << r.error().message;
  }
  std::size_t grouped = 0;
  std::size_t compared = 0;
  Status s = (*p)->store().ForEachArticle([&](const store::StoredArticle& a) -> Status {
    const auto it = out->by_id.find(a.article.id);
    EXPECT_NE(it, out->by_id.end()) << a.article.id;
    if (it == out->by_id.end()) return Ok();
    ++compared;
    EXPECT_EQ(it->second.dup_group, a.analysis.dup_group) << a.article.id;
    EXPECT_EQ(it->second.copy_of, a.analysis.copy_of) << a.article.id;
    if (!a.analysis.dup_group.empty()) ++grouped;
    return Ok();
  });
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(compared, articles.size());
  EXPECT_GT(grouped, 0u);
}

TEST(CorpusDeduplicatorTest, SameGroupsAsThePipelineOnAWireCopyCorpus) {
  ExpectSameAsThePipeline(SynthCorpus(40, 5), 64);
}

// 000 and 001 are one story in two versions; the other seeds are alone.
TEST(CorpusDeduplicatorTest, SeedsGiveOnePairAsInThePipeline) {
  const std::vector<Article> seeds = ReadSeeds();
  if (seeds.size() != 5) GTEST_SKIP() << "seeds not found";
  Result<RunOutput> out = Dedup(seeds, {});
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->pairs.size(), 1u);
  const DedupResult& s0 = out->by_id["000_a3f1629fa6950c37"];
  const DedupResult& s1 = out->by_id["001_4e33e988acec6516"];
  EXPECT_FALSE(s0.dup_group.empty());
  EXPECT_EQ(s0.dup_group, s1.dup_group);
  EXPECT_NE(s0.copy_of.empty(), s1.copy_of.empty()) << "one copies the other";
  for (const auto& [id, r] : out->by_id) {
    if (id != s0.id && id != s1.id) {
      EXPECT_EQ(r.dup_group, "") << id;
    }
  }
  ExpectSameAsThePipeline(seeds, 2000);
}

// A repeated id in one batch: the later record replaces the earlier, whose
// origin is returned. In a later batch, the same content changes nothing
// and other content replaces the article and its pairs.
TEST(CorpusDeduplicatorTest, RepeatedIdsAreReplacedAsIngestReplacesThem) {
  DedupOptions options;
  options.batch_articles = 2;
  Result<std::unique_ptr<CorpusDeduplicator>> d = CorpusDeduplicator::Create(options);
  ASSERT_TRUE(d) << d.error().message;
  Article first = Make("a", "Quay closes\n" + Join(0, 12), "2024-02-06T09:00:00Z");
  first.origin = "x.jsonl:1";
  Article again = first;
  again.origin = "x.jsonl:2";
  Result<std::optional<std::string>> r = (*d)->Add(first);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_value());
  r = (*d)->Add(again);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(**r, "x.jsonl:1");
  ASSERT_TRUE((*d)->Add(Make("b", "Quay to shut\n" + Join(0, 12), "2024-02-06T10:00:00Z")));
  ASSERT_TRUE((*d)->Add(first));  // unchanged, in the batch after
  // b becomes another report: a and b are no longer a pair.
  ASSERT_TRUE((*d)->Add(Make("b", kFares, "2024-02-06T10:00:00Z")));
  ASSERT_TRUE((*d)->Finish());
  std::vector<std::string> lines;
  ASSERT_TRUE((*d)->ForEachResult([&](const DedupResult& res) -> Status {
    lines.push_back(Line(res));
    return Ok();
  }));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].rfind("a group= copy_of=", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("b group= copy_of=", 0), 0u) << lines[1];
  EXPECT_EQ((*d)->articles(), 2u);
}

TEST(CorpusDeduplicatorTest, BadOptionsAreRefused) {
  DedupOptions options;
  options.threads = -1;
  Result<std::unique_ptr<CorpusDeduplicator>> d = CorpusDeduplicator::Create(options);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument);
  options.threads = 1;
  options.spill_dir = "/nonexistent/storyline-spill";
  d = CorpusDeduplicator::Create(options);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kIo);
  EXPECT_NE(d.error().message.find("/nonexistent/storyline-spill"), std::string::npos);
}

}  // namespace
}  // namespace storyline::pipeline
