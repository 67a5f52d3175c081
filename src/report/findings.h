#pragma once
// The seed study's four findings, checked per model setting against this study's data. Each is
// supported, not supported or inconclusive, with the statistic that decides. "Significantly
// lower/higher" means what it means for the recommendation (recommendation.h): the decisive
// p below alpha, |Cliff's delta| at least small, and the median on that side of the baseline's.
//
// 1. Dynamic quantization (the chain `dynamic-int8`, any variant, alone) cuts inference time
//    and energy: supported when both are significantly lower; not supported when either is
//    significantly higher; inconclusive otherwise (absent, or a difference not significant).
// 2. Compile (the chain `compile` alone) balances accuracy and energy: supported when energy
//    is significantly lower and top-1 stays within the accuracy budget; not supported when
//    top-1 drops beyond the budget or energy is significantly higher; inconclusive otherwise.
// 3. Local pruning (every `prune-local:*` chain alone) does not improve the model: not
//    supported when some chain has significantly lower energy or time, or higher top-1 by
//    more than the budget; supported when none does and every chain has at least
//    kMinRunsForNoEffect runs per group (fewer cannot show the absence of an effect);
//    inconclusive otherwise.
// 4. Global pruning's optimization time raises its cost (every `prune-global:*` chain alone):
//    supported when its extra preparation time over the baseline is positive and larger
//    than the largest of the `prune-local:*` chains' (the seed study's comparison; against the
//    baseline alone when the study has no local pruning), so that its one-off cost is higher;
//    not supported when it is not; inconclusive when absent or not timed. One preparation per
//    variant is measured, so this is a comparison of single measurements, not a test.
#include <string>
#include <vector>

#include "report/analysis.h"
#include "report/economics_view.h"

namespace ecoinfer::report {

inline constexpr std::size_t kMinRunsForNoEffect = 10;

enum class Verdict { supported, not_supported, inconclusive };
const char* verdict_name(Verdict v);

struct Finding {
  std::string claim;
  Verdict verdict = Verdict::inconclusive;
  std::string tactics;    // the chains it looked at
  std::string statistic;  // what decided
};

std::vector<Finding> findings_of(const StudyData& d, const GroupAnalysis& g, const GroupEconomics& e,
                                 const ReportSettings& settings);

}  // namespace ecoinfer::report
