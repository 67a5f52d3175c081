// Sparse against dense Linear layers, one kernel at a time: for each shape and weight
// sparsity, the median time of the dense FusedLinear kernel (oneDNN matmul) and of the sparse
// kernel (`f32-linear-sparse-avx512`) on the same random pruned weight, alternating calls.
// Shows where sparsity pays and where it does not (the sparse tactic's default threshold,
// docs/tactics.md). Prints one JSON object (stdout); build with
// `cmake --build build --target linear_sparse_bench`.
//
// Usage: linear_sparse_bench [--threads N] [--reps N] [--only SHAPE-SUBSTRING]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ops/registry.h"

using namespace ecoinfer;

namespace {

const KernelImpl& kernel(const std::string& name) {
  for (const KernelImpl& k : find_op(kEcoDomain, "FusedLinear")->fast)
    if (k.name == name) return k;
  std::fprintf(stderr, "kernel %s not registered\n", name.c_str());
  std::exit(2);
}

Tensor random_tensor(Shape s, uint32_t seed, double keep) {
  Tensor t = Tensor::empty(DType::f32, s);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.f, 1.f), p(0.f, 1.f);
  float* d = t.data<float>();
  for (int64_t i = 0; i < t.numel(); ++i) d[i] = p(rng) < keep ? u(rng) : 0.f;
  return t;
}

double median_ms(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2, reps = 30;
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--threads") threads = std::atoi(argv[i + 1]);
    else if (a == "--reps") reps = std::atoi(argv[i + 1]);
    else if (a == "--only") only = argv[i + 1];
    else {
      std::fprintf(stderr, "usage: linear_sparse_bench [--threads N] [--reps N] [--only SHAPE-SUBSTRING]\n");
      return 2;
    }
  }
  const KernelImpl& dense = kernel("f32-linear-matmul-postops-dnnl");
  const KernelImpl& sparse = kernel("f32-linear-sparse-avx512");
  if (!sparse.runnable()) {
    std::fprintf(stderr, "this CPU cannot run %s (needs AVX-512)\n", sparse.name.c_str());
    return 2;
  }
  struct Shape3 { const char* what; int64_t m, k, n; const char* act; };
  // ViT-B/16 at batch 1 (197 tokens): qkv/out projections, fc1 (GELU), fc2; ViT-CIFAR at
  // batch 8 (8 x 65 tokens, width 128, MLP 256... as exported): its projections.
  const std::vector<Shape3> shapes = {{"vit_b16 proj b1", 197, 768, 768, ""},
                                      {"vit_b16 fc1 b1", 197, 768, 3072, "Gelu"},
                                      {"vit_b16 fc2 b1", 197, 3072, 768, ""},
                                      {"vit_b16 fc1 b8", 1576, 768, 3072, "Gelu"},
                                      {"vit_cifar proj b8", 520, 128, 128, ""},
                                      {"vit_cifar fc1 b1", 65, 128, 256, "Gelu"}};
  nlohmann::json rows = nlohmann::json::array();
  for (const Shape3& s : shapes)
    if (only.empty() || std::string(s.what).find(only) != std::string::npos)
    for (double sparsity : {0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99}) {
      Tensor x = random_tensor({s.m, s.k}, 1, 1.0), w = random_tensor({s.k, s.n}, 2, 1.0 - sparsity),
             b = random_tensor({s.n}, 3, 1.0);
      auto run_one = [&](const KernelImpl& k, Node& node, std::shared_ptr<void>& state) {
        OpContext c{node, {&x, &w, &b}, threads, &state};
        const auto t0 = std::chrono::steady_clock::now();
        k.run(c);
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      };
      Node nd, ns;
      nd.op_type = ns.op_type = "FusedLinear";
      nd.domain = ns.domain = kEcoDomain;
      nd.attrs["activation"] = ns.attrs["activation"] = Attribute{Attribute::Kind::s, 0, 0, s.act};
      ns.attrs["_weight_format"] = Attribute{Attribute::Kind::s, 0, 0, "sparse"};
      std::shared_ptr<void> sd, ss;
      run_one(dense, nd, sd);  // packs the weight
      run_one(sparse, ns, ss);
      std::vector<double> td, ts;
      for (int r = 0; r < reps; ++r) {
        td.push_back(run_one(dense, nd, sd));
        ts.push_back(run_one(sparse, ns, ss));
      }
      const double d = median_ms(td), sp = median_ms(ts);
      rows.push_back({{"shape", s.what}, {"m", s.m}, {"k", s.k}, {"n", s.n}, {"activation", s.act}, {"sparsity", sparsity},
                      {"dense_ms", d}, {"sparse_ms", sp}, {"speedup", d / sp},
                      {"sparse_gmacs", s.m * s.k * s.n * (1 - sparsity) / sp / 1e6}, {"dense_gmacs", s.m * s.k * s.n / d / 1e6}});
      std::fprintf(stderr, "%-18s sparsity %.2f  dense %.3f ms  sparse %.3f ms  %.2fx\n", s.what, sparsity, d, sp, d / sp);
    }
  std::printf("%s\n", nlohmann::json{{"threads", threads}, {"reps", reps}, {"results", rows}}.dump(1).c_str());
}
