// Labelled development corpora for the story clusterer: loading, gold
// labels, stream order. Used by cluster_eval and the dev-data tests; not
// part of the library.
//
//   Result<std::vector<DevArticle>> corpus = LoadJsonl("ecbplus.jsonl");
//   SortForStream(&*corpus);
//   Result<DevRun> run = RunClusterer(options, *corpus, {});
//   // run->story_scores.bcubed.f1 ...
#ifndef STORYLINE_TOOLS_DEV_CLUSTER_CORPUS_H_
#define STORYLINE_TOOLS_DEV_CLUSTER_CORPUS_H_

#include <string>
#include <vector>

#include "storyline/cluster/metrics.h"
#include "storyline/cluster/story_clusterer.h"
#include "storyline/core/result.h"

namespace storyline::tools::cluster_dev {

struct DevArticle {
  cluster::ArticleFeatures features;
  std::string story;      // gold; empty when unknown
  std::string storyline;  // gold; empty when unknown
  std::string dup_group;  // gold copy group; empty when none
  std::size_t file_order = 0;
};

// One article per JSON line: id, title, text (the body), published
// (ISO 8601, may be null), lang, and gold story/storyline/dup_group when
// present. Errors: kIo, kInvalidInput naming the line.
Result<std::vector<DevArticle>> LoadJsonl(const std::string& path);

// Appends the *.txt files of `dir` (id = file name without .txt, first
// non-empty line = title, the rest = body), sorted by name.
Status LoadTxtDir(const std::string& dir, std::vector<DevArticle>* articles);

// Sets gold labels from a JSONL file of {"id", "story", "storyline",
// "dup_group"}.
Status ApplyGold(const std::string& path, std::vector<DevArticle>* articles);

// Replaces each body by its "body" and "heading" lines according to a
// JSONL file of {"id", "roles": [...]} (one role per line of the text):
// what the cleaning stage will hand the clusterer.
Status ApplyLineRoles(const std::string& path, std::vector<DevArticle>* articles);

// Publication order; an undated article keeps its place after the article
// that precedes it in the file.
void SortForStream(std::vector<DevArticle>* articles);

// copy_of links from the gold dup groups (the first member in stream order
// is the original), standing in for the duplicate stage.
void LinkCopiesFromGold(std::vector<DevArticle>* articles);

struct DevRun {
  std::vector<std::string> story;      // predicted, per article
  std::vector<std::string> storyline;  // predicted, per article
  cluster::ClusterScores story_scores;
  cluster::ClusterScores storyline_scores;  // only meaningful with gold storylines
  // ECB+: predicted stories holding articles of both events of one topic
  // (gold "ecbp-11_ecb" and "ecbp-11_ecbplus").
  std::size_t mixed_topic_stories = 0;
  double seconds = 0;
};

// Streams `articles` (in their order) through a clusterer and scores it.
Result<DevRun> RunClusterer(const cluster::ClusterOptions& options,
                            const std::vector<DevArticle>& articles, int batch_size = 0);

}  // namespace storyline::tools::cluster_dev

#endif  // STORYLINE_TOOLS_DEV_CLUSTER_CORPUS_H_
