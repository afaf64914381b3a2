// run_annotations.h - tags (key=value) and notes on runs and experiments: what a researcher
// writes down about a run, written by `dlaaw tag` and `dlaaw note`, read by every list.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tracker/run_queries.h"
#include "tracker/sqlite_db.h"

namespace dlaaw::tracker {

struct Tag {
  std::string key, value;
};

// "key=value" as a tag. Keys are 1-64 characters of letters, digits and _ . : / -; values at
// most 256 bytes without control characters. Throws InvalidInput naming `where` and the rule.
Tag parse_tag(const std::string& text, const std::string& where);

// "key=value" or "key" (any value) as a filter; the same rules. Throws InvalidInput.
TagFilter parse_tag_filter(const std::string& text, const std::string& where);

// Sets (adding or replacing) `tags` on run `run`, in one transaction. Throws NotFound for an
// unknown run.
void tag_run(SqliteDb& db, std::int64_t run, const std::vector<Tag>& tags);
// Removes the tags `keys` from run `run`; returns how many it had. Throws NotFound.
int untag_run(SqliteDb& db, std::int64_t run, const std::vector<std::string>& keys);
// Sets the note of run `run` ("" clears it). Notes are at most 10,000 bytes: longer is
// InvalidInput. Throws NotFound for an unknown run.
void note_run(SqliteDb& db, std::int64_t run, const std::string& note);

// The same for experiment `name_or_id`; NotFound "experiment X: no such experiment".
void tag_experiment(SqliteDb& db, const std::string& name_or_id, const std::vector<Tag>& tags);
int untag_experiment(SqliteDb& db, const std::string& name_or_id,
                     const std::vector<std::string>& keys);
void note_experiment(SqliteDb& db, const std::string& name_or_id, const std::string& note);

}  // namespace dlaaw::tracker
