#include "storyline/digest/entities.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "digest/document.h"
#include "digest/entities_internal.h"
#include "digest/lexicon.h"
#include "storyline/text/normalize.h"

namespace storyline::digest {

std::string_view EntityTypeName(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
      return "person";
    case EntityType::kLocation:
      return "location";
    case EntityType::kOrganization:
      return "organization";
  }
  return "person";
}

namespace internal {
namespace {

// One spelling of a name (all forms folding to one key) and the evidence
// gathered on it over the whole story.
struct Candidate {
  std::string key;
  std::unordered_map<std::string, int> forms;  // surface form -> count
  int mentions = 0;
  int words = 0;
  int person = 0;             // votes from titles, roles, verbs of saying, first names
  int location = 0;           // votes from place prepositions
  bool organization = false;  // organisation word or acronym
  bool acronym = false;
  GazetteerType gazetteer = GazetteerType::kNone;
  int female = 0;
  int male = 0;
  int parent = -1;  // joined into this candidate (short form, acronym)
  std::optional<EntityType> type;
};

struct RawMention {
  std::uint32_t doc = 0;
  std::uint32_t sentence = 0;
  std::uint32_t first_word = 0;
  std::uint32_t end_word = 0;
  int candidate = 0;
};

bool IsJoiner(std::string_view lower) {
  return lower == "de" || lower == "du" || lower == "des" || lower == "of" || lower == "the" ||
         lower == "la" || lower == "for" || lower == "pour" || lower == "del" || lower == "für" ||
         lower == "der" || lower == "en";
}

class Recognizer {
 public:
  explicit Recognizer(std::span<const Document* const> docs) : docs_(docs) {}

  EntityTable Run() {
    CollectVocabulary();
    for (std::uint32_t d = 0; d < docs_.size(); ++d) ScanDocument(d);
    for (auto& [lower, other] : acronym_links_) Link(lower, other);
    TypeCandidates();
    JoinShortForms();
    return Build();
  }

 private:
  bool InBody(const Document& doc, const Sentence& s) const { return doc.IsBody(s); }

  // Words written lower case anywhere, and words written capitalised in the
  // middle of a sentence: the evidence for sentence-initial capitals.
  void CollectVocabulary() {
    for (const Document* doc : docs_) {
      for (const Sentence& s : doc->sentences) {
        if (!InBody(*doc, s)) continue;
        std::span<const Word> words = doc->WordsOf(s);
        for (std::size_t i = 0; i < words.size(); ++i) {
          const Word& w = words[i];
          if (!w.has_letter) continue;
          if (!w.capitalized) {
            lower_seen_.insert(w.lower);
          } else if (!InitialLike(*doc, words, i)) {
            cap_mid_.insert(w.lower);
          }
        }
      }
    }
  }

  // First word of a sentence, or first word after an opening quote, a
  // colon or a dash, where any word takes a capital.
  static bool InitialLike(const Document& doc, std::span<const Word> words, std::size_t i) {
    if (i == 0 || words[i].sentence_initial) return true;
    std::string_view gap = doc.Slice(words[i - 1].end, words[i].outer_begin);
    for (std::string_view opener : {"\xC2\xAB", "\xE2\x80\x9C", "\xE2\x80\x9E", "\"", ":",
                                    "\xE2\x80\x93", "\xE2\x80\x94", "(", "|"}) {
      if (gap.find(opener) != std::string_view::npos) return true;
    }
    return false;
  }

  static bool IsNameWord(const Word& w) {
    if (!w.capitalized || !w.has_letter) return false;
    if (MonthNumber(w.lower) != 0 || WeekdayNumber(w.lower) >= 0) return false;
    if (RelativeDayOffset(w.lower).has_value()) return false;
    if (IsTitle(w.lower)) return false;
    return true;
  }

  static bool HasOrganizationWord(std::span<const Word> words, std::size_t a, std::size_t b) {
    for (std::size_t k = a; k < b; ++k) {
      if (IsOrganizationWord(words[k].lower)) return true;
    }
    return false;
  }

  void ScanDocument(std::uint32_t d) {
    const Document& doc = *docs_[d];
    for (std::uint32_t si = 0; si < doc.sentences.size(); ++si) {
      const Sentence& s = doc.sentences[si];
      if (!InBody(doc, s)) continue;
      std::span<const Word> words = doc.WordsOf(s);
      std::size_t i = 0;
      while (i < words.size()) {
        if (doc.InDateline(words[i].outer_begin)) {
          ++i;
          continue;
        }
        // "le ministère des Armées": French writes the head word of
        // ministries in lower case.
        const bool ministry = !words[i].capitalized &&
                              (words[i].lower == "ministère" || words[i].lower == "ministerio") &&
                              i + 2 < words.size() && IsJoiner(words[i + 1].lower) &&
                              IsNameWord(words[i + 2]);
        if (!IsNameWord(words[i]) && !ministry) {
          ++i;
          continue;
        }
        if (ministry) {
          ProcessRun(d, si, doc, words, i, i + 3);
          i += 3;
          continue;
        }
        std::size_t j = i + 1;
        while (j < words.size()) {
          // A capitalised pronoun or conjunction ends a run: "l'OTAN Elle
          // a confirmé" lacks a full stop, not a name.
          if (IsNameWord(words[j]) && words[j].space_before && !words[j].elided &&
              !(IsStopword(words[j].lower) && !IsDeterminer(words[j].lower))) {
            ++j;
            continue;
          }
          // "Organisation du Traité de l'Atlantique Nord", "Ministry of
          // Defence": joiners inside an organisation name.
          if (HasOrganizationWord(words, i, j)) {
            std::size_t k = j;
            while (k < words.size() && k < j + 2 && IsJoiner(words[k].lower) &&
                   words[k].space_before) {
              ++k;
            }
            // Not to an acronym: "Union de CNN" is CNN's programme.
            if (k > j && k < words.size() && IsNameWord(words[k]) && words[k].space_before &&
                !words[k].all_caps) {
              j = k + 1;
              continue;
            }
            if (k == j && IsNameWord(words[j]) && words[j].elided && words[j].space_before) {
              ++j;
              continue;
            }
          }
          break;
        }
        j = ExtendSentenceCase(words, i, j);
        j = ExtendByGazetteer(doc, words, i, j);
        ProcessRun(d, si, doc, words, i, j);
        i = j;
      }
    }
  }

  // French writes many organisation names in sentence case ("Organisation
  // pour la protection des forêts d'Europe"): after an organisation
  // word, accept joiners and lower-case words that follow a joiner, up to
  // the last capitalised word within eight words.
  static std::size_t ExtendSentenceCase(std::span<const Word> words, std::size_t a, std::size_t b) {
    if (!IsOrganizationWord(words[a].lower) || b - a != 1) return b;
    std::size_t best = b;
    bool after_joiner = false;
    for (std::size_t k = b; k < words.size() && k < b + 8; ++k) {
      const Word& w = words[k];
      if (!w.space_before && !w.elided) break;
      if (IsJoiner(w.lower) || w.lower == "et" || w.lower == "and" || w.lower == "y" ||
          w.lower == "und") {
        after_joiner = true;
        continue;
      }
      if (w.capitalized && w.has_letter) {
        if (MonthNumber(w.lower) != 0 || WeekdayNumber(w.lower) >= 0 || w.all_caps) {
          break;
        }
        best = k + 1;
        after_joiner = false;
        continue;
      }
      if (after_joiner && w.has_letter && !IsStopword(w.lower) && WeekdayNumber(w.lower) < 0) {
        after_joiner = false;
        continue;
      }
      break;
    }
    return best;
  }

  // Known names that continue in lower case or with an elided word:
  // "Union européenne", "Nations unies", "Quai d'Orsay".
  std::size_t ExtendByGazetteer(const Document& doc, std::span<const Word> words, std::size_t a,
                                std::size_t b) {
    for (std::size_t k = b; k < words.size() && k < b + 2; ++k) {
      if (!words[k].space_before && !words[k].elided) break;
      const std::string name(doc.Slice(words[a].begin, words[k].end));
      if (LookupGazetteer(Fold(name)) != GazetteerType::kNone) return k + 1;
    }
    return b;
  }

  // What the words around a capitalised run say of it.
  struct RunEvidence {
    int person = 0;  // weight of person cues (titles, roles, verbs of saying, first names)
    int female = 0;
    int male = 0;
    int location = 0;  // after a place preposition
  };

  // A run of capitalised words [a0, b0) of sentence `si` of document `d`:
  // trimmed to the name it holds, checked, and counted as a mention of its
  // candidate with the evidence around it.
  void ProcessRun(std::uint32_t d, std::uint32_t si, const Document& doc,
                  std::span<const Word> words, std::size_t a0, std::size_t b0) {
    RunEvidence ev;
    const bool initial = InitialLike(doc, words, a0);
    std::size_t a = a0;
    std::size_t b = b0;
    if (!TrimRun(words, a0, initial, &a, &b, &ev)) return;
    const std::size_t n = b - a;
    const Word& first = words[a];
    const bool acronym =
        n == 1 && first.all_caps && first.lower.size() >= 2 && first.lower.size() <= 6;
    std::string name(doc.Slice(first.begin, words[b - 1].end));
    const std::string& key = Fold(name);
    const GazetteerType gazetteer = LookupGazetteer(key);
    if (n == 1 && gazetteer == GazetteerType::kNone &&
        !KeepLoneWord(words, a0, a, b, initial, acronym)) {
      return;
    }
    ContextEvidence(words, a0, a, b, &ev);
    const int c = CandidateFor(key, n);
    Candidate& cand = candidates_[static_cast<std::size_t>(c)];
    ++cand.forms[name];
    ++cand.mentions;
    cand.person += ev.person;
    cand.location += ev.location;
    cand.female += ev.female;
    cand.male += ev.male;
    cand.gazetteer = gazetteer;
    if (acronym) cand.acronym = true;
    if (acronym || HasOrganizationWord(words, a, b)) cand.organization = true;
    raw_.push_back(RawMention{d, si, static_cast<std::uint32_t>(a) + doc.sentences[si].first_word,
                              static_cast<std::uint32_t>(b) + doc.sentences[si].first_word, c});
    // "Organisation ... en Europe (OSCE)": the acronym names the same body.
    if (n >= 2 && b < words.size() && words[b].all_caps &&
        doc.Slice(words[b - 1].end, words[b].begin).find('(') != std::string_view::npos) {
      acronym_links_.emplace_back(key, Fold(std::string(doc.Slice(words[b].begin, words[b].end))));
    }
  }

  // Cuts determiners, titles, roles and nationality words off both ends of
  // [*a, *b) (counting the roles as person cues); a first name inside the
  // run starts a new name. False when nothing is left.
  bool TrimRun(std::span<const Word> words, std::size_t a0, bool initial, std::size_t* a_out,
               std::size_t* b_out, RunEvidence* ev) {
    std::size_t a = *a_out;
    std::size_t b = *b_out;
    const std::size_t b0 = b;
    const bool organization = HasOrganizationWord(words, a0, b0);
    // The front ("the State Department" keeps "State"), then the back.
    while (a < b) {
      const std::string_view w = words[a].lower;
      bool fem = false;
      if (IsRoleNoun(w, &fem)) {
        ev->person += 2;
        if (fem) ++ev->female;
      } else if (IsDeterminer(w) || IsDemonym(w) || (IsTitleNoun(w) && !organization)) {
        // nothing to record
      } else if (a == a0 && initial &&
                 (IsStopword(w) ||
                  (lower_seen_.count(words[a].lower) > 0 && cap_mid_.count(words[a].lower) == 0))) {
        // A sentence-opening function word or common word.
      } else {
        break;
      }
      ++a;
    }
    while (b > a &&
           (IsDemonym(words[b - 1].lower) || (!organization && IsTitleNoun(words[b - 1].lower)) ||
            IsRoleNoun(words[b - 1].lower))) {
      --b;
    }
    if (a >= b) return false;
    // "Etat Wendy Sherman": a first name starts a new name.
    for (std::size_t p = a + 1; p + 1 < b; ++p) {
      if (FirstNameGender(words[p].lower) != 0 && !IsOrganizationWord(words[a].lower)) {
        a = p;
        break;
      }
    }
    *a_out = a;
    *b_out = b;
    return true;
  }

  // A lone word [a, b) that no gazetteer knows: whether it is kept.
  bool KeepLoneWord(std::span<const Word> words, std::size_t a0, std::size_t a, std::size_t b,
                    bool initial, bool acronym) {
    const Word& first = words[a];
    // A lone sentence-initial capital is a name only if the story also
    // writes it capitalised mid-sentence.
    // The exception: a verb of saying right after it ("Mitchell told
    // reporters", "Lemaire a déclaré").
    const bool speaks = b < words.size() && (IsSpeechWord(words[b].lower) ||
                                             (b + 1 < words.size() &&
                                              (words[b].lower == "a" || words[b].lower == "has") &&
                                              IsSpeechWord(words[b + 1].lower)));
    if (a == a0 && initial && !acronym && !speaks && cap_mid_.count(first.lower) == 0) {
      return false;
    }
    if (first.lower.size() < 2 || IsOrganizationWord(first.lower) || IsStopword(first.lower) ||
        IsTitleNoun(first.lower)) {
      return false;
    }
    if (first.all_caps && first.lower.size() > 6) return false;  // shouting
    return true;
  }

  // Context before the run [a0, ...) (a title, a role noun, a verb of
  // saying, a place preposition) and after [.., b) (a verb of saying), and
  // a first name opening a name of two words or more [a, b).
  void ContextEvidence(std::span<const Word> words, std::size_t a0, std::size_t a, std::size_t b,
                       RunEvidence* ev) {
    const std::size_t n = b - a;
    const Word& first = words[a];
    if (a0 > 0) {
      const std::string_view prev = words[a0 - 1].lower;
      if (IsTitle(prev)) {
        ev->person += 3;
        if (prev == "mme" || prev == "mrs" || prev == "ms" || prev == "frau" || prev == "sra" ||
            prev == "mlle") {
          ++ev->female;
        } else if (prev == "m" || prev == "mr" || prev == "herr" || prev == "sr") {
          ++ev->male;
        }
      }
      if (IsSpeechWord(prev)) ev->person += 2;
    }
    for (std::size_t k = a0; k > 0 && k + 5 > a0; --k) {
      bool fem = false;
      if (IsRoleNoun(words[k - 1].lower, &fem)) {
        ev->person += 2;
        if (fem) ++ev->female;
        break;
      }
    }
    if (a == a0 && a0 > 0 && IsLocationPreposition(words[a0 - 1].lower)) {
      ev->location = 1;
    }
    // After the run: "X a déclaré", "X said", "X, a-t-il ajouté".
    if (b < words.size()) {
      const std::string_view next = words[b].lower;
      if (IsSpeechWord(next)) ev->person += 2;
      if ((next == "a" || next == "has" || next == "had" || next == "ha" || next == "hat") &&
          b + 1 < words.size() && IsSpeechWord(words[b + 1].lower)) {
        ev->person += 2;
      }
    }
    if (n >= 2) {
      const char g = FirstNameGender(first.lower);
      if (g != 0) {
        ev->person += 3;
        (g == 'f' ? ev->female : ev->male) += 1;
      }
    }
  }

  const std::string& Fold(const std::string& surface) {
    auto it = fold_cache_.find(surface);
    if (it != fold_cache_.end()) return it->second;
    return fold_cache_.emplace(surface, text::FoldAccents(surface)).first->second;
  }

  int CandidateFor(const std::string& key, std::size_t words) {
    auto [it, inserted] = by_key_.emplace(key, candidates_.size());
    if (inserted) {
      Candidate c;
      c.key = key;
      c.words = static_cast<int>(words);
      candidates_.push_back(std::move(c));
    }
    return static_cast<int>(it->second);
  }

  int Root(int c) const {
    while (candidates_[static_cast<std::size_t>(c)].parent >= 0) {
      c = candidates_[static_cast<std::size_t>(c)].parent;
    }
    return c;
  }

  void Merge(int child, int parent) {
    child = Root(child);
    parent = Root(parent);
    if (child == parent) return;
    Candidate& from = candidates_[static_cast<std::size_t>(child)];
    Candidate& to = candidates_[static_cast<std::size_t>(parent)];
    from.parent = parent;
    to.mentions += from.mentions;
    to.person += from.person;
    to.location += from.location;
    to.female += from.female;
    to.male += from.male;
  }

  void Link(const std::string& long_key, const std::string& acronym_key) {
    auto a = by_key_.find(long_key);
    auto b = by_key_.find(acronym_key);
    if (a == by_key_.end() || b == by_key_.end()) return;
    Merge(static_cast<int>(a->second), static_cast<int>(b->second));
  }

  // "Union Street", "rue de la Paix": a name led or ended by a street word
  // is a place, whatever organisation word it holds.
  static bool IsAddress(const Candidate& c) {
    const std::size_t first_space = c.key.find(' ');
    if (c.words < 2 || first_space == std::string::npos) return false;
    const std::string_view key(c.key);
    bool leads = false;
    if (IsStreetWord(key.substr(c.key.rfind(' ') + 1), &leads) && !leads) {
      return true;
    }
    return IsStreetWord(key.substr(0, first_space), &leads) && leads;
  }

  void TypeCandidates() {
    for (Candidate& c : candidates_) {
      if (c.gazetteer == GazetteerType::kLocation || IsAddress(c)) {
        c.type = EntityType::kLocation;
      } else if (c.gazetteer == GazetteerType::kOrganization || c.organization) {
        c.type = EntityType::kOrganization;
      } else if (c.person > 0 && c.person >= c.location) {
        c.type = EntityType::kPerson;
      } else if (c.location > 0) {
        c.type = EntityType::kLocation;
      }
    }
  }

  // "Poutine" -> "Vladimir Poutine": a name that ends a longer person's
  // name is that person (the most mentioned one when several fit).
  void JoinShortForms() {
    std::unordered_map<std::string, int> by_last;
    for (std::size_t i = 0; i < candidates_.size(); ++i) {
      const Candidate& c = candidates_[i];
      if (c.words < 2 || c.type != EntityType::kPerson) continue;
      const std::size_t space = c.key.rfind(' ');
      if (space == std::string::npos) continue;
      const std::string last = c.key.substr(space + 1);
      auto [it, inserted] = by_last.emplace(last, static_cast<int>(i));
      if (!inserted && candidates_[static_cast<std::size_t>(it->second)].mentions < c.mentions) {
        it->second = static_cast<int>(i);
      }
    }
    for (std::size_t i = 0; i < candidates_.size(); ++i) {
      Candidate& c = candidates_[i];
      if (c.words != 1 || c.gazetteer != GazetteerType::kNone || c.acronym) {
        continue;
      }
      auto it = by_last.find(c.key);
      if (it != by_last.end()) Merge(static_cast<int>(i), it->second);
    }
  }

  EntityTable Build() {
    // Roots with a type become entities.
    std::vector<int> roots;
    for (std::size_t i = 0; i < candidates_.size(); ++i) {
      const Candidate& c = candidates_[i];
      if (c.parent < 0 && c.type.has_value()) {
        roots.push_back(static_cast<int>(i));
      }
    }
    auto name_of = [&](const Candidate& c) {
      std::string best;
      int best_count = -1;
      for (const auto& [form, count] : c.forms) {
        if (count > best_count || (count == best_count && form.size() > best.size()) ||
            (count == best_count && form.size() == best.size() && form < best)) {
          best = form;
          best_count = count;
        }
      }
      return best;
    };
    std::vector<std::pair<Entity, int>> entities;
    for (int r : roots) {
      const Candidate& c = candidates_[static_cast<std::size_t>(r)];
      entities.push_back({Entity{name_of(c), *c.type, c.mentions}, r});
    }
    std::sort(entities.begin(), entities.end(), [](const auto& x, const auto& y) {
      if (x.first.mentions != y.first.mentions) {
        return x.first.mentions > y.first.mentions;
      }
      return x.first.name < y.first.name;
    });
    EntityTable table;
    std::unordered_map<int, int> index_of_root;
    for (const auto& [entity, root] : entities) {
      const Candidate& c = candidates_[static_cast<std::size_t>(root)];
      index_of_root[root] = static_cast<int>(table.entities.size());
      table.entities.push_back(entity);
      table.gender.push_back(c.female > c.male ? 'f' : c.male > c.female ? 'm' : 0);
    }
    table.mentions.resize(docs_.size());
    for (const RawMention& m : raw_) {
      auto it = index_of_root.find(Root(m.candidate));
      if (it == index_of_root.end()) continue;
      const Document& doc = *docs_[m.doc];
      table.mentions[m.doc].push_back(EntityMention{doc.words[m.first_word].begin,
                                                    doc.words[m.end_word - 1].end, m.sentence,
                                                    m.first_word, m.end_word, it->second});
    }
    return table;
  }

  std::span<const Document* const> docs_;
  std::unordered_set<std::string> lower_seen_;
  std::unordered_set<std::string> cap_mid_;
  std::vector<Candidate> candidates_;
  std::unordered_map<std::string, std::size_t> by_key_;
  std::unordered_map<std::string, std::string> fold_cache_;
  std::vector<RawMention> raw_;
  std::vector<std::pair<std::string, std::string>> acronym_links_;
};

}  // namespace

EntityTable FindEntities(std::span<const Document* const> docs) { return Recognizer(docs).Run(); }

}  // namespace internal

Result<std::vector<Entity>> ExtractEntities(std::span<const EntityText> texts) {
  std::vector<internal::Document> docs;
  docs.reserve(texts.size());
  for (const EntityText& t : texts) {
    Result<internal::Document> doc = internal::AnalyzeDocument(t.text, t.lang);
    if (!doc) return Fail(doc.error());
    docs.push_back(std::move(*doc));
  }
  std::vector<const internal::Document*> pointers;
  for (const internal::Document& d : docs) pointers.push_back(&d);
  return internal::FindEntities(pointers).entities;
}

}  // namespace storyline::digest
