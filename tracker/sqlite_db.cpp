// sqlite_db.cpp - SQLite connection, statement and transaction handling.
#include "tracker/sqlite_db.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "common/errors.h"

namespace dlaaw::tracker {
namespace {

// A damaged or foreign file is the user's to replace (exit 2), not a service to wait for.
[[noreturn]] void throw_for(int code, const std::string& path, const std::string& message) {
  const int primary = code & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    throw InvalidInput("database " + path + " is damaged or not a dlaaw database: " + message +
                       " (restore it from a backup or give another --db)");
  }
  throw ServiceUnavailable("database " + path + ": " + message);
}

// Switching a new file to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once
// (without the busy handler) while another process holds one: several processes opening the
// same new file together retry here for up to the busy timeout.
void enable_wal(sqlite3* db, const std::string& path) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    const int rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return;
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() > deadline)
      throw_for(rc, path, std::string(sqlite3_errmsg(db)) + " (in: PRAGMA journal_mode=WAL)");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

SqliteDb::SqliteDb(const std::string& path, Mode mode) : path_(path) {
  const int flags =
      mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (const int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
      rc != SQLITE_OK) {
    const std::string reason = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    // A file to be written that cannot be opened is a path the user gave: a missing folder, a
    // folder in the file's place, no permission.
    if (mode == Mode::ReadWrite && (rc & 0xff) == SQLITE_CANTOPEN) {
      throw InvalidInput("database " + path + ": cannot create or open it (" + reason +
                         "): check that its folder exists and is writable");
    }
    throw ServiceUnavailable("database " + path + ": cannot open (" + reason + ")");
  }
  // Readers and the writer wait for each other instead of failing with SQLITE_BUSY.
  sqlite3_busy_timeout(db_, 10000);
  try {
    if (mode == Mode::ReadWrite) {
      enable_wal(db_, path_);
      execute("PRAGMA synchronous=NORMAL");
    }
    execute("PRAGMA foreign_keys=ON");
  } catch (...) {
    sqlite3_close(db_);  // the destructor does not run for a constructor that throws
    throw;
  }
}

SqliteDb::~SqliteDb() { sqlite3_close(db_); }

void SqliteDb::fail(const std::string& what) const {
  throw_for(sqlite3_extended_errcode(db_), path_, what + ": " + sqlite3_errmsg(db_));
}

void SqliteDb::execute(const std::string& sql) {
  char* error = nullptr;
  if (const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error); rc != SQLITE_OK) {
    const std::string reason = error ? error : "unknown error";
    sqlite3_free(error);
    throw_for(rc, path_, reason + " (in: " + sql.substr(0, 60) + ")");
  }
}

void SqliteDb::check_integrity() {
  auto st = prepare("PRAGMA quick_check(1)");
  const std::string verdict = st.step() ? st.text(0) : "no answer";
  if (verdict != "ok") throw_for(SQLITE_CORRUPT, path_, "PRAGMA quick_check: " + verdict);
}

Statement SqliteDb::prepare(const std::string& sql) { return Statement(*this, sql); }
std::int64_t SqliteDb::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
int SqliteDb::changes() const { return sqlite3_changes(db_); }

Statement::Statement(const SqliteDb& db, const std::string& sql) : db_(&db) {
  if (sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
    db.fail("cannot prepare \"" + sql.substr(0, 60) + "\"");
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) db_->fail("bind");
  return *this;
}
Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) db_->fail("bind");
  return *this;
}
Statement& Statement::bind(int index, std::string_view value) {
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    db_->fail("bind");
  }
  return *this;
}
Statement& Statement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) db_->fail("bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail("step");
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }
std::string Statement::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, sqlite3_column_bytes(stmt_, column)) : std::string();
}

Transaction::Transaction(SqliteDb& db) : db_(db) { db_.execute("BEGIN IMMEDIATE"); }
Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.execute("ROLLBACK");
    } catch (...) {
    }
  }
}
void Transaction::commit() {
  db_.execute("COMMIT");
  done_ = true;
}

Savepoint::Savepoint(SqliteDb& db) : db_(db) { db_.execute("SAVEPOINT item"); }
Savepoint::~Savepoint() {
  if (!done_) {
    try {
      db_.execute("ROLLBACK TO item");
      db_.execute("RELEASE item");
    } catch (...) {
    }
  }
}
void Savepoint::release() {
  db_.execute("RELEASE item");
  done_ = true;
}

}  // namespace dlaaw::tracker
