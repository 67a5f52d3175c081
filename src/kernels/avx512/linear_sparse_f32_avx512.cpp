// Linear layers with a pruned weight (the sparse tactic's mark, ops/weight_format.h) on
// AVX-512: Y = act(X W + b) touching only W's nonzeros. Unstructured pruning leaves no
// blocks to vectorize over in W, so the kernel vectorizes over tokens instead, as XNNPACK's
// SpMM does for 1x1 convolutions: per call X is transposed into tiles of 64 tokens
// ([K][64] each); per output feature j, every nonzero W[k][j] adds W[k][j] * Xt[k][0..64]
// into 4 zmm accumulators (two sets, alternating nonzeros, to hide the FMA latency). Blocks
// of 16 features x 64 tokens are transposed back in registers and stored with the bias and
// ReLU; GELU (erf) runs afterwards on oneDNN's eltwise primitive.
//
// The weight is packed once per node (cached in the node state) column by column: the
// offset k * 64 of each nonzero into a token tile, and its value. Work is split between
// threads by column blocks of equal nonzero counts.
// GCC 12 warns spuriously about _mm512_undefined_* inside its own intrinsic headers
// (the unpack intrinsics of transpose16 too).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <cstring>

#include "kernels/avx512/target_avx512.h"
#include "kernels/dnnl/dnnl_common.h"
#include "ops/compute_dtype.h"
#include "ops/registry.h"
#include "ops/weight_format.h"

namespace ecoinfer::kernels::avx512 {
namespace {

constexpr int64_t kTile = 64;    // tokens per tile: 4 zmm accumulators
constexpr int64_t kBlock = 16;   // output features per block: one 16 x 16 register transpose
// Input rows per pass over a tile, for weights denser than kChunkBelowDensity: 96 x 64
// floats (24 KiB) stay in L1 while every feature of the block range sums its nonzeros in them,
// at the price of reloading each feature's partial sums per chunk. Sparser weights have too
// few nonzeros per feature and chunk for that to pay (measured with bench/linear_sparse_bench:
// at 90 % sparsity one pass over the whole tile from L2 was faster, at 70 % chunks were).
constexpr int64_t kChunk = 96;
constexpr double kChunkBelowDensity = 0.2;

struct SparseWeight {
  Tensor source;  // the weight this was packed from, kept alive so the pointer identity check is sound
  int64_t k = 0, n = 0, blocks = 0, cols = 0;  // cols: n padded to blocks * 16
  int64_t chunk_rows = 0, chunks = 0;          // rows per pass (kChunk or k), passes
  // Nonzeros ordered by (chunk of chunk_rows rows, column, row): those of column j in chunk c are
  // [start[c * cols + j], start[c * cols + j + 1]).
  std::vector<int32_t> start;
  std::vector<int32_t> offset;  // (row - chunk's first row) * kTile: the nonzero's row in the chunk of a tile
  std::vector<float> value;
  std::vector<int64_t> block_nnz;  // prefix sums of nonzeros per column block, all chunks (blocks + 1)
  // GELU (erf) on oneDNN, for the element count of the last call.
  int64_t gelu_elems = -1;
  dnnl::eltwise_forward gelu;
};

std::shared_ptr<SparseWeight> pack_weight(const Tensor& w) {
  auto p = std::make_shared<SparseWeight>();
  p->source = w;
  p->k = w.dim(0);
  p->n = w.dim(1);
  p->blocks = (p->n + kBlock - 1) / kBlock;
  p->cols = p->blocks * kBlock;
  const float* src = w.data<float>();
  int64_t nnz = 0;
  for (int64_t i = 0; i < w.numel(); ++i) nnz += src[i] != 0.f;
  const bool dense_enough = static_cast<double>(nnz) >= kChunkBelowDensity * static_cast<double>(w.numel());
  p->chunk_rows = dense_enough ? std::min(p->k, kChunk) : p->k;
  p->chunks = (p->k + p->chunk_rows - 1) / p->chunk_rows;
  p->offset.reserve(static_cast<size_t>(nnz));
  p->value.reserve(static_cast<size_t>(nnz));
  p->start.assign(static_cast<size_t>(p->chunks * p->cols + 1), 0);
  std::vector<int64_t> per_block(static_cast<size_t>(p->blocks), 0);
  for (int64_t c = 0; c < p->chunks; ++c)
    for (int64_t j = 0; j < p->cols; ++j) {
      p->start[c * p->cols + j] = static_cast<int32_t>(p->value.size());
      if (j >= p->n) continue;
      for (int64_t kk = c * p->chunk_rows; kk < std::min(p->k, (c + 1) * p->chunk_rows); ++kk)
        if (const float v = src[kk * p->n + j]; v != 0.f) {  // -0.0 (a pruned negative) is zero too
          p->offset.push_back(static_cast<int32_t>((kk - c * p->chunk_rows) * kTile));
          p->value.push_back(v);
          ++per_block[j / kBlock];
        }
    }
  p->start.back() = static_cast<int32_t>(p->value.size());
  p->block_nnz.assign(static_cast<size_t>(p->blocks + 1), 0);
  for (int64_t b = 0; b < p->blocks; ++b) p->block_nnz[b + 1] = p->block_nnz[b] + per_block[b];
  return p;
}

bool sparse_supports(const OpContext& c) {
  if (!c.has(0) || !c.has(1)) return false;
  if (ops::weight_format_of(c.node) != "sparse" || ops::compute_dtype_of(c.node) != "f32") return false;
  const Tensor& x = c.in(0);
  const Tensor& w = c.in(1);
  const std::string act = c.node.attr_string("activation", "");
  // Offsets k * 64 and nonzero counts are int32.
  return x.dtype() == DType::f32 && w.dtype() == DType::f32 && x.rank() >= 2 && w.rank() == 2 && x.dim(-1) == w.dim(0) &&
         x.numel() > 0 && w.dim(1) > 0 && w.dim(0) < (int64_t{1} << 24) && w.numel() < (int64_t{1} << 31) &&
         (!c.has(2) || (c.in(2).dtype() == DType::f32 && c.in(2).rank() == 1 && c.in(2).dim(0) == w.dim(1))) &&
         (act.empty() || act == "Relu" || act == "Gelu");
}

ECO_AVX512_BEGIN

// In-register transpose of a 16 x 16 block: r[i] holds row i on entry, column i on exit.
inline void transpose16(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  // r[4i + c], 128-bit lane l: rows 4i..4i+3 of column 4l + c.
  for (int i = 0; i < 4; ++i) {
    const __m512d a = _mm512_castps_pd(t[4 * i]), b = _mm512_castps_pd(t[4 * i + 2]);
    const __m512d e = _mm512_castps_pd(t[4 * i + 1]), f = _mm512_castps_pd(t[4 * i + 3]);
    r[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, b));
    r[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, b));
    r[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(e, f));
    r[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(e, f));
  }
  for (int c = 0; c < 4; ++c) {
    const __m512 u0 = _mm512_shuffle_f32x4(r[c], r[4 + c], 0x88), u1 = _mm512_shuffle_f32x4(r[c], r[4 + c], 0xdd);
    const __m512 u2 = _mm512_shuffle_f32x4(r[8 + c], r[12 + c], 0x88), u3 = _mm512_shuffle_f32x4(r[8 + c], r[12 + c], 0xdd);
    t[c] = _mm512_shuffle_f32x4(u0, u2, 0x88);
    t[8 + c] = _mm512_shuffle_f32x4(u0, u2, 0xdd);
    t[4 + c] = _mm512_shuffle_f32x4(u1, u3, 0x88);
    t[12 + c] = _mm512_shuffle_f32x4(u1, u3, 0xdd);
  }
  for (int i = 0; i < 16; ++i) r[i] = t[i];
}

inline __mmask16 first(int64_t count) { return count >= 16 ? __mmask16(0xffff) : __mmask16((1u << count) - 1); }

// Tokens [t0, t0 + 16) x inputs [k0, k0 + 16) of X ([m][k]) into the tile's rows k0.. at
// column t0 % 64; tokens and inputs past the matrix are zero.
void transpose_in(const float* x, int64_t m, int64_t k, int64_t t0, int64_t k0, float* tile) {
  __m512 r[16];
  const __mmask16 cols = first(k - k0);
  for (int i = 0; i < 16; ++i)
    r[i] = t0 + i < m ? _mm512_maskz_loadu_ps(cols, x + (t0 + i) * k + k0) : _mm512_setzero_ps();
  transpose16(r);
  for (int64_t i = 0; i < 16 && k0 + i < k; ++i) _mm512_storeu_ps(tile + (k0 + i) * kTile + t0 % kTile, r[i]);
}

// One output feature over V * 16 tokens of a tile, one chunk of rows: out (+)= the sum over
// the feature's nonzeros in the chunk (out is overwritten on the first chunk).
template <int V>
void feature(const float* tile, const int32_t* off, const float* val, int32_t p, int32_t end, float* out, bool first_chunk) {
  __m512 a[V], b[V];
  for (int v = 0; v < V; ++v) {
    a[v] = first_chunk ? _mm512_setzero_ps() : _mm512_load_ps(out + 16 * v);
    b[v] = _mm512_setzero_ps();
  }
  for (; p + 2 <= end; p += 2) {
    const __m512 w0 = _mm512_set1_ps(val[p]), w1 = _mm512_set1_ps(val[p + 1]);
    const float* x0 = tile + off[p];
    const float* x1 = tile + off[p + 1];
    for (int v = 0; v < V; ++v) {
      a[v] = _mm512_fmadd_ps(w0, _mm512_load_ps(x0 + 16 * v), a[v]);
      b[v] = _mm512_fmadd_ps(w1, _mm512_load_ps(x1 + 16 * v), b[v]);
    }
  }
  if (p < end) {
    const __m512 w0 = _mm512_set1_ps(val[p]);
    for (int v = 0; v < V; ++v) a[v] = _mm512_fmadd_ps(w0, _mm512_load_ps(tile + off[p] + 16 * v), a[v]);
  }
  for (int v = 0; v < V; ++v) _mm512_store_ps(out + 16 * v, _mm512_add_ps(a[v], b[v]));
}

using FeatureFn = void (*)(const float*, const int32_t*, const float*, int32_t, int32_t, float*, bool);

// Column blocks [b0, b1) of one tile (tokens [t0, t0 + rows)) into y. The tile's rows are
// visited a chunk at a time (see kChunk) for all the blocks' features, which keep
// their partial sums in `acc` ([features][64], this thread's scratch); the last chunk's pass
// transposes each finished block and stores it with the bias and ReLU.
void tile_blocks(const SparseWeight& w, const float* tile, int64_t t0, int64_t rows, int64_t b0, int64_t b1, const float* bias,
                 bool relu, float* y, float* acc) {
  const int vecs = static_cast<int>((rows + 15) / 16);
  const FeatureFn fn = vecs == 1 ? feature<1> : vecs == 2 ? feature<2> : vecs == 3 ? feature<3> : feature<4>;
  const int32_t* off = w.offset.data();
  const float* val = w.value.data();
  for (int64_t c = 0; c < w.chunks; ++c) {
    const float* chunk = tile + c * w.chunk_rows * kTile;
    const int32_t* start = w.start.data() + c * w.cols;
    for (int64_t j = b0 * kBlock; j < b1 * kBlock; ++j)
      fn(chunk, off, val, start[j], start[j + 1], acc + (j - b0 * kBlock) * kTile, c == 0);
  }
  for (int64_t blk = b0; blk < b1; ++blk) {
    const int64_t j0 = blk * kBlock;
    const float* block = acc + (j0 - b0 * kBlock) * kTile;
    const __mmask16 cols = first(w.n - j0);
    const __m512 vb = bias ? _mm512_maskz_loadu_ps(cols, bias + j0) : _mm512_setzero_ps();
    for (int v = 0; v < vecs; ++v) {
      __m512 r[16];
      for (int jj = 0; jj < 16; ++jj) r[jj] = _mm512_load_ps(block + jj * kTile + 16 * v);
      transpose16(r);  // r[i]: token 16v + i, features j0..j0+15
      for (int64_t i = 0; i < 16 && 16 * v + i < rows; ++i) {
        __m512 o = _mm512_add_ps(r[i], vb);
        if (relu) o = _mm512_max_ps(o, _mm512_setzero_ps());
        _mm512_mask_storeu_ps(y + (t0 + 16 * v + i) * w.n + j0, cols, o);
      }
    }
  }
}

// Token tiles [t0, t1) x column blocks [b0, b1): each tile transposed into this thread's
// own scratch just before use (it stays in cache, and no thread reads another's).
void compute_part(const SparseWeight& w, const float* x, int64_t m, int64_t t0, int64_t t1, int64_t b0, int64_t b1,
                  const float* bias, bool relu, float* y) {
  if (t0 >= t1 || b0 >= b1) return;
  const int64_t k = w.k;
  // Per-thread scratch reused across calls (OpenMP's worker threads persist): one tile
  // (chunks * kChunk rows of 64 tokens; rows past k are never read) and the partial sums.
  thread_local std::vector<float> storage;
  const size_t tile_floats = static_cast<size_t>(w.chunks * w.chunk_rows * kTile);
  const size_t need = tile_floats + static_cast<size_t>((b1 - b0) * kBlock * kTile) + 16;
  if (storage.size() < need) storage.assign(need, 0.f);
  float* xt = reinterpret_cast<float*>((reinterpret_cast<uintptr_t>(storage.data()) + 63) & ~uintptr_t{63});
  float* acc = xt + tile_floats;
  for (int64_t ti = t0; ti < t1; ++ti) {
    const int64_t first_token = ti * kTile, rows = std::min(kTile, m - first_token);
    // Tokens past m in the last vector are zero; vectors wholly past m are neither written nor read.
    for (int64_t v0 = first_token; v0 < first_token + rows; v0 += 16)
      for (int64_t k0 = 0; k0 < k; k0 += 16) transpose_in(x, m, k, v0, k0, xt);
    tile_blocks(w, xt, first_token, rows, b0, b1, bias, relu, y, acc);
  }
}

void sparse_compute(const SparseWeight& w, const float* x, int64_t m, const float* bias, bool relu, float* y, int threads) {
  const int64_t tiles = (m + kTile - 1) / kTile, nnz = w.block_nnz.back();
  // A second thread pays from about 2^17 multiply-adds (its wake-up costs ~25 us on the 2-core
  // machine of docs/performance.md).
  const int nt = threads > 1 && nnz * m >= (int64_t{1} << 17) ? threads : 1;
  if (nt == 1) return compute_part(w, x, m, 0, tiles, 0, w.blocks, bias, relu, y);
#pragma omp parallel num_threads(nt)
  {
    const int64_t n_threads = omp_get_num_threads(), t = omp_get_thread_num();
    if (tiles >= 2 * n_threads) {
      // Enough tiles: each thread its own run of tiles, all features (no shared scratch).
      compute_part(w, x, m, tiles * t / n_threads, tiles * (t + 1) / n_threads, 0, w.blocks, bias, relu, y);
    } else {
      // Few tokens (batch 1): each thread every tile, and a run of column blocks holding an
      // equal share of the nonzeros. Each thread transposes the tiles itself.
      const auto block_at = [&](int64_t share) {
        const int64_t target = nnz * share / n_threads;
        return std::min<int64_t>(w.blocks, std::lower_bound(w.block_nnz.begin(), w.block_nnz.end(), target) -
                                               w.block_nnz.begin());
      };
      const int64_t b0 = t == 0 ? 0 : block_at(t), b1 = t == n_threads - 1 ? w.blocks : block_at(t + 1);
      compute_part(w, x, m, 0, tiles, b0, b1, bias, relu, y);
    }
  }
}

ECO_AVX512_END

std::vector<Tensor> sparse_run(OpContext& c) {
  const Tensor& x = c.in(0);
  const Tensor& wt = c.in(1);
  const int64_t k = wt.dim(0), n = wt.dim(1), m = x.numel() / k;
  Shape out = x.shape();
  out.back() = n;
  Tensor y = c.output(0, DType::f32, out);
  std::shared_ptr<SparseWeight> w;
  if (c.state && *c.state) w = std::static_pointer_cast<SparseWeight>(*c.state);
  if (!w || w->source.raw() != wt.raw() || w->k != k || w->n != n) {
    w = pack_weight(wt);
    if (c.state) *c.state = w;
  }
  const std::string act = c.node.attr_string("activation", "");
  sparse_compute(*w, x.data<float>(), m, c.has(2) ? c.in(2).data<float>() : nullptr, act == "Relu", y.data<float>(),
                 std::max(1, c.threads));
  if (act == "Gelu") {
    // ONNX Gelu (approximate = none) and PyTorch's default GELU are the erf form.
    namespace dn = kernels::onednn;
    const int64_t elems = y.numel();
    if (w->gelu_elems != elems) {
      const dnnl::memory::desc md({elems}, dn::dt::f32, dn::tag::a);
      w->gelu = dnnl::eltwise_forward(dnnl::eltwise_forward::primitive_desc(
          dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::eltwise_gelu_erf, md, 0.f, 0.f),
          dn::cpu_engine()));
      w->gelu_elems = elems;
    }
    const dnnl::memory::desc md({elems}, dn::dt::f32, dn::tag::a);
    dnnl::memory mem(md, dn::cpu_engine(), y.raw());
    auto& s = dn::thread_stream();
    w->gelu.execute(s, {{DNNL_ARG_SRC, mem}, {DNNL_ARG_DST, mem}});
    s.wait();
  }
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL(kEcoDomain, "FusedLinear",
                    KernelImpl{"f32-linear-sparse-avx512", sparse_supports, sparse_run, CpuFeature::avx512f});
// A marked MatMul is a Linear layer without bias (the tactic marks only constant 2-D weights).
ECO_REGISTER_KERNEL("", "MatMul", KernelImpl{"f32-linear-sparse-avx512", sparse_supports, sparse_run, CpuFeature::avx512f});

}  // namespace ecoinfer::kernels::avx512
