#include "study/sqlite_db.h"

#include <sqlite3.h>

#include "core/error.h"

namespace ecoinfer::study {

namespace {
[[noreturn]] void sql_fail(sqlite3* db, const std::string& file, const std::string& what) {
  const int code = db ? sqlite3_extended_errcode(db) : 0;
  const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
  if ((code & 0xff) == SQLITE_FULL) fail("{}: disk full while {} ({})", file, what, msg);
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    fail("{}: the store is locked by another process while {} ({}); is another `ecoinfer study` running on this folder?", file, what,
         msg);
  if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT)
    fail("{}: not a valid SQLite study store ({})", file, msg);
  fail("{}: {} failed: {}", file, what, msg);
}
}  // namespace

Statement::Statement(sqlite3* db, const std::string& sql, const std::string& file) : db_(db), file_(file) {
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &st_, nullptr) != SQLITE_OK)
    sql_fail(db_, file_, "preparing \"" + sql.substr(0, 60) + "\"");
}
Statement::~Statement() { sqlite3_finalize(st_); }

Statement& Statement::bind(int i, std::nullptr_t) {
  sqlite3_bind_null(st_, i);
  return *this;
}
Statement& Statement::bind(int i, int64_t v) {
  sqlite3_bind_int64(st_, i, v);
  return *this;
}
Statement& Statement::bind(int i, double v) {
  sqlite3_bind_double(st_, i, v);
  return *this;
}
Statement& Statement::bind(int i, const std::string& v) {
  sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind(int i, const SqlValue& v) {
  std::visit([&](const auto& x) { bind(i, x); }, v);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sql_fail(db_, file_, "a statement");
}
void Statement::run() {
  while (step()) {
  }
  reset();
}
void Statement::reset() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
}
int Statement::columns() const { return sqlite3_column_count(st_); }
std::string Statement::column_name(int i) const { return sqlite3_column_name(st_, i); }
bool Statement::is_null(int i) const { return sqlite3_column_type(st_, i) == SQLITE_NULL; }
int64_t Statement::int64(int i) const { return sqlite3_column_int64(st_, i); }
double Statement::real(int i) const { return sqlite3_column_double(st_, i); }
std::string Statement::text(int i) const {
  const unsigned char* t = sqlite3_column_text(st_, i);
  return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(st_, i)) : std::string();
}
std::optional<double> Statement::opt_real(int i) const {
  if (is_null(i)) return std::nullopt;
  return real(i);
}
std::optional<int64_t> Statement::opt_int64(int i) const {
  if (is_null(i)) return std::nullopt;
  return int64(i);
}
SqlValue Statement::value(int i) const {
  switch (sqlite3_column_type(st_, i)) {
    case SQLITE_NULL: return nullptr;
    case SQLITE_INTEGER: return int64(i);
    case SQLITE_FLOAT: return real(i);
    default: return text(i);
  }
}

Database::Database(const std::filesystem::path& file, bool create, bool read_only) : file_(file.string()) {
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create && !read_only) flags |= SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(file_.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    fail("{}: cannot open the study store: {}", file_, msg);
  }
  // Wait for a concurrent writer (a merge reading a shard) rather than failing at once.
  sqlite3_busy_timeout(db_, 10000);
  try {
    // Touch the file so that a non-database is reported here, by name.
    exec("SELECT count(*) FROM sqlite_master");
    if (!read_only) {
      exec("PRAGMA journal_mode=WAL");
      exec("PRAGMA synchronous=FULL");
      exec("PRAGMA foreign_keys=ON");
    }
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}
Database::~Database() { sqlite3_close(db_); }

void Database::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    sqlite3_free(err);
    sql_fail(db_, file_, "\"" + sql.substr(0, 60) + "\"");
  }
}
Statement Database::prepare(const std::string& sql) { return Statement(db_, sql, file_); }

bool Database::has_table(const std::string& name) {
  Statement st = prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?");
  st.bind(1, name);
  return st.step();
}

Database::Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
Database::Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}
void Database::Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace ecoinfer::study
