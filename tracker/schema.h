// schema.h - the tracker's SQLite schema, versioned with PRAGMA user_version.
#pragma once

#include "tracker/sqlite_db.h"

namespace dlaaw::tracker {

// The version this build writes.
inline constexpr int kSchemaVersion = 7;

// Brings `db` to kSchemaVersion by applying the forward migrations in one BEGIN IMMEDIATE
// transaction that re-reads the version, from an empty file or from any earlier version, so that
// processes opening a new file together neither fail nor migrate twice. Throws ServiceUnavailable
// for a database newer than this build ("upgrade dlaaw").
void migrate(SqliteDb& db);

// Applies migrations up to `version` only (tests build older databases with it).
void migrate_to(SqliteDb& db, int version);

int schema_version(SqliteDb& db);

}  // namespace dlaaw::tracker
