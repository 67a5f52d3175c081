#include "ops/compute_dtype.h"

#include <bit>
#include <cmath>
#include <cstdint>

namespace ecoinfer::ops {

bool computes_in_bf16(const Node& n) {
  auto it = n.attrs.find(kComputeDtypeAttr);
  if (it == n.attrs.end()) return false;
  ECO_CHECK(it->second.kind == Attribute::Kind::s && (it->second.s == "bf16" || it->second.s == "f32"),
            "{}: attribute {} must be the string \"bf16\" or \"f32\"", n.describe(), kComputeDtypeAttr);
  return it->second.s == "bf16";
}

std::string compute_dtype_of(const Node& n) {
  auto it = n.attrs.find(kComputeDtypeAttr);
  if (it == n.attrs.end()) return "f32";
  return it->second.kind == Attribute::Kind::s ? it->second.s : "?";
}

float round_to_bf16(float v) {
  if (std::isnan(v)) return std::bit_cast<float>((std::bit_cast<uint32_t>(v) | 0x00400000u) & 0xffff0000u);  // quiet, bf16
  const uint32_t u = std::bit_cast<uint32_t>(v);
  // Round half to even on the 16 bits dropped (infinity stays infinity: its low bits are 0).
  const uint32_t rounded = u + 0x7fffu + ((u >> 16) & 1u);
  return std::bit_cast<float>(rounded & 0xffff0000u);
}

Tensor rounded_to_bf16(const Tensor& t) {
  ECO_CHECK(t.dtype() == DType::f32, "bf16 rounding needs an f32 tensor, got {}", dtype_name(t.dtype()));
  Tensor r = Tensor::empty(DType::f32, t.shape());
  const float* src = t.data<float>();
  float* dst = r.data<float>();
  for (int64_t i = 0; i < t.numel(); ++i) dst[i] = round_to_bf16(src[i]);
  return r;
}

std::vector<Tensor> run_with_bf16_operands(OpContext& c, std::vector<Tensor> (*fp32_reference)(OpContext&)) {
  Node plain = c.node;
  plain.attrs.erase(kComputeDtypeAttr);
  std::vector<Tensor> rounded;
  rounded.reserve(2);
  std::vector<const Tensor*> ins = c.inputs;
  for (size_t i = 0; i < 2 && i < ins.size(); ++i)
    if (ins[i]) {
      rounded.push_back(rounded_to_bf16(*ins[i]));
      ins[i] = &rounded.back();
    }
  OpContext inner{plain, ins, c.threads, nullptr};
  return fp32_reference(inner);
}

}  // namespace ecoinfer::ops
