// PendingBatch: the articles gathered for one batch, one per id, as
// `storyline ingest` commits them and `storyline dedup` processes them.
// Two records with one id in a batch would reach the store as one (the
// last); instead the later record replaces the earlier here, as
// re-ingesting it would, and Add() says so, for the user to be told.
//
//   PendingBatch batch;
//   if (std::optional<std::string> replaced = batch.Add(std::move(a))) Warn(*replaced);
//   if (batch.Full(2000, 32 << 20)) Process(batch.Take());
#ifndef STORYLINE_PIPELINE_PENDING_BATCH_H_
#define STORYLINE_PIPELINE_PENDING_BATCH_H_

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storyline/core/article.h"

namespace storyline::pipeline {

class PendingBatch {
 public:
  // Adds `a`. When the batch already holds an article with its id, `a`
  // takes that article's place and the earlier one's origin is returned.
  std::optional<std::string> Add(Article&& a) {
    const std::size_t size = a.text.size() + a.html.size();
    auto [it, inserted] = index_.try_emplace(a.id, articles_.size());
    bytes_ += size;
    if (inserted) {
      articles_.push_back(std::move(a));
      return std::nullopt;
    }
    Article& earlier = articles_[it->second];
    bytes_ -= earlier.text.size() + earlier.html.size();
    std::string origin = std::move(earlier.origin);
    earlier = std::move(a);
    return origin;
  }
  // Whether the batch should be processed now: `max_articles` articles or
  // `max_bytes` of text and HTML.
  bool Full(std::size_t max_articles, std::size_t max_bytes) const {
    return articles_.size() >= max_articles || bytes_ >= max_bytes;
  }
  bool empty() const { return articles_.empty(); }
  // The articles, in order of first appearance; the batch is empty after.
  std::vector<Article> Take() {
    std::vector<Article> out = std::move(articles_);
    articles_.clear();
    index_.clear();
    bytes_ = 0;
    return out;
  }

 private:
  std::vector<Article> articles_;
  std::unordered_map<std::string, std::size_t> index_;  // id -> position in articles_
  std::size_t bytes_ = 0;
};

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_PENDING_BATCH_H_
