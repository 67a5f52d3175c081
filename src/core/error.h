#pragma once
// One exception type for every user-facing failure: the message names the file,
// node or field at fault so the CLI can print it as is and exit non-zero.
#include <stdexcept>
#include <string>
#include <fmt/format.h>

namespace ecoinfer {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

template <typename... Args>
[[noreturn]] inline void fail(fmt::format_string<Args...> f, Args&&... args) {
  throw Error(fmt::format(f, std::forward<Args>(args)...));
}

#define ECO_CHECK(cond, ...)                 \
  do {                                       \
    if (!(cond)) ::ecoinfer::fail(__VA_ARGS__); \
  } while (0)

}  // namespace ecoinfer
