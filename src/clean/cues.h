// Private: short multilingual cue lists of general web chrome and a matcher
// that finds them in a scanned line.
//
// A cue is a phrase of folded words (see line_text.h) with an anchor (the
// line starts with it, consists of it, or merely contains it) and a gate on
// the line's length: chrome is short, so a cue found in a 60-word paragraph
// of reporting says nothing. The lists name kinds of chrome every news site
// has (sign-up prompts, comment forms, share calls, teasers, navigation,
// cookie notices, bylines, credits) in English, French, Spanish and German;
// they never name a particular site.
//
// Thread safety: a CueMatcher is immutable after construction; share it.
#ifndef STORYLINE_SRC_CLEAN_CUES_H_
#define STORYLINE_SRC_CLEAN_CUES_H_

#include <array>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "clean/line_text.h"

namespace storyline::clean::internal {

// Kinds of chrome, in order of precedence when a line holds several.
enum class Cue : std::uint8_t {
  kNone,
  kCredit,        // photo credit phrase: "File Photo", "Getty Images"
  kProvenance,    // "This article first appeared on ...", "has been updated"
  kCopyright,     // "All rights reserved", "Reproduction interdite"
  kComment,       // comment forms
  kCookie,        // cookie and consent notices
  kCallToAction,  // subscribe, sign up, newsletter, click here
  kShare,         // share and follow calls
  kRelated,       // "Related:", "Related Posts": a list of other stories follows
  kTeaser,        // "READ MORE: ...", "À LIRE AUSSI : ...": one other story
  kNavigation,    // PREV / NEXT, "Article suivant : ..."
  kTags,          // "Tags : ..."
  kAdvert,        // "Advertisement", "Publicidad", "Anzeige"
  kLabel,         // "Breaking news", "Top Stories", "En direct"
  kReadingTime,   // "Temps de lecture : 2 min", "3 min read"
  kContact,       // "Got a story? Contact our newsdesk."
  kContributors,  // "Reporting by ...", "... contributed to this report"
  kByline,        // "By ...", "Par ...", "Por ...", "Von ..."
  kStaff,         // "La rédaction", "Staff reporter", "Redacción"
};

std::string_view CueReason(Cue cue);

// True for cues that mark the end of an article's reporting: what follows
// them is footer (share block, comments, related stories, credits).
bool IsEndMarker(Cue cue);

class CueMatcher {
 public:
  CueMatcher();

  // The highest-precedence cue whose anchor and length gate `scan`
  // satisfies, or kNone.
  Cue Match(const LineScan& scan) const;

  // How many words of `scan` name a social network (Facebook, WhatsApp...).
  int SocialNames(const LineScan& scan) const;

  // Word classes used by the classifier's shape rules.
  // Month and weekday names, "today": a line holding one can be a date.
  bool IsCalendarWord(std::uint64_t word_hash) const {
    return calendar_words_.contains(word_hash);
  }
  // Words that may sit in a date line: "le", "at", "Uhr", "published", "CET".
  bool IsDateFiller(std::uint64_t word_hash) const { return date_fillers_.contains(word_hash); }
  // Determiners that do not start a person's name: "The", "Les", "Die".
  bool IsDeterminer(std::uint64_t word_hash) const { return determiners_.contains(word_hash); }
  bool IsNameParticle(std::uint64_t word_hash) const {
    return name_particles_.contains(word_hash);
  }
  bool IsJobTitle(std::uint64_t word_hash) const { return job_titles_.contains(word_hash); }
  bool IsAgency(std::uint64_t word_hash) const { return agencies_.contains(word_hash); }
  bool IsCreditWord(std::uint64_t word_hash) const { return credit_words_.contains(word_hash); }
  bool IsConjunction(std::uint64_t word_hash) const { return conjunctions_.contains(word_hash); }
  bool IsFileLabel(std::uint64_t word_hash) const { return file_labels_.contains(word_hash); }

  enum Anchor : std::uint8_t { kStart, kWhole, kAnywhere, kEdge };
  enum Flag : std::uint8_t {
    kNeedsCaps = 1,         // the line's first word is written in capitals
    kNotSentence = 2,       // the line does not end with . ! ?
    kNeedsSocialOrShort = 4,  // names a social network, or is at most 4 words
  };
  struct Entry {
    Cue cue;
    Anchor anchor;
    std::uint8_t max_words;
    std::uint8_t flags;
    std::vector<std::uint64_t> words;
  };

 private:
  void AddPageCues();
  void AddNavigationCues();
  void AddWordSets();
  void Add(Cue cue, Anchor anchor, int max_words, int flags,
           std::initializer_list<std::string_view> phrases);
  bool MatchesAt(const Entry& e, const LineScan& scan, std::size_t at) const;

  std::vector<Entry> entries_;
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_first_word_;
  std::array<std::uint64_t, 64> first_word_filter_{};  // 4096-bit prefilter
  std::unordered_set<std::uint64_t> social_;
  std::unordered_set<std::uint64_t> calendar_words_;
  std::unordered_set<std::uint64_t> date_fillers_;
  std::unordered_set<std::uint64_t> determiners_;
  std::unordered_set<std::uint64_t> name_particles_;
  std::unordered_set<std::uint64_t> job_titles_;
  std::unordered_set<std::uint64_t> agencies_;
  std::unordered_set<std::uint64_t> credit_words_;
  std::unordered_set<std::uint64_t> conjunctions_;
  std::unordered_set<std::uint64_t> file_labels_;
};

}  // namespace storyline::clean::internal

#endif  // STORYLINE_SRC_CLEAN_CUES_H_
