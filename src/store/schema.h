// The store's schema: the migrations that build it, version by version,
// and the step that brings an opened file up to date.
#ifndef STORYLINE_STORE_SCHEMA_H_
#define STORYLINE_STORE_SCHEMA_H_

#include <sqlite3.h>

#include "storyline/core/result.h"

namespace storyline::store {

// Brings the schema of `db` to Store::kSchemaVersion, each migration in the
// same transaction as its version bump. Safe against another process
// opening the same file: the write lock is taken before the version is read
// again, so exactly one of them migrates. Errors: kUnsupported for a schema
// newer than this build, kStore when a migration fails (nothing applied).
Status MigrateSchema(sqlite3* db);

}  // namespace storyline::store

#endif  // STORYLINE_STORE_SCHEMA_H_
