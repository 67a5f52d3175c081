// Transpose for any element type. A batch of 2-D transposes of 4-byte elements (NCHW <->
// NHWC, [B,T,C] -> [B,C,T]) is copied in cache-sized tiles. Otherwise, when the trailing
// output dimensions keep their input order (attention's [B,T,H,D] -> [B,H,T,D]), whole runs
// are copied with memcpy, and in the remaining cases the innermost output dimension is
// gathered with a fixed input stride.
#include <algorithm>
#include <cstring>

#include "ops/op_util.h"

namespace ecoinfer::kernels::portable {
namespace {

std::vector<int64_t> perm_of(const OpContext& c) {
  const int64_t r = c.in(0).rank();
  std::vector<int64_t> perm = c.node.attr_ints("perm");
  if (!c.node.has_attr("perm"))
    for (int64_t d = r - 1; d >= 0; --d) perm.push_back(d);
  for (auto& p : perm) p = ops::normalize_axis(p, r, c.node);
  return perm;
}

bool transpose_supports(const OpContext& c) {
  if (!c.has(0) || c.in(0).rank() < 1) return false;
  auto perm = perm_of(c);
  if (static_cast<int64_t>(perm.size()) != c.in(0).rank()) return false;
  std::vector<bool> seen(perm.size(), false);
  for (int64_t p : perm) {
    if (seen[p]) return false;
    seen[p] = true;
  }
  return true;
}

// perm == [0..a), [b..r), [a..b) for some a < b: a batch of 2-D transposes [R, S] -> [S, R]
// (NCHW <-> NHWC is one). Returns false otherwise.
bool as_batched_2d(const std::vector<int64_t>& perm, const Shape& in, int64_t& batch, int64_t& rows, int64_t& cols) {
  const int64_t r = static_cast<int64_t>(perm.size());
  for (int64_t a = 0; a < r; ++a)
    for (int64_t b = a + 1; b < r; ++b) {
      bool match = true;
      int64_t k = 0;
      for (int64_t d = 0; d < a; ++d) match &= perm[k++] == d;
      for (int64_t d = b; d < r; ++d) match &= perm[k++] == d;
      for (int64_t d = a; d < b; ++d) match &= perm[k++] == d;
      if (!match) continue;
      batch = rows = cols = 1;
      for (int64_t d = 0; d < a; ++d) batch *= in[d];
      for (int64_t d = a; d < b; ++d) rows *= in[d];
      for (int64_t d = b; d < r; ++d) cols *= in[d];
      return true;
    }
  return false;
}

// out[n][s][r] = in[n][r][s] in 32 x 32 tiles, so that both sides stream through cache
// lines instead of one of them striding through memory element by element.
void transpose_2d_tiled(const uint32_t* in, uint32_t* out, int64_t batch, int64_t rows, int64_t cols, int threads) {
  constexpr int64_t kTile = 32;
  const int64_t col_tiles = (cols + kTile - 1) / kTile;
#pragma omp parallel for num_threads(threads) schedule(static) collapse(2) if (threads > 1 && batch * rows * cols > (1 << 20))
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t ct = 0; ct < col_tiles; ++ct) {
      const uint32_t* src = in + n * rows * cols;
      uint32_t* dst = out + n * rows * cols;
      const int64_t s0 = ct * kTile, s1 = std::min(cols, s0 + kTile);
      for (int64_t r0 = 0; r0 < rows; r0 += kTile) {
        const int64_t r1 = std::min(rows, r0 + kTile);
        for (int64_t s = s0; s < s1; ++s)
          for (int64_t r = r0; r < r1; ++r) dst[s * rows + r] = src[r * cols + s];
      }
    }
}

std::vector<Tensor> transpose_run(OpContext& c) {
  const Tensor& x = c.in(0);
  const auto perm = perm_of(c);
  const int r = x.rank();
  Shape out_shape(r);
  for (int d = 0; d < r; ++d) out_shape[d] = x.dim(static_cast<int>(perm[d]));
  Tensor y = c.output(0, x.dtype(), out_shape);
  if (y.numel() == 0) return {y};
  const size_t esz = dtype_size(x.dtype());
  int64_t batch = 0, rows2d = 0, cols2d = 0;
  if (esz == 4 && as_batched_2d(perm, x.shape(), batch, rows2d, cols2d) && rows2d > 1 && cols2d > 1) {
    transpose_2d_tiled(static_cast<const uint32_t*>(x.raw()), static_cast<uint32_t*>(y.raw()), batch, rows2d, cols2d,
                       std::max(1, c.threads));
    return {y};
  }
  const auto in_st = ops::contiguous_strides(x.shape());
  // Trailing dims that stay in place form one contiguous run.
  int keep = 0;
  while (keep < r && perm[r - 1 - keep] == r - 1 - keep) ++keep;
  int64_t run = 1;
  for (int d = r - keep; d < r; ++d) run *= out_shape[d];
  const int outer_rank = r - keep;
  const auto* src = static_cast<const std::byte*>(x.raw());
  auto* dst = static_cast<std::byte*>(y.raw());
  if (outer_rank == 0) {
    std::memcpy(dst, src, y.nbytes());
    return {y};
  }
  // Walk the outer output dims; the innermost of them is a strided loop.
  const int inner_dim = outer_rank - 1;
  const int64_t inner_n = out_shape[inner_dim], inner_stride = in_st[perm[inner_dim]];
  std::vector<int64_t> idx(outer_rank, 0);
  const int64_t rows = y.numel() / (run * inner_n);
  int64_t out_off = 0;
  for (int64_t row = 0; row < rows; ++row) {
    int64_t in_off = 0;
    for (int d = 0; d < inner_dim; ++d) in_off += idx[d] * in_st[perm[d]];
    if (run > 1) {
      for (int64_t i = 0; i < inner_n; ++i, out_off += run)
        std::memcpy(dst + out_off * esz, src + (in_off + i * inner_stride) * esz, run * esz);
    } else if (esz == 4) {
      const auto* s4 = reinterpret_cast<const uint32_t*>(src) + in_off;
      auto* d4 = reinterpret_cast<uint32_t*>(dst) + out_off;
      for (int64_t i = 0; i < inner_n; ++i) d4[i] = s4[i * inner_stride];
      out_off += inner_n;
    } else {
      for (int64_t i = 0; i < inner_n; ++i, ++out_off)
        std::memcpy(dst + out_off * esz, src + (in_off + i * inner_stride) * esz, esz);
    }
    for (int d = inner_dim - 1; d >= 0; --d) {
      if (++idx[d] < out_shape[d]) break;
      idx[d] = 0;
    }
  }
  return {y};
}

}  // namespace

ECO_REGISTER_KERNEL("", "Transpose", KernelImpl{"any-transpose-rowcopy", transpose_supports, transpose_run});

}  // namespace ecoinfer::kernels::portable
