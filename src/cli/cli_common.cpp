#include "cli/cli_common.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <thread>

#include "core/error.h"
#include "data/dataset_index.h"

namespace ecoinfer::cli {

namespace {
double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::optional<double> parse_number(std::string s) {
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Levenshtein distance, for "did you mean".
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string command_list(CLI::App& app) {
  std::string s = "commands:\n";
  for (const CLI::App* sub : app.get_subcommands({})) {
    std::string d = sub->get_description();
    if (d.size() > 90) d = d.substr(0, d.rfind(' ', 88)) + " …";
    s += fmt::format("  {:<11} {}\n", sub->get_name(), d);
  }
  return s + "Run 'ecoinfer COMMAND --help' for a command's options.\n";
}

// One grayscale channel for the model (--grayscale): refused when the model's graph says it
// takes more; with the channel count unknown (a bare .onnx), mean and std collapse to one
// value when they hold one value repeated.
void apply_grayscale(ModelBundle& m) {
  const ValueInfo& in = m.graph.inputs[0];
  if (in.has_shape && in.shape.size() == 4 && in.shape[1].known()) {
    ECO_CHECK(in.shape[1].value == 1,
              "{}: --grayscale, but the model's input '{}' takes {} channels ({}); --grayscale is for models that take "
              "one",
              m.path.string(), in.name, in.shape[1].value, in.shape[1].value == 3 ? "RGB" : "not grayscale");
    return;
  }
  for (std::vector<float>* v : {&m.pre.mean, &m.pre.std}) {
    ECO_CHECK(std::all_of(v->begin(), v->end(), [&](float x) { return x == v->front(); }),
              "{}: --grayscale: image_{} holds {} different values (one per RGB channel); give one value with --{}",
              m.path.string(), v == &m.pre.mean ? "mean" : "std", v->size(), v == &m.pre.mean ? "mean" : "std");
    v->resize(1);
  }
  m.pre.channels = 1;
}
}  // namespace

CLI::Validator finite_number(double lo, double hi, Bound lower) {
  std::string desc = lower == Bound::exclusive ? fmt::format("> {}", lo) : lo > -DBL_MAX ? fmt::format(">= {}", lo) : "";
  if (hi < DBL_MAX) desc += fmt::format("{}<= {}", desc.empty() ? "" : ", ", hi);
  return CLI::Validator(
      [=](const std::string& in) -> std::string {
        const std::optional<double> v = parse_number(in);
        if (!v) return fmt::format("'{}' is not a number", in);
        if (!std::isfinite(*v)) return fmt::format("{} is not a finite number", in);
        if (lower == Bound::exclusive && *v <= lo) return fmt::format("{} must be greater than {}", in, lo);
        if (*v < lo) return fmt::format("{} is below the minimum, {}", in, lo);
        if (*v > hi) return fmt::format("{} is above the maximum, {}", in, hi);
        return {};
      },
      desc.empty() ? "finite" : desc, "finite_number");
}

CLI::Validator finite_nonzero() {
  return CLI::Validator(
      [](const std::string& in) -> std::string {
        const std::optional<double> v = parse_number(in);
        if (!v) return fmt::format("'{}' is not a number", in);
        if (!std::isfinite(*v)) return fmt::format("{} is not a finite number", in);
        if (*v == 0) return "must not be 0 (images are divided by it)";
        return {};
      },
      "!= 0", "finite_nonzero");
}

CLI::Validator whole_number(int64_t lo, int64_t hi) {
  std::string desc = fmt::format(">= {}", lo);
  if (hi < INT64_MAX) desc = fmt::format("{}..{}", lo, hi);
  return CLI::Validator(
      [=](const std::string& in) -> std::string {
        std::string s = !in.empty() && in[0] == '+' ? in.substr(1) : in;
        int64_t v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc::result_out_of_range) return fmt::format("{} is out of range", in);
        if (ec != std::errc() || end != s.data() + s.size() || s.empty())
          return fmt::format("'{}' is not a whole number", in);
        if (v < lo) return fmt::format("{} is below the minimum, {}", in, lo);
        if (v > hi) return fmt::format("{} is above the maximum, {}", in, hi);
        return {};
      },
      desc, "whole_number");
}

namespace {
// MODEL and --onnx-file: what every command that loads a model takes.
void add_model_option(CLI::App* cmd, ModelArgs& a) {
  cmd->add_option("MODEL", a.path, "Hugging Face-style model folder, .onnx file, or Hugging Face Hub id (org/name[@revision])")
      ->required();
  cmd->add_option("--onnx-file", a.onnx_file,
                  "the ONNX file of a model folder or Hub repository to load, when not model.onnx (e.g. onnx/model_quantized.onnx)");
}
}  // namespace

namespace {
void add_threads_option(CLI::App* cmd, ModelArgs& a) {
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  a.threads = static_cast<int>(hw);
  cmd->add_option("--threads", a.threads, "compute threads (default: all cores)")->check(whole_number(1, 1024));
}
}  // namespace

void add_model_args(CLI::App* cmd, ModelArgs& a, bool with_threads) {
  add_model_option(cmd, a);
  cmd->add_option("--mean", a.mean, "per-channel mean (overrides preprocessor_config.json)")
      ->delimiter(',')
      ->check(finite_number())
      ->default_str("");
  cmd->add_option("--std", a.std, "per-channel std (overrides preprocessor_config.json)")
      ->delimiter(',')
      ->check(finite_nonzero())
      ->default_str("");
  cmd->add_option("--scale", a.scale, "rescale factor applied to 0-255 pixels (default 1/255)")
      ->check(finite_number(0, DBL_MAX, Bound::exclusive));
  cmd->add_flag("--grayscale", a.grayscale, "feed single-channel images");
  if (with_threads) add_threads_option(cmd, a);
}

void add_tensor_model_args(CLI::App* cmd, ModelArgs& a) {
  add_model_option(cmd, a);
  add_threads_option(cmd, a);
}

ModelBundle load_tensor_model_from_args(const ModelArgs& a) {
  PreprocessingFlags f;
  f.onnx_file = a.onnx_file;
  return load_model(a.path, f, ModelFeed::tensors);
}

ModelBundle load_model_from_args(const ModelArgs& a) {
  PreprocessingFlags f;
  if (!a.mean.empty()) f.mean = a.mean;
  if (!a.std.empty()) f.std = a.std;
  if (a.scale) f.rescale = *a.scale;
  f.onnx_file = a.onnx_file;
  // --grayscale is applied here, after loading, so that a mismatch with the model's own
  // channel count is reported as such (not as a mean/std length error).
  ModelBundle m = load_model(a.path, f);
  if (a.grayscale) apply_grayscale(m);
  return m;
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

nlohmann::json prepare_json(const PrepareReport& r, bool kernels) {
  auto list = [](const std::vector<KernelFallback>& xs) {
    nlohmann::json f = nlohmann::json::array();
    for (const KernelFallback& x : xs)
      f.push_back({{"node", x.node}, {"op", x.op_type}, {"input_shapes", x.input_shapes}, {"declined", x.declined},
                   {"not_on_this_cpu", x.not_on_this_cpu}});
    return f;
  };
  nlohmann::json j{{"seconds", r.seconds}, {"nodes", r.nodes}, {"reference_fallbacks", list(r.fallbacks)},
                   {"reference_for_lack_of_cpu_features", list(r.cpu_limited)}, {"chosen_each_run", r.rechecked}};
  if (kernels) j["kernels"] = r.kernels;
  return j;
}

void print_prepare(const PrepareReport& r) {
  std::printf("prepare      %.3f s, %zu nodes, reference fallbacks: %s\n", r.seconds, r.nodes,
              r.fallbacks.empty() ? "none" : std::to_string(r.fallbacks.size()).c_str());
  auto joined = [](const std::vector<std::string>& v) {
    std::string s;
    for (auto& d : v) s += (s.empty() ? "" : ", ") + d;
    return s;
  };
  for (const KernelFallback& x : r.fallbacks)
    std::printf("  fallback   %s (%s) %s: reference kernel; declined by %s%s%s\n", x.node.c_str(), x.op_type.c_str(),
                x.input_shapes.c_str(), joined(x.declined).c_str(), x.not_on_this_cpu.empty() ? "" : "; not on this CPU: ",
                joined(x.not_on_this_cpu).c_str());
  if (r.cpu_limited.empty()) return;
  // Grouped by op: on a CPU without AVX-512 these are many, and all for the same reason.
  std::map<std::string, std::pair<int, std::string>> by_op;
  for (const KernelFallback& x : r.cpu_limited) {
    auto& [count, why] = by_op[x.op_type];
    ++count;
    why = joined(x.not_on_this_cpu);
  }
  std::printf("  this CPU   %zu node(s) on reference kernels because their fast kernels need a CPU feature it lacks:\n",
              r.cpu_limited.size());
  for (const auto& [op, cw] : by_op) std::printf("    %-24s x%-4d %s\n", op.c_str(), cw.first, cw.second.c_str());
}

int handle_parse_error(CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  const std::string first = argc >= 2 ? printable(argv[1], 60) : "";
  if (first == "help") {
    for (CLI::App* sub : app.get_subcommands({}))
      if (argc >= 3 && sub->get_name() == argv[2]) {
        std::cout << sub->help();
        return 0;
      }
    std::cout << app.help();
    return 0;
  }
  // --help, --version, or an error inside a recognised command: CLI11's own report.
  if (e.get_exit_code() == 0 || !app.get_subcommands().empty()) return app.exit(e);
  std::string what;
  if (first.empty()) {
    what = "no command given";
  } else if (first[0] == '-') {
    what = fmt::format("unknown option '{}' (options go after the command)", first);
  } else {
    what = fmt::format("unknown command '{}'", first);
    for (const CLI::App* sub : app.get_subcommands({})) {
      const std::string& n = sub->get_name();
      if (first.rfind(n, 0) == 0 || n.rfind(first, 0) == 0 || edit_distance(first, n) <= 2) {
        what += fmt::format(" (did you mean '{}'?)", n);
        break;
      }
    }
  }
  std::cerr << "ecoinfer: error: " << what << "\n" << command_list(app);
  return e.get_exit_code();
}

}  // namespace ecoinfer::cli
