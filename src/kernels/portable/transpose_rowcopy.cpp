// Transpose for any element type. When the trailing output dimensions keep their input
// order (attention's [B,T,H,D] -> [B,H,T,D]), whole runs are copied with memcpy; otherwise
// the innermost output dimension is gathered with a fixed input stride.
#include <cstring>

#include "ops/op_util.h"

namespace ecoinfer::portable {
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

std::vector<Tensor> transpose_run(OpContext& c) {
  const Tensor& x = c.in(0);
  const auto perm = perm_of(c);
  const int r = x.rank();
  Shape out_shape(r);
  for (int d = 0; d < r; ++d) out_shape[d] = x.dim(static_cast<int>(perm[d]));
  Tensor y = c.output(0, x.dtype(), out_shape);
  if (y.numel() == 0) return {y};
  const size_t esz = dtype_size(x.dtype());
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

}  // namespace ecoinfer::portable
