#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/tactic_args.h"
#include "runtime/executor.h"

namespace ecoinfer::cli {

namespace {
double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  // Linear interpolation between closest ranks (numpy's default).
  const double pos = p / 100.0 * (v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}
}  // namespace

void add_bench_command(CLI::App& app) {
  struct Args {
    ModelArgs model;
    int batch = 1;
    double seconds = 3;
    double warmup = 0.5;
    bool json = false;
    bool profile = false;
    std::vector<int> input_size;  // height, width for a model whose input size is dynamic
    TacticArgs tactics;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("bench", "latency percentiles and throughput on synthetic input");
  add_model_args(cmd, args->model);
  cmd->add_option("--batch", args->batch, "images per run")->check(whole_number(1, 65536));
  cmd->add_option("--seconds", args->seconds, "measured duration")->check(finite_number(0.01, 86400.0));
  cmd->add_option("--warmup", args->warmup, "warm-up seconds, not measured (at least 3 runs)")
      ->check(finite_number(0.0, 3600.0));
  cmd->add_flag("--json", args->json, "print one JSON object");
  add_tactic_args(cmd, args->tactics);
  cmd->add_flag("--profile", args->profile, "time every op type (adds overhead; eager executor)");
  cmd->add_option("--input-size", args->input_size,
                  "H,W of the synthetic images, for a model whose height and width are dynamic and not fixed by "
                  "preprocessor_config.json")
      ->delimiter(',')
      ->expected(2)
      ->check(CLI::Range(1, 65536));
  cmd->callback([args] {
    using Clock = std::chrono::steady_clock;
    ModelBundle m = load_model_from_args(args->model);
    const TacticContext tactics = apply_tactic_args(m, args->tactics);
    if (!args->input_size.empty()) {
      ECO_CHECK(m.pre.height <= 0 || m.pre.size_from_config ||
                    (m.pre.height == args->input_size[0] && m.pre.width == args->input_size[1]),
                "{}: --input-size {}x{} differs from the model's fixed input size {}x{}", m.onnx_path.string(),
                args->input_size[0], args->input_size[1], m.pre.height, m.pre.width);
      m.pre.height = args->input_size[0];
      m.pre.width = args->input_size[1];
    }
    std::vector<Tensor> inputs;
    std::vector<Shape> input_shapes;
    std::mt19937 rng(0);
    std::normal_distribution<float> nd;
    for (size_t k = 0; k < m.graph.inputs.size(); ++k) {
      const ValueInfo& v = m.graph.inputs[k];
      // Dynamic dimensions are never guessed: the image size comes from the model, its
      // preprocessor_config.json or --input-size.
      const std::optional<Shape> shape = concrete_input_shape(m, k, args->batch);
      ECO_CHECK(shape, "{}: input '{}' {} has dynamic dimensions that preprocessor_config.json does not fix; give the "
                "image size with --input-size H,W", m.onnx_path.string(), v.name, v.shape_str());
      const Shape& s = *shape;
      input_shapes.push_back(s);
      ECO_CHECK(v.dtype == DType::f32, "{}: input '{}' is {}; bench feeds float32 only", m.onnx_path.string(), v.name,
                dtype_name(v.dtype));
      Tensor t = Tensor::empty(DType::f32, s);
      for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = nd(rng);
      inputs.push_back(t);
    }
    OpProfile profile;
    RunOptions ro{args->model.threads, false};
    std::unique_ptr<Executor> exec = make_executor(m.graph, tactics.executor, ro);
    // Planning, kernel choice and weight packing once, before any timed run.
    const PrepareReport prep = exec->prepare(input_shapes);
    auto run_for = [&](double seconds, int min_runs, std::vector<double>* lat) {
      const auto start = Clock::now();
      for (int i = 0;; ++i) {
        const auto t0 = Clock::now();
        exec->run(inputs);
        const auto t1 = Clock::now();
        if (lat) lat->push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        if (i + 1 >= min_runs && std::chrono::duration<double>(t1 - start).count() >= seconds) break;
      }
      return std::chrono::duration<double>(Clock::now() - start).count();
    };
    run_for(args->warmup, 3, nullptr);
    if (args->profile) {
      ro.profile = &profile;
      exec = make_executor(m.graph, tactics.executor, ro);
      exec->prepare(input_shapes);  // not profiled
      profile = {};
    }
    std::vector<double> lat;
    const double total = run_for(args->seconds, 5, &lat);
    double sum = 0;
    for (double l : lat) sum += l;
    const double ips = args->batch * lat.size() / total;
    nlohmann::json j{{"model", m.path.string()}, {"batch", args->batch}, {"threads", args->model.threads},
                     {"runs", lat.size()}, {"p50_ms", percentile(lat, 50)}, {"p90_ms", percentile(lat, 90)},
                     {"p99_ms", percentile(lat, 99)}, {"mean_ms", sum / lat.size()},
                     {"min_ms", *std::min_element(lat.begin(), lat.end())}, {"images_per_s", ips},
                     {"executor", executor_name(tactics.executor)}, {"input_shapes", input_shapes}};
    add_tactic_json(j, args->tactics, tactics.results);
    j["prepare"] = prepare_json(prep, false);
    if (args->profile) {
      double prof_total = 0;
      for (auto& [k, v] : profile.seconds_by_op) prof_total += v;
      std::vector<std::pair<double, std::string>> rows;
      for (auto& [k, v] : profile.seconds_by_op) rows.emplace_back(v, k);
      std::sort(rows.rbegin(), rows.rend());
      for (auto& [v, k] : rows) {
        j["profile_ms_per_run"][k] = 1000 * v / lat.size();
        if (!args->json)
          std::printf("  %-48s %8.3f ms/run %5.1f%%  (%lld calls)\n", k.c_str(), 1000 * v / lat.size(), 100 * v / prof_total,
                      static_cast<long long>(profile.calls_by_op[k] / static_cast<int64_t>(lat.size())));
      }
    }
    if (args->json) {
      print_json(j);
      return;
    }
    std::printf("model        %s\n", m.path.string().c_str());
    print_tactic_lines(tactics.results);
    print_prepare(prep);
    for (size_t k = 0; k < m.graph.inputs.size(); ++k)
      std::printf("input        %s %s%s\n", m.graph.inputs[k].name.c_str(), shape_str(input_shapes[k]).c_str(),
                  k == 0 && m.pre.size_from_config ? " (height and width from preprocessor_config.json)" : "");
    std::printf("batch %d, threads %d, %zu runs in %.2f s\n", args->batch, args->model.threads, lat.size(), total);
    std::printf("latency ms   p50 %.3f  p90 %.3f  p99 %.3f  mean %.3f\n", percentile(lat, 50), percentile(lat, 90),
                percentile(lat, 99), sum / lat.size());
    std::printf("throughput   %.1f images/s\n", ips);
  });
}

}  // namespace ecoinfer::cli
