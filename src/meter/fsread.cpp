#include "meter/fsread.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace ecoinfer::meter {

FileText read_file(const std::string& path) {
  FileText out;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    out.err = errno;
    return out;
  }
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      out.err = errno;
      ::close(fd);
      out.text.clear();
      return out;
    }
    if (n == 0) break;
    out.text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  out.ok = true;
  return out;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::optional<uint64_t> parse_u64(const std::string& text) {
  std::string t = trim(text);
  if (t.empty() || t.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

std::optional<double> parse_double(const std::string& text) {
  std::string t = trim(text);
  if (t.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(t.c_str(), &end);
  if (errno != 0 || end != t.c_str() + t.size()) return std::nullopt;
  return v;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) break;
    start = p + 1;
  }
  return out;
}

std::vector<int> parse_cpu_list(const std::string& s) {
  std::vector<int> out;
  for (const std::string& part : split(trim(s), ',')) {
    std::string p = trim(part);
    if (p.empty()) continue;
    size_t dash = p.find('-');
    auto lo = parse_u64(p.substr(0, dash));
    auto hi = dash == std::string::npos ? lo : parse_u64(p.substr(dash + 1));
    if (!lo || !hi || *hi < *lo || *hi > 1u << 20) continue;
    for (uint64_t c = *lo; c <= *hi; ++c) out.push_back(static_cast<int>(c));
  }
  return out;
}

std::string errno_text(int err) { return std::strerror(err); }

std::string resolve_setting(const std::string& explicit_value, const char* env_var, const std::string& fallback) {
  if (!explicit_value.empty()) return explicit_value;
  const char* v = std::getenv(env_var);
  if (v != nullptr && *v != '\0') return v;
  return fallback;
}

std::optional<double> env_number(const char* env_var) {
  const char* v = std::getenv(env_var);
  if (v == nullptr || *v == '\0') return std::nullopt;
  auto d = parse_double(v);
  ECO_CHECK(d && *d >= 0, "{}='{}' is not a non-negative number", env_var, v);
  return d;
}

}  // namespace ecoinfer::meter
