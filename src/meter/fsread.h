#pragma once
// Small, error-reporting readers for sysfs/procfs files, and the root and
// environment resolution shared by the meters.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ecoinfer::meter {

struct FileText {
  bool ok = false;
  std::string text;  // contents on success
  int err = 0;       // errno on failure
};

FileText read_file(const std::string& path);
// A whole file holding one unsigned integer (trailing newline allowed).
std::optional<uint64_t> parse_u64(const std::string& text);
std::optional<double> parse_double(const std::string& text);
std::string trim(const std::string& s);
std::vector<std::string> split(const std::string& s, char sep);
// "0-3,8,10-11" -> {0,1,2,3,8,10,11}.
std::vector<int> parse_cpu_list(const std::string& s);
std::string errno_text(int err);

// Explicit value if non-empty, else the environment variable if set and non-empty,
// else the fallback.
std::string resolve_setting(const std::string& explicit_value, const char* env_var, const std::string& fallback);
// A positive number from the environment; throws Error when set but not a number.
std::optional<double> env_number(const char* env_var);

}  // namespace ecoinfer::meter
