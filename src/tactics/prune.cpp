// prune-local / prune-global: L1 unstructured pruning (semantics in prune.h and docs/tactics.md).
#include "tactics/prune.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "tactics/tactic.h"

namespace ecoinfer {

PruneAmount parse_prune_amount(const std::string& text, const std::string& what) {
  ECO_CHECK(!text.empty(), "{}: needs an amount, e.g. {}:0.5 (a fraction in [0, 1]) or {}:1000 (a count)", what, what, what);
  PruneAmount a;
  const char* b = text.data();
  const char* e = b + text.size();
  if (text.find_first_of(".eE") == std::string::npos && text.find_first_of("nN") == std::string::npos) {
    int64_t v = 0;
    auto r = std::from_chars(b, e, v);
    ECO_CHECK(r.ec == std::errc() && r.ptr == e, "{}: '{}' is not a number (expected a fraction in [0, 1] or a count)", what, text);
    ECO_CHECK(v >= 0, "{}: the count {} must not be negative", what, v);
    a.is_count = true;
    a.count = v;
    return a;
  }
  double v = 0;
  auto r = std::from_chars(b, e, v);
  ECO_CHECK(r.ec == std::errc() && r.ptr == e, "{}: '{}' is not a number (expected a fraction in [0, 1] or a count)", what, text);
  ECO_CHECK(std::isfinite(v) && v >= 0.0 && v <= 1.0, "{}: the amount {} must be a fraction in [0, 1] (or an integer count)",
            what, text);
  a.fraction = v;
  return a;
}

int64_t prune_count(const PruneAmount& a, int64_t n, const std::string& what) {
  if (a.is_count) {
    ECO_CHECK(a.count <= n, "{}: cannot prune {} weights: only {} remain unpruned", what, a.count, n);
    return a.count;
  }
  // Python's round(): half to even, which std::nearbyint does in the default rounding mode.
  return static_cast<int64_t>(std::nearbyint(a.fraction * static_cast<double>(n)));
}

std::vector<std::string> prunable_weights(const Graph& g) {
  // Exports without constant folding feed a Linear weight through a Transpose
  // (MatMul(x, Transpose(W))): the initializer behind it is the layer's weight.
  std::map<std::string, std::string> transposed;  // Transpose output -> its initializer input
  for (const Node& n : g.nodes)
    if (n.domain.empty() && n.op_type == "Transpose" && n.has_input(0) && g.is_initializer(n.inputs[0]))
      transposed[n.outputs.at(0)] = n.inputs[0];
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const Node& n : g.nodes) {
    if (!n.domain.empty() || n.inputs.size() < 2) continue;
    std::string w = n.inputs[1];
    const bool conv = n.op_type == "Conv";
    const bool linear = n.op_type == "Gemm" || n.op_type == "MatMul";
    if (!conv && !linear) continue;
    if (linear && !g.is_initializer(w) && transposed.count(w)) w = transposed.at(w);
    const Tensor* t = g.initializer(w);
    if (!t || t->dtype() != DType::f32 || (linear && t->rank() != 2)) continue;
    if (seen.insert(w).second) out.push_back(w);
  }
  return out;
}

namespace {
// |x| as an order-preserving unsigned key (NaN sorts above +inf).
inline uint32_t abs_key(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  return u & 0x7fffffffu;
}
}  // namespace

namespace {
// Histogram of 16 key bits over the unpruned entries of every segment (those whose high
// bits equal `hi` when `hi` >= 0), split across threads by segment chunks.
std::vector<int64_t> key_histogram(const std::vector<PruneSegment>& segs, int64_t hi) {
  struct Chunk {
    const PruneSegment* s;
    int64_t begin, end;
  };
  std::vector<Chunk> chunks;
  constexpr int64_t kChunk = 1 << 20;
  for (auto& s : segs)
    for (int64_t b = 0; b < s.n; b += kChunk) chunks.push_back(Chunk{&s, b, std::min(s.n, b + kChunk)});
  std::vector<int64_t> hist(65536, 0);
#pragma omp parallel num_threads(2) if (chunks.size() > 4)
  {
    // Four interleaved sub-histograms: neighbouring weights often share a bin, and one
    // counter would serialise their increments.
    std::vector<uint32_t> local(4 * 65536, 0);
#pragma omp for schedule(dynamic, 1)
    for (size_t c = 0; c < chunks.size(); ++c) {
      const PruneSegment& s = *chunks[c].s;
      const int64_t b = chunks[c].begin, e = chunks[c].end;
      if (hi < 0) {
        for (int64_t i = b; i < e; ++i) local[(i & 3) * 65536 + (abs_key(s.values[i]) >> 16)] += s.keep[i];
      } else {
        for (int64_t i = b; i < e; ++i) {
          const uint32_t key = abs_key(s.values[i]);
          if ((key >> 16) == static_cast<uint32_t>(hi)) local[(i & 3) * 65536 + (key & 0xffffu)] += s.keep[i];
        }
      }
    }
#pragma omp critical
    for (size_t bin = 0; bin < 65536; ++bin)
      hist[bin] += int64_t{local[bin]} + local[65536 + bin] + local[2 * 65536 + bin] + local[3 * 65536 + bin];
  }
  return hist;
}
}  // namespace

void select_smallest(std::vector<PruneSegment>& segs, int64_t k) {
  if (k <= 0) return;
  // Pass 1: histogram of the high 16 bits of the key over unpruned entries.
  std::vector<int64_t> hist = key_histogram(segs, -1);
  int64_t before = 0;
  uint32_t hi = 0;
  for (; hi < 65536; ++hi) {
    if (before + hist[hi] >= k) break;
    before += hist[hi];
  }
  ECO_CHECK(hi < 65536, "internal: pruning {} entries but fewer remain", k);
  // Pass 2: histogram of the low 16 bits within that bin.
  hist = key_histogram(segs, hi);
  uint32_t lo = 0;
  for (; lo < 65536; ++lo) {
    if (before + hist[lo] >= k) break;
    before += hist[lo];
  }
  const uint32_t threshold = (hi << 16) | lo;
  // Pass 3: the `before` entries strictly below the threshold all go (branch-free); the
  // rest come from entries equal to it, lowest index first.
  for (auto& s : segs)
    for (int64_t i = 0; i < s.n; ++i) s.keep[i] &= static_cast<uint8_t>(abs_key(s.values[i]) >= threshold);
  int64_t ties = k - before;
  for (auto& s : segs)
    for (int64_t i = 0; i < s.n && ties > 0; ++i)
      if (s.keep[i] && abs_key(s.values[i]) == threshold) {
        s.keep[i] = 0;
        --ties;
      }
}

nlohmann::json prune_model(ModelBundle& model, TacticContext& ctx, const std::string& arg, bool global) {
  const std::string what = global ? "prune-global" : "prune-local";
  const PruneAmount amount = parse_prune_amount(arg, what);
  Graph& g = model.graph;
  const std::vector<std::string> names = prunable_weights(g);
  ECO_CHECK(!names.empty(), "{}: the model has no Conv or Linear (Gemm/MatMul) weight to prune", what);

  // Copy-on-write: the pruned weights get their own storage.
  std::vector<PruneSegment> segs;
  std::vector<bool> fresh;
  for (const std::string& name : names) {
    Tensor t = g.initializers.at(name).clone();
    g.initializers[name] = t;
    auto& keep = ctx.prune_keep[name];
    fresh.push_back(static_cast<int64_t>(keep.size()) != t.numel());
    if (fresh.back()) keep.assign(static_cast<size_t>(t.numel()), 1);
    segs.push_back(PruneSegment{g.initializers[name].data<float>(), keep.data(), t.numel()});
  }
  auto remaining = [&](size_t i) {
    if (fresh[i]) return segs[i].n;
    int64_t r = 0;
    for (int64_t j = 0; j < segs[i].n; ++j) r += segs[i].keep[j];
    return r;
  };
  int64_t pruned_now = 0;
  if (global) {
    int64_t rem = 0;
    for (size_t i = 0; i < segs.size(); ++i) rem += remaining(i);
    const int64_t k = prune_count(amount, rem, what);
    select_smallest(segs, k);
    pruned_now = k;
  } else {
    for (size_t i = 0; i < segs.size(); ++i) {
      std::vector<PruneSegment> one{segs[i]};
      const int64_t k = prune_count(amount, remaining(i), what + " (" + names[i] + ")");
      select_smallest(one, k);
      pruned_now += k;
    }
  }
  // prune.remove: weight = orig * mask, so pruned negatives become -0.0.
  int64_t total_weights = 0;
  for (auto& s : segs) total_weights += s.n;
  int64_t zeros = 0, total = 0;
  nlohmann::json per_layer = nlohmann::json::object();
  std::vector<int64_t> zero_counts(segs.size(), 0);
#pragma omp parallel for num_threads(2) schedule(dynamic, 1) if (total_weights > (1 << 20))
  for (size_t i = 0; i < segs.size(); ++i) {
    auto& s = segs[i];
    int64_t z = 0;
    for (int64_t j = 0; j < s.n; ++j) {
      const float v = s.values[j] * static_cast<float>(s.keep[j]);  // orig * mask
      s.values[j] = v;
      z += v == 0.0f;
    }
    zero_counts[i] = z;
  }
  for (size_t i = 0; i < segs.size(); ++i) {
    auto& s = segs[i];
    const int64_t z = zero_counts[i];
    per_layer[names[i]] = s.n ? static_cast<double>(z) / s.n : 0.0;
    zeros += z;
    total += s.n;
  }
  return nlohmann::json{{"method", global ? "global L1 unstructured" : "local L1 unstructured"},
                        {"amount", arg},
                        {"layers", names.size()},
                        {"weights", total},
                        {"pruned", pruned_now},
                        {"weight_sparsity", total ? static_cast<double>(zeros) / total : 0.0},
                        {"per_layer_sparsity", per_layer}};
}

ECO_REGISTER_TACTIC(TacticInfo{
    "prune-local",
    "L1 unstructured pruning per layer (torch.nn.utils.prune.l1_unstructured): prune-local:AMOUNT, a fraction in "
    "[0, 1] or an integer count per layer",
    [](ModelBundle& m, TacticContext& ctx, const std::string& arg) { return prune_model(m, ctx, arg, false); },
    [](const std::string& arg) { parse_prune_amount(arg, "prune-local"); }});

ECO_REGISTER_TACTIC(TacticInfo{
    "prune-global",
    "L1 unstructured pruning with one threshold over all Conv/Linear weights (prune.global_unstructured): "
    "prune-global:AMOUNT, a fraction in [0, 1] or an integer count",
    [](ModelBundle& m, TacticContext& ctx, const std::string& arg) { return prune_model(m, ctx, arg, true); },
    [](const std::string& arg) { parse_prune_amount(arg, "prune-global"); }});

}  // namespace ecoinfer
