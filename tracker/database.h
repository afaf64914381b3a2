// database.h - opening the tracker database for reading (the one check that it exists and has
// this build's schema, for every reader: the report, `dlaaw runs`, ...) and for a user's edits.
#pragma once

#include <memory>
#include <string>

#include "tracker/sqlite_db.h"

namespace dlaaw::tracker {

// Opens `path` read-only (queries never create or change a database). Throws ServiceUnavailable
// when it does not exist yet ("runs are recorded by dlaaw run and dlaaw tracker") or has another
// schema version ("open it once with dlaaw tracker or dlaaw run to migrate it").
std::unique_ptr<SqliteDb> open_for_reading(const std::string& path);

// Opens an existing `path` for the user's edits (tags, notes, archive, delete), migrating it to
// this build's schema. Throws ServiceUnavailable when it does not exist (an edit never creates a
// database) or cannot be opened.
std::unique_ptr<SqliteDb> open_for_editing(const std::string& path);

}  // namespace dlaaw::tracker
