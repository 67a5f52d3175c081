// Pruning semantics pinned against torch.nn.utils.prune (PyTorch 1.13, values checked there).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "tactics/prune.h"
#include "tactics/tactic.h"
#include "tactics/tactic_test_util.h"

namespace ecoinfer::test {
namespace {

std::vector<float> weights(const ModelBundle& m, const std::string& name) {
  return m.graph.initializers.at(name).to_f32_vector();
}

TEST(PruneSemantics, FractionRoundsHalfToEvenLikePython) {
  auto a = [](const char* s) { return parse_prune_amount(s, "prune-local"); };
  EXPECT_EQ(prune_count(a("0.25"), 10, "t"), 2);   // round(2.5) == 2
  EXPECT_EQ(prune_count(a("0.35"), 10, "t"), 4);   // round(3.5) == 4 (0.35 * 10 == 3.5 in double)
  EXPECT_EQ(prune_count(a("0.125"), 20, "t"), 2);  // round(2.5) == 2
  EXPECT_EQ(prune_count(a("0.375"), 4, "t"), 2);   // round(1.5) == 2
  EXPECT_EQ(prune_count(a("0.5"), 7, "t"), 4);     // round(3.5) == 4
  EXPECT_EQ(prune_count(a("0.5"), 5, "t"), 2);     // round(2.5) == 2
  EXPECT_EQ(prune_count(a("1.0"), 9, "t"), 9);
  EXPECT_EQ(prune_count(a("0.0"), 9, "t"), 0);
  EXPECT_EQ(prune_count(a("1e-1"), 30, "t"), 3);
}

TEST(PruneSemantics, IntegerIsACount) {
  auto c = parse_prune_amount("3", "prune-global");
  EXPECT_TRUE(c.is_count);
  EXPECT_EQ(prune_count(c, 10, "t"), 3);
  EXPECT_EQ(prune_count(parse_prune_amount("1", "t"), 10, "t"), 1);  // "1" is one weight, "1.0" all
  EXPECT_THROW(prune_count(parse_prune_amount("11", "t"), 10, "t"), Error);
}

TEST(PruneSemantics, BadAmountsAreErrors) {
  for (const char* s : {"", "1.5", "-0.1", "-3", "abc", "0.5x", "nan", "inf", "1e3"})
    EXPECT_THROW(parse_prune_amount(s, "prune-local"), Error) << s;
}

TEST(PruneSemantics, PrunedNegativesBecomeNegativeZero) {
  ModelBundle m = linear_model({{{2, 5}, {-1, 2, -3, 4, -5, 6, -7, 8, -9, 10}}});
  const TacticContext m_tc = apply_tactics(m, {"prune-local:0.4"});
  auto w = weights(m, "w0");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(w[i], 0.f);
    EXPECT_EQ(std::signbit(w[i]), i % 2 == 0) << i;  // -1, -3 -> -0.0; 2, 4 -> +0.0
  }
  EXPECT_EQ(w[4], -5.f);
}

// torch: l1_unstructured(0.25) then l1_unstructured(0.5) on [-1, 2, ..., 10] keeps the
// last four: the second amount applies to the 8 entries left (round(4.0)).
TEST(PruneSemantics, RepeatedLocalPruningCompounds) {
  ModelBundle m = linear_model({{{10, 1}, {-1, 2, -3, 4, -5, 6, -7, 8, -9, 10}}});
  const TacticContext r_tc = apply_tactics(m, {"prune-local:0.25", "prune-local:0.5"});
  const auto& r = r_tc.results;
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].summary["pruned"], 2);
  EXPECT_EQ(r[1].summary["pruned"], 4);
  auto w = weights(m, "w0");
  const std::vector<float> want{-0.f, 0, -0.f, 0, -0.f, 0, -7, 8, -9, 10};
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(w[i], want[i]) << i;
    EXPECT_EQ(std::signbit(w[i]), std::signbit(want[i])) << i;
  }
  EXPECT_DOUBLE_EQ(r[1].summary["weight_sparsity"].get<double>(), 0.6);
}

// torch: global_unstructured 0.25 then 0.5 over a=[1,2,3,4], b=[1.5,2.5,3.5,4.5]: masks
// a=[0,0,0,1], b=[0,0,1,1] (2 pruned, then 3 of the 6 left).
TEST(PruneSemantics, RepeatedGlobalPruningCompounds) {
  ModelBundle m = linear_model({{{4, 1}, {1, 2, 3, 4}}, {{1, 4}, {1.5f, 2.5f, 3.5f, 4.5f}}});
  const TacticContext m_tc = apply_tactics(m, {"prune-global:0.25", "prune-global:0.5"});
  EXPECT_EQ(weights(m, "w0"), (std::vector<float>{0, 0, 0, 4}));
  EXPECT_EQ(weights(m, "w1"), (std::vector<float>{0, 0, 3.5f, 4.5f}));
}

TEST(PruneSemantics, GlobalUsesOneThresholdAcrossLayers) {
  ModelBundle m = linear_model({{{2, 2}, {0.1f, 0.2f, 0.3f, 0.4f}}, {{2, 2}, {5, 6, 7, 0.05f}}});
  const TacticContext r_tc = apply_tactics(m, {"prune-global:4"});
  const auto& r = r_tc.results;
  EXPECT_EQ(weights(m, "w0"), (std::vector<float>{0, 0, 0, 0.4f}));
  EXPECT_EQ(weights(m, "w1"), (std::vector<float>{5, 6, 7, 0}));
  EXPECT_DOUBLE_EQ(r[0].summary["per_layer_sparsity"]["w0"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(r[0].summary["per_layer_sparsity"]["w1"].get<double>(), 0.25);
}

// Exactly k entries go even when |w| ties at the threshold; the lowest flat index goes first
// (locally within a weight, globally in graph node order).
TEST(PruneSemantics, TiesPruneExactlyKLowestIndexFirst) {
  ModelBundle m = linear_model({{{8, 1}, {1, -1, 1, 1, -1, 1, 1, 1}}});
  apply_tactics(m, {"prune-local:3"});
  auto w = weights(m, "w0");
  EXPECT_EQ(w, (std::vector<float>{0, -0.f, 0, 1, -1, 1, 1, 1}));
  ModelBundle g = linear_model({{{2, 2}, {2, 1, 1, 2}}, {{2, 2}, {1, 1, 3, 3}}});
  apply_tactics(g, {"prune-global:3"});
  EXPECT_EQ(weights(g, "w0"), (std::vector<float>{2, 0, 0, 2}));
  EXPECT_EQ(weights(g, "w1"), (std::vector<float>{0, 1, 3, 3}));
}

TEST(PruneSemantics, SharedWeightIsPrunedOnce) {
  ModelBundle m = linear_model({{{2, 2}, {1, 2, 3, 4}}}, true);
  EXPECT_EQ(prunable_weights(m.graph), (std::vector<std::string>{"w0"}));
  const TacticContext r_tc = apply_tactics(m, {"prune-local:0.5"});
  const auto& r = r_tc.results;
  EXPECT_EQ(r[0].summary["pruned"], 2);
  EXPECT_EQ(weights(m, "w0"), (std::vector<float>{0, 0, 3, 4}));
}

TEST(PruneSemantics, SelectionMatchesSortingOnRandomData) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> small(-20, 20);  // many ties
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<float> v(1000);
    for (float& x : v) x = trial % 2 ? small(rng) * 0.25f : std::ldexp(float(small(rng)), small(rng));
    std::vector<uint8_t> keep(v.size(), 1);
    std::vector<PruneSegment> segs{{v.data(), keep.data(), 400}, {v.data() + 400, keep.data() + 400, 600}};
    const int64_t k = rng() % 1000;
    select_smallest(segs, k);
    std::vector<int> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return std::fabs(v[a]) < std::fabs(v[b]); });
    std::vector<uint8_t> want(v.size(), 1);
    for (int64_t i = 0; i < k; ++i) want[order[i]] = 0;
    EXPECT_EQ(keep, want) << "trial " << trial;
  }
}

TEST(PruneSemantics, ErrorsNameTheTactic) {
  ModelBundle m = linear_model({{{2, 2}, {1, 2, 3, 4}}});
  try {
    apply_tactics(m, {"prune-global:2.5"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("prune-global"), std::string::npos) << e.what();
  }
  EXPECT_THROW(apply_tactics(m, {"prune-sideways:0.5"}), Error);
  EXPECT_THROW(apply_tactics(m, {"prune-local"}), Error);
}

}  // namespace
}  // namespace ecoinfer::test
