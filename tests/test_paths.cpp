#include "test_paths.h"

#include <sys/wait.h>

#include <cstdio>

namespace ecoinfer::test {

CommandResult run_command(const std::string& cmd, bool merge_stderr) {
  CommandResult r;
  FILE* p = popen((cmd + (merge_stderr ? " 2>&1" : "")).c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

}  // namespace ecoinfer::test
