// The extraction benchmark format and its score, shared by the evaluation
// program, the benchmark and the regression test.
//
// Rows are JSON objects {"id", "url", "html", "gold_text"}, one per line, in
// a plain or gzip-compressed file. The score follows the convention of
// published extraction benchmarks: lower-case the text, split it on
// whitespace and punctuation, compare the two bags of tokens, and report
// precision, recall and F1 per page (averaged over pages by the caller).
#ifndef STORYLINE_TOOLS_DEV_HTML_CORPUS_H_
#define STORYLINE_TOOLS_DEV_HTML_CORPUS_H_

#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::tools::html_dev {

struct ExtractionExample {
  std::string id;
  std::string url;
  std::string html;
  std::string gold_text;
};

// Reads every row of `path` (.jsonl or .jsonl.gz). Errors: kNotFound when the
// file cannot be opened, kInvalidInput naming the first bad line.
Result<std::vector<ExtractionExample>> LoadExtractionCorpus(const std::string& path);

// Lower-cased tokens of `text`: maximal runs of Unicode letters and digits.
std::vector<std::string> EvalTokens(std::string_view text);

struct TokenScore {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

// Bag-of-tokens overlap of `extracted` against `gold`. Two empty texts score
// 1; an empty extraction of a non-empty gold scores 0.
TokenScore ScoreTokens(std::string_view extracted, std::string_view gold);

}  // namespace storyline::tools::html_dev

#endif  // STORYLINE_TOOLS_DEV_HTML_CORPUS_H_
