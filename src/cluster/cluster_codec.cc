#include "cluster/cluster_codec.h"

#include <xxhash.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <string>

namespace storyline::cluster::internal {
namespace {

// Version 4 adds the pivot field to centroids and each story's count of
// headline-only members (earlier states read with an empty pivot field and
// no headlines). Version 3 adds the count of documents ever counted (the
// document count of the IDF is halved with the frequencies); version 2 adds
// each centroid term's cached IDF. Older states are read with the two counts
// equal (no halving happened then), version 1 with the IDF recomputed from
// the document frequencies.
constexpr std::string_view kStateMagic = "storyline-cluster-state-4";
constexpr std::string_view kStateMagicV3 = "storyline-cluster-state-3";
constexpr std::string_view kStateMagicV2 = "storyline-cluster-state-2";
constexpr std::string_view kStateMagicV1 = "storyline-cluster-state-1";
// A change record (EncodeSave). Version 2 adds the clusters whose cached
// IDF alone changed; version 1 is read.
constexpr std::string_view kChangesMagic = "storyline-cluster-changes-2";
constexpr std::string_view kChangesMagicV1 = "storyline-cluster-changes-1";

// `caches` false writes zeros for the cached IDF and norm (the bytes a
// change record compares apart: see CacheBytes).
void WriteField(const CentroidField& f, ByteWriter* w, bool caches = true) {
  w->U64(f.terms.size());
  for (const TermWeight& t : f.terms) {
    w->U64(t.term);
    w->F32(t.weight);
    w->F32(caches ? t.idf : 0.0F);
  }
  w->F64(caches ? f.norm : 0.0);
}

// `idf`, for a version 1 state, gives each term's IDF (not stored there).
bool ReadField(ByteReader* r, CentroidField* f, const std::function<float(std::uint64_t)>* idf) {
  std::uint64_t n = 0;
  if (!r->Count(&n, idf != nullptr ? 12 : 16)) return false;
  f->terms.resize(n);
  for (TermWeight& t : f->terms) {
    if (!r->U64(&t.term) || !r->F32(&t.weight)) return false;
    if (idf != nullptr) {
      t.idf = (*idf)(t.term);
    } else if (!r->F32(&t.idf)) {
      return false;
    }
  }
  return r->F64(&f->norm);
}

void WriteCluster(const Cluster& c, std::uint64_t parent_serial, ByteWriter* w,
                  bool caches = true) {
  w->U64(c.serial);
  w->U64(parent_serial);
  for (const CentroidField& f : c.centroid) WriteField(f, w, caches);
  w->U64(caches ? c.norm_docs : 0);
  w->U8(c.span.first.has_value());
  w->I64(c.span.first.value_or(0));
  w->I64(c.span.last.value_or(0));
  w->U64(c.articles.size());
  for (const std::string& a : c.articles) w->Str(a);
  w->U64(c.languages.size());
  for (const std::string& l : c.languages) w->Str(l);
  w->U64(c.labels.size());
  for (const auto& [term, label] : c.labels) {
    w->U64(term);
    w->Str(label);
  }
  w->U64(c.indexed.size());
  for (std::uint64_t t : c.indexed) w->U64(t);
  w->U64(c.last_seq);
  w->I64(c.last_clock);
  w->U64(c.repair_seq);
  w->U32(c.members);
  w->U32(c.headlines);
  w->U64(c.samples.size());
  for (const CentroidField& f : c.samples) WriteField(f, w, caches);
}

// What refreshing a cluster's cached IDF changes (TermSpace::RefreshNorms):
// the IDF of every centroid and sample term, each field's norm, and the
// document count of the refresh, in WriteCluster's order.
void WriteCaches(const Cluster& c, ByteWriter* w) {
  auto write = [w](const CentroidField& f) {
    for (const TermWeight& t : f.terms) w->F32(t.idf);
    w->F64(f.norm);
  };
  w->U64(c.norm_docs);
  for (const CentroidField& f : c.centroid) write(f);
  for (const CentroidField& f : c.samples) write(f);
}

bool ReadCaches(ByteReader* r, Cluster* c) {
  auto read = [r](CentroidField& f) {
    for (TermWeight& t : f.terms) {
      if (!r->F32(&t.idf)) return false;
    }
    return r->F64(&f.norm);
  };
  if (!r->U64(&c->norm_docs)) return false;
  for (CentroidField& f : c->centroid) {
    if (!read(f)) return false;
  }
  for (CentroidField& f : c->samples) {
    if (!read(f)) return false;
  }
  return true;
}

// `version` is the state's format version (1..4).
bool ReadCluster(ByteReader* r, Cluster* c, std::uint64_t* parent_serial,
                 const std::function<float(std::uint64_t)>* idf, int version) {
  if (!r->U64(&c->serial) || !r->U64(parent_serial)) return false;
  const int fields = version >= 4 ? kFieldCount : 4;
  for (int field = 0; field < fields; ++field) {
    if (!ReadField(r, &c->centroid[static_cast<std::size_t>(field)], idf)) return false;
  }
  std::uint8_t dated = 0;
  std::int64_t first = 0;
  std::int64_t last = 0;
  if (!r->U64(&c->norm_docs) || !r->U8(&dated) || !r->I64(&first) || !r->I64(&last)) return false;
  if (dated) c->span = Span{first, last};
  std::uint64_t n = 0;
  if (!r->Count(&n, 8)) return false;
  c->articles.resize(n);
  for (std::string& a : c->articles) {
    if (!r->Str(&a)) return false;
  }
  if (!r->Count(&n, 8)) return false;
  c->languages.resize(n);
  for (std::string& l : c->languages) {
    if (!r->Str(&l)) return false;
  }
  if (!r->Count(&n, 16)) return false;
  c->labels.resize(n);
  for (auto& [term, label] : c->labels) {
    if (!r->U64(&term) || !r->Str(&label)) return false;
  }
  if (!r->Count(&n, 8)) return false;
  c->indexed.resize(n);
  for (std::uint64_t& t : c->indexed) {
    if (!r->U64(&t)) return false;
  }
  if (!r->U64(&c->last_seq) || !r->I64(&c->last_clock) || !r->U64(&c->repair_seq) ||
      !r->U32(&c->members)) {
    return false;
  }
  if (version < 4) return true;
  std::uint64_t samples = 0;
  if (!r->U32(&c->headlines) || !r->Count(&samples, 16)) return false;
  c->samples.resize(samples);
  for (CentroidField& f : c->samples) {
    if (!ReadField(r, &f, nullptr)) return false;
  }
  return true;
}

// Live clusters of a level, oldest first.
std::vector<std::uint32_t> LiveSlots(const Level& level) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;
  for (std::uint32_t slot = 0; slot < level.slots.size(); ++slot) {
    if (level.slots[slot].alive) order.emplace_back(level.slots[slot].serial, slot);
  }
  std::sort(order.begin(), order.end());
  std::vector<std::uint32_t> out;
  for (const auto& o : order) out.push_back(o.second);
  return out;
}

// The counters every state and change record starts with.
void WriteCounters(const TermSpace& space, std::uint64_t seq, std::optional<Timestamp> clock,
                   ByteWriter* w) {
  w->U64(space.docs());
  w->U64(space.counted());
  w->U64(seq);
  w->U8(clock.has_value());
  w->I64(clock.value_or(0));
}

// The serial of the storyline of story `c` (0 for a storyline).
std::uint64_t ParentSerial(const Cluster& c, const Level& level, const Level& storylines) {
  return &level == &storylines ? 0 : storylines.slots[c.parent].serial;
}

// A level's live clusters encoded for a save, in serial order (oldest
// first): their bytes end to end, where each ends, which of them differ
// from the mark, and the serials the mark has that left the level.
// A level's part of a change record: the clusters that changed (new, or
// more than their cached IDF), those whose cached IDF alone changed (their
// serials and caches), and the serials that left the level.
struct LevelChanges {
  ByteWriter changed;
  std::size_t changed_count = 0;
  ByteWriter caches;
  std::size_t refreshed = 0;
  std::vector<std::uint64_t> gone;

  std::size_t Bytes() const {
    return changed.bytes().size() + caches.bytes().size() + 8 * gone.size();
  }
};

// Sorts the live clusters of `level` against `saved` into `out` (when not
// null) and moves `saved` to them. A cluster is compared by two hashes: of
// its bytes with the cache zeroed, and of the cache; only a changed cluster
// is encoded whole.
void FindLevelChanges(const Level& level, const Level& storylines, SavedHashes* saved,
                      LevelChanges* out) {
  const std::vector<std::uint32_t> live = LiveSlots(level);
  SavedHashes now;
  now.reserve(live.size());
  ByteWriter scratch;
  for (std::uint32_t slot : live) {
    const Cluster& c = level.slots[slot];
    const std::uint64_t parent = ParentSerial(c, level, storylines);
    scratch.Clear();
    WriteCluster(c, parent, &scratch, /*caches=*/false);
    const std::uint64_t core = XXH3_64bits(scratch.bytes().data(), scratch.bytes().size());
    scratch.Clear();
    WriteCaches(c, &scratch);
    const std::uint64_t cache = XXH3_64bits(scratch.bytes().data(), scratch.bytes().size());
    now.emplace(c.serial, std::make_pair(core, cache));
    if (out == nullptr) continue;
    const auto it = saved->find(c.serial);
    if (it == saved->end() || it->second.first != core) {
      WriteCluster(c, parent, &out->changed);
      ++out->changed_count;
    } else if (it->second.second != cache) {
      out->caches.U64(c.serial);
      out->caches.Raw(scratch.bytes());
      ++out->refreshed;
    }
  }
  if (out != nullptr) {
    for (const auto& [serial, hashes] : *saved) {
      if (!now.contains(serial)) out->gone.push_back(serial);
    }
    std::sort(out->gone.begin(), out->gone.end());
  }
  *saved = std::move(now);
}

void WriteLevelChanges(const Level& level, const LevelChanges& changes, ByteWriter* w) {
  w->U64(level.next_serial);
  w->U64(changes.gone.size());
  for (std::uint64_t serial : changes.gone) w->U64(serial);
  w->U64(changes.changed_count);
  w->Raw(changes.changed.bytes());
  w->U64(changes.refreshed);
  w->Raw(changes.caches.bytes());
}

// The live clusters of `level`, as EncodeState writes them.
void WriteWholeLevel(const Level& level, const Level& storylines, ByteWriter* w) {
  w->U64(level.next_serial);
  const std::vector<std::uint32_t> live = LiveSlots(level);
  w->U64(live.size());
  for (std::uint32_t slot : live) {
    const Cluster& c = level.slots[slot];
    WriteCluster(c, ParentSerial(c, level, storylines), w);
  }
}

void WriteCounts(const std::vector<std::pair<std::uint64_t, std::uint32_t>>& df, ByteWriter* w) {
  w->U64(df.size());
  for (const auto& [term, n] : df) {
    w->U64(term);
    w->U32(n);
  }
}

// Applies one level's part of a change record to `level`: serials gone,
// then clusters added or replaced; the level stays in serial order (oldest
// first, as EncodeState writes it).
bool ReadLevelChanges(ByteReader* r, SavedLevel* level, int version) {
  std::uint64_t gone = 0;
  if (!r->U64(&level->next_serial) || !r->Count(&gone, 8)) return false;
  std::unordered_map<std::uint64_t, std::size_t> at;  // serial -> position
  for (std::size_t i = 0; i < level->clusters.size(); ++i) {
    at.emplace(level->clusters[i].cluster.serial, i);
  }
  std::vector<bool> keep(level->clusters.size(), true);
  for (std::uint64_t i = 0; i < gone; ++i) {
    std::uint64_t serial = 0;
    if (!r->U64(&serial)) return false;
    if (auto it = at.find(serial); it != at.end()) keep[it->second] = false;
  }
  std::uint64_t changed = 0;
  if (!r->Count(&changed, 64)) return false;
  std::vector<SavedCluster> added;
  for (std::uint64_t i = 0; i < changed; ++i) {
    SavedCluster c;
    if (!ReadCluster(r, &c.cluster, &c.parent_serial, nullptr, 4)) return false;
    if (auto it = at.find(c.cluster.serial); it != at.end() && keep[it->second]) {
      level->clusters[it->second] = std::move(c);
    } else {
      added.push_back(std::move(c));
    }
  }
  // The kept clusters are in serial order already: only the added ones are
  // sorted, then merged in (sorting the whole level moved every cluster of
  // it, for every record, when a large store was opened).
  auto by_serial = [](const SavedCluster& a, const SavedCluster& b) {
    return a.cluster.serial < b.cluster.serial;
  };
  std::stable_sort(added.begin(), added.end(), by_serial);
  std::vector<SavedCluster> kept;
  kept.reserve(level->clusters.size());
  for (std::size_t i = 0; i < level->clusters.size(); ++i) {
    if (keep[i]) kept.push_back(std::move(level->clusters[i]));
  }
  std::vector<SavedCluster> out;
  out.reserve(kept.size() + added.size());
  std::merge(std::make_move_iterator(kept.begin()), std::make_move_iterator(kept.end()),
             std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()),
             std::back_inserter(out), by_serial);
  level->clusters = std::move(out);
  if (version < 2) return true;
  std::uint64_t refreshed = 0;
  if (!r->Count(&refreshed, 20)) return false;
  for (std::uint64_t i = 0; i < refreshed; ++i) {
    std::uint64_t serial = 0;
    if (!r->U64(&serial)) return false;
    const auto it = std::lower_bound(
        level->clusters.begin(), level->clusters.end(), serial,
        [](const SavedCluster& c, std::uint64_t s) { return c.cluster.serial < s; });
    if (it == level->clusters.end() || it->cluster.serial != serial) return false;
    if (!ReadCaches(r, &it->cluster)) return false;
  }
  return true;
}

}  // namespace

void MarkState(TermSpace* space, const Level& storylines, const Level& stories, SavedMark* mark) {
  bool whole = false;
  space->TakeChangedCounts(&whole);
  FindLevelChanges(storylines, storylines, &mark->storylines, nullptr);
  FindLevelChanges(stories, storylines, &mark->stories, nullptr);
}

bool EncodeSave(TermSpace* space, std::uint64_t seq, std::optional<Timestamp> clock,
                const Level& storylines, const Level& stories, SavedMark* mark,
                std::size_t max_changes, ByteWriter* w) {
  bool df_whole = false;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> df = space->TakeChangedCounts(&df_whole);
  LevelChanges lines;
  LevelChanges stories_changes;
  FindLevelChanges(storylines, storylines, &mark->storylines, &lines);
  FindLevelChanges(stories, storylines, &mark->stories, &stories_changes);
  const std::size_t change_bytes = 128 + df.size() * 12 + lines.Bytes() + stories_changes.Bytes();
  if (change_bytes > max_changes) {
    w->Str(kStateMagic);
    WriteCounters(*space, seq, clock, w);
    if (!df_whole) df = space->df().Items();
    std::sort(df.begin(), df.end());
    WriteCounts(df, w);
    WriteWholeLevel(storylines, storylines, w);
    WriteWholeLevel(stories, storylines, w);
    return true;
  }
  w->Str(kChangesMagic);
  WriteCounters(*space, seq, clock, w);
  std::sort(df.begin(), df.end());
  w->U8(df_whole);
  WriteCounts(df, w);
  WriteLevelChanges(storylines, lines, w);
  WriteLevelChanges(stories, stories_changes, w);
  return false;
}

Status ApplyChanges(std::string_view bytes, SavedState* state, TermSpace* space) {
  auto bad = [] {
    return MakeError(ErrorCode::kInvalidInput, "not a story clusterer change record");
  };
  ByteReader r(bytes);
  std::string magic;
  std::uint64_t docs = 0;
  std::uint64_t counted = 0;
  std::uint8_t has_clock = 0;
  std::int64_t clock = 0;
  if (!r.Str(&magic) || (magic != kChangesMagic && magic != kChangesMagicV1) || !r.U64(&docs) ||
      !r.U64(&counted) || !r.U64(&state->seq) || !r.U8(&has_clock) || !r.I64(&clock)) {
    return bad();
  }
  space->Restore(docs, counted);
  state->clock.reset();
  if (has_clock) state->clock = clock;
  std::uint8_t whole = 0;
  std::uint64_t df_count = 0;
  if (!r.U8(&whole) || !r.Count(&df_count, 12)) return bad();
  if (whole) space->ClearCounts();
  for (std::uint64_t i = 0; i < df_count; ++i) {
    std::uint64_t term = 0;
    std::uint32_t n = 0;
    if (!r.U64(&term) || !r.U32(&n)) return bad();
    space->SetCount(term, n);
  }
  const int version = magic == kChangesMagic ? 2 : 1;
  if (!ReadLevelChanges(&r, &state->storylines, version) ||
      !ReadLevelChanges(&r, &state->stories, version) || !r.AtEnd()) {
    return bad();
  }
  return Ok();
}

void EncodeState(const TermSpace& space, std::uint64_t seq, std::optional<Timestamp> clock,
                 const Level& storylines, const Level& stories, ByteWriter* w) {
  w->Str(kStateMagic);
  WriteCounters(space, seq, clock, w);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> df = space.df().Items();
  std::sort(df.begin(), df.end());
  WriteCounts(df, w);
  WriteWholeLevel(storylines, storylines, w);
  WriteWholeLevel(stories, storylines, w);
}

Result<SavedState> DecodeState(std::string_view bytes, TermSpace* space) {
  auto bad = [] { return MakeError(ErrorCode::kInvalidInput, "not a story clusterer state"); };
  ByteReader r(bytes);
  std::string magic;
  std::uint64_t docs = 0;
  if (!r.Str(&magic) ||
      (magic != kStateMagic && magic != kStateMagicV3 && magic != kStateMagicV2 &&
       magic != kStateMagicV1) ||
      !r.U64(&docs)) {
    return bad();
  }
  std::uint64_t counted = docs;
  const int version = magic == kStateMagic     ? 4
                      : magic == kStateMagicV3 ? 3
                      : magic == kStateMagicV2 ? 2
                                               : 1;
  if (version >= 3 && !r.U64(&counted)) return bad();
  space->Restore(docs, counted);
  SavedState out;
  std::uint8_t has_clock = 0;
  std::int64_t clock = 0;
  std::uint64_t df_count = 0;
  if (!r.U64(&out.seq) || !r.U8(&has_clock) || !r.I64(&clock) || !r.Count(&df_count, 12)) {
    return bad();
  }
  if (has_clock) out.clock = clock;
  for (std::uint64_t i = 0; i < df_count; ++i) {
    std::uint64_t term = 0;
    std::uint32_t n = 0;
    if (!r.U64(&term) || !r.U32(&n)) return bad();
    space->SetCount(term, n);
  }
  const std::function<float(std::uint64_t)> v1_idf = [space](std::uint64_t term) {
    return static_cast<float>(space->Idf(term));
  };
  for (SavedLevel* level : {&out.storylines, &out.stories}) {
    std::uint64_t count = 0;
    if (!r.U64(&level->next_serial) || !r.Count(&count, 64)) return bad();
    level->clusters.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) {
      SavedCluster c;
      if (!ReadCluster(&r, &c.cluster, &c.parent_serial, version == 1 ? &v1_idf : nullptr,
                       version)) {
        return bad();
      }
      level->clusters.push_back(std::move(c));
    }
  }
  if (!r.AtEnd()) return bad();
  return out;
}

}  // namespace storyline::cluster::internal
