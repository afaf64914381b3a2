// sqlite_db.h - RAII handles for a SQLite database and its prepared statements.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace dlaaw::tracker {

class Statement;

// One connection. Opened in WAL mode with a busy timeout, so that a reader (the report) and the
// writer (the tracker) never see "database is locked". Throws InvalidInput naming the file and
// SQLite's message when the file is not a database or is damaged (SQLITE_NOTADB, SQLITE_CORRUPT),
// and ServiceUnavailable when it cannot be opened and on any other SQLite error.
class SqliteDb {
 public:
  enum class Mode { ReadWrite, ReadOnly };
  explicit SqliteDb(const std::string& path, Mode mode = Mode::ReadWrite);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs statements that take no parameters (schema, pragmas).
  void execute(const std::string& sql);
  Statement prepare(const std::string& sql);
  std::int64_t last_insert_id() const;
  int changes() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  // PRAGMA quick_check; throws InvalidInput naming the file and the first problem unless "ok".
  void check_integrity();

  [[noreturn]] void fail(const std::string& what) const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// A prepared statement; bind() by 1-based index, step() row by row, reset() to run it again.
class Statement {
 public:
  Statement(const SqliteDb& db, const std::string& sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind_null(int index);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Advances to the next row: true while there is one.
  bool step();
  // Runs a statement that returns no rows.
  void run() {
    step();
    reset();
  }
  void reset();

  bool is_null(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;

 private:
  const SqliteDb* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if the scope is left by an exception.
class Transaction {
 public:
  explicit Transaction(SqliteDb& db);
  ~Transaction();
  void commit();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

// SAVEPOINT ... RELEASE inside a transaction: undone alone (ROLLBACK TO) if the scope is left by an
// exception, so that one bad item of a batch leaves no partial rows behind.
class Savepoint {
 public:
  explicit Savepoint(SqliteDb& db);
  ~Savepoint();
  void release();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace dlaaw::tracker
