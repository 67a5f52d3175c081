#include "test_paths.h"

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ecoinfer::test {

std::vector<std::string> parity_fixture_names() {
  std::vector<std::string> v;
  for (auto& e : std::filesystem::directory_iterator(source_dir() / "tests/fixtures/parity"))
    if (e.is_directory()) v.push_back(e.path().filename().string());
  std::sort(v.begin(), v.end());
  return v;
}

double scaled_max_error(const Tensor& y, const Tensor& ref) {
  double err = 0, scale = 0;
  for (int64_t i = 0; i < ref.numel(); ++i) {
    err = std::max(err, std::abs(double(y.data<float>()[i]) - ref.data<float>()[i]));
    scale = std::max(scale, std::abs(double(ref.data<float>()[i])));
  }
  return err / std::max(scale, 1e-12);
}

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
