#pragma once
// A thin RAII layer over SQLite's C API: a connection, prepared statements with typed
// binds (std::nullopt binds NULL), and transactions. Errors name the database file and
// SQLite's message.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace ecoinfer::study {

// One bindable or readable value.
using SqlValue = std::variant<std::nullptr_t, int64_t, double, std::string>;

class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql, const std::string& file);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::nullptr_t);
  Statement& bind(int i, int64_t v);
  Statement& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Statement& bind(int i, double v);
  Statement& bind(int i, const std::string& v);
  Statement& bind(int i, const char* v) { return bind(i, std::string(v)); }
  Statement& bind(int i, const std::optional<double>& v) { return v ? bind(i, *v) : bind(i, nullptr); }
  Statement& bind(int i, const std::optional<int64_t>& v) { return v ? bind(i, *v) : bind(i, nullptr); }
  Statement& bind(int i, const SqlValue& v);
  // Binds all values in order from index 1.
  template <typename... Ts>
  Statement& bind_all(const Ts&... vs) {
    int i = 1;
    (bind(i++, vs), ...);
    return *this;
  }

  // Advances; false when done.
  bool step();
  // Runs to completion (statements without rows).
  void run();
  void reset();

  int columns() const;
  std::string column_name(int i) const;
  bool is_null(int i) const;
  int64_t int64(int i) const;
  double real(int i) const;
  std::string text(int i) const;
  std::optional<double> opt_real(int i) const;
  std::optional<int64_t> opt_int64(int i) const;
  SqlValue value(int i) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
  std::string file_;
};

class Database {
 public:
  // Opens (creating when `create`) with WAL and synchronous=FULL; read_only opens without
  // writing anything.
  Database(const std::filesystem::path& file, bool create, bool read_only = false);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const std::string& sql);
  Statement prepare(const std::string& sql);
  const std::string& file() const { return file_; }
  sqlite3* handle() { return db_; }
  bool has_table(const std::string& name);

  // BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed without commit().
  class Transaction {
   public:
    explicit Transaction(Database& db);
    ~Transaction();
    void commit();

   private:
    Database& db_;
    bool done_ = false;
  };

 private:
  sqlite3* db_ = nullptr;
  std::string file_;
};

}  // namespace ecoinfer::study
