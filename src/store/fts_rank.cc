#include "store/fts_rank.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "store/fts_tokenizer.h"

namespace storyline::store {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
// FTS5's floor for a phrase in more than half the rows, so that such a
// phrase still ranks a row holding it above one that does not.
constexpr double kMinIdf = 1e-6;

void Rank(const Fts5ExtensionApi* api, Fts5Context* ctx, sqlite3_context* out, int nargs,
          sqlite3_value** args) {
  const int columns = api->xColumnCount(ctx);
  const int phrases = api->xPhraseCount(ctx);
  sqlite3_int64 rows = 0;
  sqlite3_int64 tokens = 0;
  int rc = api->xRowCount(ctx, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(ctx, -1, &tokens);
  int length = 0;
  if (rc == SQLITE_OK) rc = api->xColumnSize(ctx, -1, &length);
  int instances = 0;
  if (rc == SQLITE_OK) rc = api->xInstCount(ctx, &instances);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(out, rc);
    return;
  }
  // Weighted occurrences of each phrase in this row.
  std::vector<double> freq(static_cast<std::size_t>(phrases), 0.0);
  for (int i = 0; i < instances; ++i) {
    int phrase = 0;
    int column = 0;
    int offset = 0;
    if (api->xInst(ctx, i, &phrase, &column, &offset) != SQLITE_OK) continue;
    const double weight = column < nargs ? sqlite3_value_double(args[column]) : 1.0;
    freq[static_cast<std::size_t>(phrase)] += weight;
  }
  const double n_rows = static_cast<double>(std::max<sqlite3_int64>(rows, 1));
  const double avg_length = std::max(1.0, static_cast<double>(tokens) / n_rows);
  const double norm = kK1 * (1.0 - kB + kB * static_cast<double>(length) / avg_length);
  double score = 0;
  for (int p = 0; p < phrases; ++p) {
    const double f = freq[static_cast<std::size_t>(p)];
    if (f <= 0) continue;
    const int arg = columns + p;
    const double holding =
        arg < nargs ? std::clamp(sqlite3_value_double(args[arg]), 0.0, n_rows) : n_rows / 2;
    const double idf = std::max(kMinIdf, std::log((n_rows - holding + 0.5) / (holding + 0.5)));
    score += idf * f * (kK1 + 1.0) / (f + norm);
  }
  sqlite3_result_double(out, score);
}

}  // namespace

Status RegisterRankFunction(sqlite3* db) {
  Result<fts5_api*> api = Fts5ApiOf(db);
  if (!api) return Fail(api.error());
  const int rc = (*api)->xCreateFunction(*api, "storyline_rank", nullptr, &Rank, nullptr);
  if (rc != SQLITE_OK) {
    return MakeError(ErrorCode::kStore,
                     std::string("cannot register the search ranking: ") + sqlite3_errstr(rc));
  }
  return Ok();
}

}  // namespace storyline::store
