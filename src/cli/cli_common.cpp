#include "cli/cli_common.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

namespace ecoinfer::cli {

namespace {
double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

void add_model_args(CLI::App* cmd, ModelArgs& a, bool with_threads) {
  cmd->add_option("MODEL", a.path, "Hugging Face-style model folder, or a .onnx file")->required();
  cmd->add_option("--mean", a.mean, "per-channel mean (overrides preprocessor_config.json)")->delimiter(',');
  cmd->add_option("--std", a.std, "per-channel std (overrides preprocessor_config.json)")->delimiter(',');
  cmd->add_option("--scale", a.scale, "rescale factor applied to 0-255 pixels (default 1/255)");
  cmd->add_flag("--grayscale", a.grayscale, "feed single-channel images");
  if (with_threads) {
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    a.threads = static_cast<int>(hw);
    cmd->add_option("--threads", a.threads, "compute threads (default: all cores)")->check(CLI::Range(1, 1024));
  }
}

ModelBundle load_model_from_args(const ModelArgs& a) {
  PreprocessingFlags f;
  if (!a.mean.empty()) f.mean = a.mean;
  if (!a.std.empty()) f.std = a.std;
  if (a.scale > 0) f.rescale = a.scale;
  if (a.grayscale) f.grayscale = true;
  return load_model(a.path, f);
}

Progress::Progress(std::string what) : what_(std::move(what)), tty_(isatty(STDERR_FILENO) == 1), start_(now_s()) {}

void Progress::update(int64_t done, int64_t total) {
  if (!tty_ || total <= 0) return;
  const int pct = static_cast<int>(100 * done / total);
  if (pct == last_pct_) return;
  last_pct_ = pct;
  const double el = now_s() - start_;
  const double eta = done > 0 ? el * (total - done) / done : 0;
  constexpr int kWidth = 30;
  const int fill = pct * kWidth / 100;
  std::fprintf(stderr, "\r%s [%.*s%*s] %3d%% %lld/%lld  %.1fs elapsed, %.1fs left ", what_.c_str(), fill,
               "##############################", kWidth - fill, "", pct, static_cast<long long>(done),
               static_cast<long long>(total), el, eta);
  std::fflush(stderr);
}

void Progress::finish() {
  if (tty_ && last_pct_ >= 0) std::fprintf(stderr, "\n");
}

void print_json(const nlohmann::json& j) { std::printf("%s\n", j.dump(2).c_str()); }

}  // namespace ecoinfer::cli
