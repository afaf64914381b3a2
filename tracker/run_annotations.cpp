// run_annotations.cpp - tag and note validation and their writes.
#include "tracker/run_annotations.h"

#include <algorithm>
#include <cctype>

#include "common/errors.h"
#include "common/utf8.h"

namespace dlaaw::tracker {
namespace {

constexpr std::size_t kMaxKey = 64, kMaxValue = 256, kMaxNote = 10000;

void check_key(const std::string& key, const std::string& where) {
  const bool ok =
      !key.empty() && key.size() <= kMaxKey && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':' ||
               c == '/' || c == '-';
      });
  if (!ok) {
    throw InvalidInput(where + ": tag key \"" + key +
                       "\" must be 1-64 letters, digits or _ . : / - (as in key=value)");
  }
}

void check_text(const std::string& text, std::size_t limit, const std::string& what,
                const std::string& where) {
  if (text.size() > limit) {
    throw InvalidInput(where + ": " + what + " is " + std::to_string(text.size()) +
                       " bytes, at most " + std::to_string(limit));
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\t')
      throw InvalidInput(where + ": " + what + " holds a control character");
  }
  // Stored as is, it would break every JSON page and export that shows the run.
  if (first_invalid_utf8(text) != std::string::npos)
    throw InvalidInput(where + ": " + what + " is not valid UTF-8");
}

void require_run(SqliteDb& db, std::int64_t run) {
  auto st = db.prepare("SELECT 1 FROM runs WHERE id = ?");
  st.bind(1, run);
  if (!st.step()) throw NotFound("run " + std::to_string(run) + ": no such run");
}

std::int64_t experiment_id(SqliteDb& db, const std::string& name_or_id) {
  auto st = db.prepare("SELECT id FROM experiments WHERE name = ? OR CAST(id AS TEXT) = ?");
  st.bind(1, name_or_id).bind(2, name_or_id);
  if (!st.step()) throw NotFound("experiment " + name_or_id + ": no such experiment");
  return st.integer(0);
}

// The statements of one owner table (runs or experiments) and its tag table.
struct Owner {
  const char* tags_table;
  const char* id_column;
  const char* table;
};
constexpr Owner kRun{"run_tags", "run_id", "runs"};
constexpr Owner kExperiment{"experiment_tags", "experiment_id", "experiments"};

void put_tags(SqliteDb& db, const Owner& o, std::int64_t id, const std::vector<Tag>& tags) {
  Transaction t(db);
  auto st = db.prepare(std::string("INSERT OR REPLACE INTO ") + o.tags_table + " (" + o.id_column +
                       ", key, value) VALUES (?, ?, ?)");
  for (const auto& tag : tags) st.bind(1, id).bind(2, tag.key).bind(3, tag.value).run();
  t.commit();
}

int drop_tags(SqliteDb& db, const Owner& o, std::int64_t id, const std::vector<std::string>& keys) {
  Transaction t(db);
  auto st = db.prepare(std::string("DELETE FROM ") + o.tags_table + " WHERE " + o.id_column +
                       " = ? AND key = ?");
  int removed = 0;
  for (const auto& key : keys) {
    st.bind(1, id).bind(2, key).run();
    removed += db.changes();
  }
  t.commit();
  return removed;
}

void put_note(SqliteDb& db, const Owner& o, std::int64_t id, const std::string& note) {
  check_text(note, kMaxNote, "the note", "note");
  db.prepare(std::string("UPDATE ") + o.table + " SET note = ? WHERE id = ?")
      .bind(1, note.empty() ? std::nullopt : std::optional(note))
      .bind(2, id)
      .run();
}

}  // namespace

Tag parse_tag(const std::string& text, const std::string& where) {
  const auto eq = text.find('=');
  if (eq == std::string::npos)
    throw InvalidInput(where + ": \"" + text + "\" is not a tag (give key=value)");
  Tag tag{text.substr(0, eq), text.substr(eq + 1)};
  check_key(tag.key, where);
  check_text(tag.value, kMaxValue, "the value of tag " + tag.key, where);
  return tag;
}

TagFilter parse_tag_filter(const std::string& text, const std::string& where) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) {
    check_key(text, where);
    return {text, std::nullopt};
  }
  const Tag tag = parse_tag(text, where);
  return {tag.key, tag.value};
}

void tag_run(SqliteDb& db, std::int64_t run, const std::vector<Tag>& tags) {
  require_run(db, run);
  put_tags(db, kRun, run, tags);
}

int untag_run(SqliteDb& db, std::int64_t run, const std::vector<std::string>& keys) {
  require_run(db, run);
  return drop_tags(db, kRun, run, keys);
}

void note_run(SqliteDb& db, std::int64_t run, const std::string& note) {
  require_run(db, run);
  put_note(db, kRun, run, note);
}

void tag_experiment(SqliteDb& db, const std::string& name_or_id, const std::vector<Tag>& tags) {
  put_tags(db, kExperiment, experiment_id(db, name_or_id), tags);
}

int untag_experiment(SqliteDb& db, const std::string& name_or_id,
                     const std::vector<std::string>& keys) {
  return drop_tags(db, kExperiment, experiment_id(db, name_or_id), keys);
}

void note_experiment(SqliteDb& db, const std::string& name_or_id, const std::string& note) {
  put_note(db, kExperiment, experiment_id(db, name_or_id), note);
}

}  // namespace dlaaw::tracker
