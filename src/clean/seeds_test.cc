// The five seed articles (read at run time from $STORYLINE_SHARED/seeds):
// every piece of site chrome gets a non-body role and every paragraph of
// reporting stays body. Expectations are properties computed from each
// line (short distinctive words, shape, position), never seed sentences.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "storyline/clean/line_classifier.h"

namespace storyline::clean {
namespace {

namespace fs = std::filesystem;

std::vector<Article> LoadSeeds() {
  std::vector<Article> out;
  const char* shared = std::getenv("STORYLINE_SHARED");
  if (shared == nullptr) return out;
  fs::path dir = fs::path(shared) / "seeds";
  if (!fs::is_directory(dir)) return out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".txt") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    Article a;
    a.id = f.stem().string();
    a.text = s.str();
    // As the .txt reader does: the first non-empty line is the title.
    std::istringstream lines(a.text);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.find_first_not_of(" \t\r") != std::string::npos) {
        a.title = line;
        break;
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

bool Contains(std::string_view text, std::string_view word) {
  return text.find(word) != std::string_view::npos;
}

bool StartsWith(std::string_view text, std::string_view word) { return text.starts_with(word); }

int Words(std::string_view text) {
  int n = 0;
  bool in = false;
  for (char c : text) {
    bool space = c == ' ' || c == '\t';
    if (!space && !in) ++n;
    in = !space;
  }
  return n;
}

// Short markers of the chrome the seeds carry (credits, sign-up prompts,
// provenance notes, contributor lines, bios): a long line holding none of
// them is reporting.
bool HasChromeMarker(std::string_view t) {
  for (std::string_view m : {"REUTERS/", "\xc2\xa9", "DOSSIER", "Reuters.com", "apparu en premier",
                             "contribu", "Evang"}) {
    if (Contains(t, m)) return true;
  }
  return false;
}

class SeedsTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    seeds_ = LoadSeeds();
    if (seeds_.size() != 5) GTEST_SKIP() << "seeds not found under $STORYLINE_SHARED/seeds";
    if (GetParam()) {
      Result<std::vector<CleanedArticle>> c = CleanCorpus(seeds_);
      ASSERT_TRUE(c.has_value());
      cleaned_ = std::move(*c);
    } else {
      Result<LineClassifier> classifier = LineClassifier::Create({});
      ASSERT_TRUE(classifier.has_value());
      for (const Article& a : seeds_) cleaned_.push_back(classifier->Classify(a, nullptr));
    }
  }

  std::vector<Article> seeds_;
  std::vector<CleanedArticle> cleaned_;
};

#define EXPECT_ROLE(line, pred)                                                          \
  do {                                                                                   \
    EXPECT_TRUE(pred) << a.id << ":" << (line).n << " " << RoleName((line).role) << " (" \
                      << (line).reason << "): " << (line).text;                          \
  } while (false)

TEST_P(SeedsTest, ReportingParagraphsStayBody) {
  for (const CleanedArticle& a : cleaned_) {
    int body = 0;
    for (std::size_t i = 0; i < a.lines.size(); ++i) {
      const Line& l = a.lines[i];
      if (IsBodyRole(l.role)) ++body;
      // A line printed twice in a row is a caption, not a paragraph.
      const bool printed_twice = i + 1 < a.lines.size() && a.lines[i + 1].role == Role::kDuplicate;
      if (Words(l.text) >= 25 && !HasChromeMarker(l.text) && l.role != Role::kDuplicate &&
          !printed_twice) {
        EXPECT_ROLE(l, l.role == Role::kBody);
      }
    }
    EXPECT_GE(body, 5) << a.id;
  }
}

TEST_P(SeedsTest, ChromeIsNotBody) {
  for (std::size_t k = 0; k < cleaned_.size(); ++k) {
    const CleanedArticle& a = cleaned_[k];
    const auto& lines = a.lines;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const Line& l = lines[i];
      std::string_view t = l.text;
      const bool body = IsBodyRole(l.role);
      if (Contains(t, "Reuters.com") || Contains(t, "inscrire") || Contains(t, "Inscrivez")) {
        EXPECT_ROLE(l, !body);  // sign-up prompts, every copy
      }
      if (Contains(t, "File Photo") || StartsWith(t, "DOSSIER") || StartsWith(t, "\xc2\xa9")) {
        EXPECT_ROLE(l, l.role == Role::kCaption);
      }
      if (StartsWith(t, "READ") || StartsWith(t, "Read also") || StartsWith(t, "PREV") ||
          StartsWith(t, "NEXT") || StartsWith(t, "Related") || Contains(t, "Follow us") ||
          Contains(t, "commentaire") || Contains(t, "e-mail ne sera pas") ||
          Contains(t, "apparu en premier") || Contains(t, "mise à jour") ||
          Contains(t, "normes")) {
        EXPECT_ROLE(l, l.role == Role::kBoilerplate || l.role == Role::kDuplicate);
      }
      if (StartsWith(t, "Par ") && Words(t) <= 4) EXPECT_ROLE(l, l.role == Role::kByline);
      if (StartsWith(t, "Reportage par") || Contains(t, "contribué à ce rapport")) {
        EXPECT_ROLE(l, l.role == Role::kByline);
      }
      // Lines without a letter ("----"), host names, capitals-and-dash datelines.
      if (!t.empty() && std::none_of(t.begin(), t.end(), [](char c) {
            return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
          })) {
        EXPECT_ROLE(l, !body);
      }
      if (Contains(t, ".com") && Words(t) == 1) EXPECT_ROLE(l, !body);
      if (Words(t) <= 2 && t.size() > 3 && t.back() != '.' &&
          std::all_of(t.begin(), t.end() - 4, [](char c) { return !(c >= 'a' && c <= 'z'); })) {
        EXPECT_ROLE(l, !body);  // "WASHINGTON —"
      }
      // A line printed twice in a row: a caption, then its duplicate.
      if (i + 1 < lines.size() && !t.empty() && Words(t) > 3) {
        const Line& next = lines[i + 1];
        if (next.role == Role::kDuplicate && next.reason.ends_with(" " + std::to_string(l.n))) {
          EXPECT_ROLE(l, l.role == Role::kCaption);
        }
      }
      // Everything after the contributor line of an article is footer.
      bool after_credit = false;
      for (std::size_t j = 0; j < i; ++j) {
        after_credit = after_credit || Contains(lines[j].text, "contribué à ce rapport") ||
                       StartsWith(lines[j].text, "Reportage par");
      }
      if (after_credit) EXPECT_ROLE(l, !body);
    }
  }
}

TEST_P(SeedsTest, TitlesAndTopChrome) {
  for (std::size_t k = 0; k < cleaned_.size(); ++k) {
    const CleanedArticle& a = cleaned_[k];
    const Line* first = nullptr;
    for (const Line& l : a.lines) {
      if (!l.text.empty() && l.role != Role::kBlank) {
        first = &l;
        break;
      }
    }
    ASSERT_NE(first, nullptr);
    // The first line is the title, a caption, or site chrome; never body.
    EXPECT_FALSE(IsBodyRole(first->role)) << a.id << ": " << first->text;
    if (a.title_line != 0) {
      const Line& t = a.lines[static_cast<std::size_t>(a.title_line - 1)];
      EXPECT_GE(Words(t.text), 6) << a.id << ": title " << t.text;
      // Short lines above a title found below the first line are site chrome.
      for (int n = 1; n < a.title_line; ++n) {
        const Line& l = a.lines[static_cast<std::size_t>(n - 1)];
        if (l.role != Role::kBlank) {
          EXPECT_FALSE(IsBodyRole(l.role)) << a.id << ":" << n;
        }
      }
    }
  }
  int titled = 0;
  for (const CleanedArticle& a : cleaned_) titled += a.title_line != 0;
  EXPECT_GE(titled, 4);
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutCorpus, SeedsTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "Corpus" : "Alone";
                         });

}  // namespace
}  // namespace storyline::clean
