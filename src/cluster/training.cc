// Rows for tools/story_model_fit from a running clusterer (OnPolicy); the
// teacher-forced rows need the clusterer's internals and are made in
// story_clusterer.cc.
#include "cluster/training.h"

#include <map>
#include <string>
#include <unordered_map>
#include <utility>

namespace storyline::cluster {

using internal::kModelInputs;

namespace {

// Labels the candidates a running clusterer scores (OnPolicy).
class GoldObserver final : public internal::TrainingObserver {
 public:
  GoldObserver(std::unordered_map<std::string, std::string> gold,
               std::unordered_map<std::string, std::size_t> index)
      : gold_(std::move(gold)), index_(std::move(index)) {}

  void Join(std::string_view article, const std::vector<std::string>& story,
            const std::array<double, kModelInputs>& x) override {
    const std::string& g = GoldOf(article);
    if (g.empty()) return;
    const std::string majority = Majority(story);
    if (majority.empty()) return;
    auto at = index_.find(std::string(article));
    rows.join.push_back({x, majority == g, at == index_.end() ? 0 : at->second});
  }

  void Merge(const std::vector<std::string>& smaller, const std::vector<std::string>& larger,
             const std::array<double, kModelInputs>& x) override {
    const std::string a = Majority(smaller);
    const std::string b = Majority(larger);
    if (a.empty() || b.empty()) return;
    rows.merge.push_back({x, a == b, 0});
  }

  internal::OnPolicyRows rows;

 private:
  const std::string& GoldOf(std::string_view id) const {
    static const std::string kNone;
    auto it = gold_.find(std::string(id));
    return it == gold_.end() ? kNone : it->second;
  }
  // The most frequent gold story among `ids` (ties: the smallest label);
  // empty when none is labelled.
  std::string Majority(const std::vector<std::string>& ids) const {
    std::map<std::string, std::size_t> count;
    for (const std::string& id : ids) {
      const std::string& g = GoldOf(id);
      if (!g.empty()) ++count[g];
    }
    std::string best;
    std::size_t most = 0;
    for (const auto& [g, n] : count) {
      if (n > most) {
        most = n;
        best = g;
      }
    }
    return best;
  }

  std::unordered_map<std::string, std::string> gold_;
  std::unordered_map<std::string, std::size_t> index_;  // id -> stream position
};

}  // namespace

Result<internal::OnPolicyRows> internal::TrainingAccess::OnPolicy(
    const ClusterOptions& options, std::span<const ArticleFeatures> articles,
    std::span<const std::string> gold) {
  if (articles.size() != gold.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "articles and gold labels differ in number");
  }
  std::unordered_map<std::string, std::string> by_id;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    by_id[articles[i].id] = gold[i];
    index[articles[i].id] = i;
  }
  GoldObserver observer(std::move(by_id), std::move(index));
  Result<StoryClusterer> made = StoryClusterer::Create(options);
  if (!made) return Fail(made.error());
  made->SetObserver(&observer);
  for (const ArticleFeatures& a : articles) {
    Result<Assignment> r = made->Add(a);
    if (!r) return Fail(r.error());
  }
  return std::move(observer.rows);
}

}  // namespace storyline::cluster
