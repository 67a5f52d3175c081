#pragma once
// Where tests find the repository, the CLI and the shared real data (../shared, which CI has).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tensor.h"

namespace ecoinfer::test {

inline std::filesystem::path source_dir() { return ECOINFER_SOURCE_DIR; }
inline std::filesystem::path shared_dir() {
  if (const char* e = std::getenv("ECOINFER_SHARED_DIR")) return e;
  return source_dir().parent_path() / "shared";
}
inline std::filesystem::path cli_path() { return ECOINFER_CLI_PATH; }

// A fresh folder under the system's temporary folder (mkdtemp: unique across concurrent test
// processes), removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ecoinfer-test-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    if (p == nullptr) std::abort();
    path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

inline nlohmann::json read_json_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

// Names of the committed PyTorch parity fixtures (tests/fixtures/parity/*), sorted.
std::vector<std::string> parity_fixture_names();

// max |y - ref| / max |ref| over float32 tensors: relative to the output's scale, so that
// logits near zero do not turn float rounding into huge element-wise ratios.
double scaled_max_error(const Tensor& y, const Tensor& ref);

// Runs a shell command, returns its exit status and captures stdout (and stderr when asked).
struct CommandResult {
  int status = -1;
  std::string out;
};
CommandResult run_command(const std::string& cmd, bool merge_stderr = true);

}  // namespace ecoinfer::test
