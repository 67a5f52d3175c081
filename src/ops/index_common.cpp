#include "ops/index_common.h"

namespace ecoinfer::ops {

ScatterReduction scatter_reduction(const Node& n) {
  const std::string r = n.attr_string("reduction", "none");
  if (r == "none") return ScatterReduction::none;
  if (r == "add") return ScatterReduction::add;
  if (r == "mul") return ScatterReduction::mul;
  if (r == "max") return ScatterReduction::max;
  if (r == "min") return ScatterReduction::min;
  fail("{}: unknown reduction '{}' (none, add, mul, max, min)", n.describe(), r);
}

void scatter_elements_into(Tensor& out, const Tensor& updates, const std::vector<std::pair<int64_t, int64_t>>& pairs,
                           ScatterReduction r, const Node& n) {
  ECO_CHECK(updates.dtype() == out.dtype(), "{}: updates are {}, data is {}", n.describe(), dtype_name(updates.dtype()),
            dtype_name(out.dtype()));
  if (r == ScatterReduction::none) {
    const size_t esz = dtype_size(out.dtype());
    auto* dst = static_cast<std::byte*>(out.raw());
    const auto* src = static_cast<const std::byte*>(updates.raw());
    for (auto [o, u] : pairs) std::memcpy(dst + o * esz, src + u * esz, esz);
    return;
  }
  visit_dtype<NumericTypes>(out.dtype(), n, "data", [&](auto t) {
    using T = decltype(t);
    T* dst = out.data<T>();
    const T* src = updates.data<T>();
    for (auto [o, u] : pairs) {
      switch (r) {
        case ScatterReduction::add: dst[o] = wrapping_add(dst[o], src[u]); break;
        case ScatterReduction::mul: dst[o] = wrapping_mul(dst[o], src[u]); break;
        case ScatterReduction::max: dst[o] = nan_max(dst[o], src[u]); break;
        case ScatterReduction::min: dst[o] = nan_min(dst[o], src[u]); break;
        case ScatterReduction::none: break;
      }
    }
    return 0;
  });
}

}  // namespace ecoinfer::ops
