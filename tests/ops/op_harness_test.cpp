// The single harness: every registered op, every kernel path, against the reference.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "ops/op_cases.h"

namespace ecoinfer::test {
namespace {

// NaN where the reference has NaN is a match; NaN on one side only is an infinite error.
double rel_l2(const Tensor& a, const Tensor& ref) {
  auto x = a.to_f32_vector();
  auto y = ref.to_f32_vector();
  double num = 0, den = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i])) {
      if (std::isnan(x[i]) && std::isnan(y[i])) continue;
      return INFINITY;
    }
    num += (double(x[i]) - y[i]) * (double(x[i]) - y[i]);
    den += double(y[i]) * y[i];
  }
  return den == 0 ? std::sqrt(num) : std::sqrt(num / den);
}

struct Prepared {
  OpCase c;
  std::vector<const Tensor*> ptrs;
};

Prepared prepare(OpCase c) {
  Prepared p{std::move(c), {}};
  for (size_t i = 0; i < p.c.inputs.size(); ++i) {
    p.c.node.inputs.push_back(p.c.inputs[i].defined() ? "in" + std::to_string(i) : "");
    p.ptrs.push_back(p.c.inputs[i].defined() ? &p.c.inputs[i] : nullptr);
  }
  for (int o = 0; o < p.c.num_outputs; ++o) p.c.node.outputs.push_back("out" + std::to_string(o));
  return p;
}

TEST(OpHarness, EveryOpHasCases) {
  std::set<std::string> covered;
  for (auto& [op, f] : all_case_factories()) covered.insert(op);
  for (const OpSchema* s : all_ops())
    EXPECT_TRUE(covered.count(s->op_type)) << "op " << s->op_type << " has no harness cases";
}

TEST(OpHarness, EveryKernelPathMatchesReference) {
  int cases = 0, fast_checks = 0;
  std::map<std::string, int> ran;  // "op / kernel" -> cases it took (at 1 thread)
  for (auto& [op, factory] : all_case_factories()) {
    const OpSchema* s = find_op("", op);
    if (!s) s = find_op("com.ecoinfer", op);
    ASSERT_NE(s, nullptr) << "cases registered for unknown op " << op;
    for (OpCase& raw : factory()) {
      Prepared p = prepare(std::move(raw));
      SCOPED_TRACE(op + ": " + p.c.label);
      ++cases;
      std::vector<Tensor> ref;
      {
        OpContext ctx{p.c.node, p.ptrs, 1, nullptr};
        ASSERT_NO_THROW(ref = s->reference(ctx));
      }
      for (size_t o = 0; o < p.c.expected.size(); ++o) {
        ASSERT_LT(o, ref.size());
        ASSERT_EQ(ref[o].shape(), p.c.expected[o].shape()) << "output " << o;
        ASSERT_EQ(ref[o].dtype(), p.c.expected[o].dtype()) << "output " << o;
        auto got = ref[o].to_f32_vector();
        auto want = p.c.expected[o].to_f32_vector();
        for (size_t i = 0; i < got.size(); ++i) {
          if (std::isnan(want[i])) { EXPECT_TRUE(std::isnan(got[i])) << "output " << o << " element " << i; continue; }
          ASSERT_NEAR(got[i], want[i], p.c.expected_atol) << "output " << o << " element " << i;
        }
      }
      // Shape rule (when the op has one) agrees with what the reference produced.
      if (s->infer) {
        std::vector<TensorMeta> metas;
        for (auto* t : p.ptrs) metas.push_back(t ? TensorMeta{t->dtype(), t->shape(), t} : TensorMeta{});
        auto inferred = s->infer(p.c.node, metas);
        ASSERT_GE(inferred.size(), std::min<size_t>(ref.size(), p.c.num_outputs));
        for (size_t o = 0; o < ref.size() && o < static_cast<size_t>(p.c.num_outputs); ++o) {
          EXPECT_EQ(inferred[o].shape, ref[o].shape()) << "shape rule, output " << o;
          EXPECT_EQ(inferred[o].dtype, ref[o].dtype()) << "shape rule dtype, output " << o;
        }
      }
      for (const KernelImpl& k : s->fast) {
        for (int threads : {1, 2}) {
          std::shared_ptr<void> state;
          OpContext ctx{p.c.node, p.ptrs, threads, &state};
          if (!k.runnable() || !k.supports(ctx)) continue;  // yielding kernels too: still correct
          SCOPED_TRACE(k.name + " threads=" + std::to_string(threads));
          ++fast_checks;
          if (threads == 1) ++ran[s->op_type + " / " + k.name];
          // Garbage-filled (NaN for floats) buffers as the planned executor's memory plan
          // hands them out: a kernel that uses them must overwrite every element.
          std::vector<Tensor> planned;
          for (size_t o = 0; o < ref.size(); ++o) {
            planned.push_back(Tensor::empty(ref[o].dtype(), ref[o].shape()));
            std::memset(planned.back().raw(), 0xff, planned.back().nbytes());
          }
          // Second call exercises cached state, third writes into planned buffers.
          for (int rep = 0; rep < 3; ++rep) {
            ctx.planned_outputs = rep == 2 ? &planned : nullptr;
            std::vector<Tensor> got = k.run(ctx);
            // Kernels may omit outputs the node does not ask for.
            const size_t compared = std::min<size_t>(ref.size(), p.c.num_outputs);
            ASSERT_GE(got.size(), compared);
            for (size_t o = 0; o < compared; ++o) {
              ASSERT_EQ(got[o].shape(), ref[o].shape());
              EXPECT_LE(rel_l2(got[o], ref[o]), p.c.budget) << "output " << o;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(cases, 0);
  RecordProperty("fast_kernel_checks", fast_checks);
  // A fast kernel whose supports() never accepts a case is never checked here, and in a
  // model it would silently leave its op on the reference: every one must run at least once
  // (where the CPU has its ISA).
  for (const OpSchema* s : all_ops())
    for (const KernelImpl& k : s->fast) {
      // The name says the ISA (XNNPACK-style); the declared need must agree, or the executor
      // would offer the kernel nodes on a CPU that cannot run it.
      if (k.name.starts_with("bf16-"))  // oneDNN's bf16 primitives: emulated, slower than fp32, without it
        EXPECT_EQ(k.needs, CpuFeature::avx512_bf16) << k.name;
      else if (k.name.find("vnni") != std::string::npos)
        EXPECT_EQ(k.needs, CpuFeature::avx512_vnni) << k.name;
      else if (k.name.find("avx512") != std::string::npos)
        EXPECT_EQ(k.needs, CpuFeature::avx512f) << k.name;
      else if (k.name.find("avx2") != std::string::npos)
        EXPECT_EQ(k.needs, CpuFeature::avx2) << k.name;
      else
        EXPECT_EQ(k.needs, CpuFeature::none) << k.name;
      if (!k.runnable()) continue;
      EXPECT_GT(ran[s->op_type + " / " + k.name], 0) << "fast kernel " << k.name << " of " << s->op_type
                                                     << " accepted no harness case";
    }
}

}  // namespace
}  // namespace ecoinfer::test
