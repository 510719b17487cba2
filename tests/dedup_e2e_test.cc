// End-to-end tests of `storyline dedup`: the binary on the shared seeds, on
// a generated wire-copy corpus (scored against its gold groups and held to
// what `storyline ingest` stores for it), and on bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace storyline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CliResult;
using testing::ReadFileOrEmpty;

std::string SharedDir() {
  const char* s = std::getenv("STORYLINE_SHARED");
  return s != nullptr ? s : "";
}

std::vector<json> JsonLines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

class DedupCliTest : public testing::CliFixture {
 protected:
  DedupCliTest() : CliFixture("storyline_dedup_e2e") {}
};

TEST_F(DedupCliTest, HelpNamesTheOutputFields) {
  CliResult r = Run({"dedup", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"dup_group", "copy_of", "--pairs", "--threads", "--spill-dir"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
  }
  r = Run({"dedup"});
  EXPECT_EQ(r.exit_code, 2) << "no input is a usage error";
}

// 000 and 001 are one story in two versions: one pair, one group; the
// other seeds are alone. Two threads write the same bytes as one.
TEST_F(DedupCliTest, SeedsGiveOneGroupAtAnyThreadCount) {
  const fs::path seeds = fs::path(SharedDir()) / "seeds";
  if (SharedDir().empty() || !fs::exists(seeds)) GTEST_SKIP() << "no ../shared/seeds";
  const std::string pairs = (dir_ / "pairs.jsonl").string();
  CliResult one = Run({"dedup", "--threads", "1", "--pairs", pairs, seeds.string()});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.err.find("dedup: 5 articles"), std::string::npos) << one.err;
  const std::vector<json> lines = JsonLines(one.out);
  ASSERT_EQ(lines.size(), 5u);
  std::map<std::string, json> by_id;
  for (const json& l : lines) by_id[l["id"]] = l;
  const json& s0 = by_id["000_a3f1629fa6950c37"];
  const json& s1 = by_id["001_4e33e988acec6516"];
  ASSERT_TRUE(s0["dup_group"].is_string());
  EXPECT_EQ(s0["dup_group"], s1["dup_group"]);
  const json& copy = s0["copy_of"].is_null() ? s1 : s0;
  EXPECT_TRUE(copy["copy_of"].is_string());
  EXPECT_EQ(copy["relation"], "partial");
  EXPECT_GT(copy["containment"].get<double>(), 0.5);
  for (const json& l : lines) {
    if (l["id"] != s0["id"] && l["id"] != s1["id"]) {
      EXPECT_TRUE(l["dup_group"].is_null()) << l;
    }
  }
  const std::vector<json> found = JsonLines(ReadFileOrEmpty(pairs));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_FALSE(found[0]["evidence"].empty());

  CliResult two = Run({"dedup", "--threads", "2", "--in-memory", seeds.string()});
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(two.out, one.out);
}

// A generated wire-copy corpus: the groups match its gold groups and are
// the ones ingest stores for the same file.
TEST_F(DedupCliTest, WireCopyCorpusMatchesGoldAndIngest) {
  const std::string corpus = (dir_ / "synth.jsonl").string();
  CliResult r = Run({"bench", "synth", "--bases", "150", "-o", corpus});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string out = (dir_ / "dedup.jsonl").string();
  r = Run({"dedup", "--threads", "2", "-o", out, corpus});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"eval", "--dedup", out, "--gold", corpus, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json scores = json::parse(r.out);
  ASSERT_TRUE(scores.contains("dup_groups")) << r.out;
  EXPECT_FALSE(scores.contains("stories")) << "a dedup output has no stories to score";
  EXPECT_GE(scores["dup_groups"]["pairwise"]["f1"].get<double>(), 0.95) << r.out;

  r = Run({"ingest", "--db", db_, "--quiet", corpus});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"export", "--db", db_, "--format", "jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, json> stored;
  for (const json& a : JsonLines(r.out)) stored[a["id"]] = a;
  const std::vector<json> lines = JsonLines(ReadFileOrEmpty(out));
  ASSERT_EQ(lines.size(), stored.size());
  for (const json& l : lines) {
    const json& a = stored[l["id"].get<std::string>()];
    EXPECT_EQ(l["dup_group"], a["dup_group"]) << l;
    EXPECT_EQ(l["copy_of"], a["copy_of"]) << l;
  }
}

// A bad record is named with its file and line and skipped (exit 3); a
// repeated id in one batch keeps the later record; a missing file fails.
TEST_F(DedupCliTest, BadInputIsNamedAndSkipped) {
  const std::string text =
      "The harbour authority of Portmere said on Tuesday that the northern quay will close for "
      "six weeks of repairs after storm damage, moving ferry departures to the southern pier "
      "while divers inspect the foundations and engineers replace the damaged mooring posts.";
  json a = {{"id", "a"}, {"title", "Quay closes"}, {"text", text}};
  json b = {{"id", "b"}, {"title", "Quay to shut"}, {"text", text}};
  const std::string input = Write("in.jsonl", a.dump() + "\n{\"id\": \"broken\", \"text\": \n" +
                                                  b.dump() + "\n" + b.dump() + "\n");
  CliResult r = Run({"dedup", input});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("in.jsonl:2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("duplicate id 'b'"), std::string::npos) << r.err;
  const std::vector<json> lines = JsonLines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["id"], "a");
  EXPECT_EQ(lines[0]["dup_group"], "a");
  EXPECT_EQ(lines[1]["copy_of"], "a");
  EXPECT_EQ(lines[1]["relation"], "exact");

  r = Run({"dedup", (dir_ / "missing.jsonl").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.jsonl"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace storyline
