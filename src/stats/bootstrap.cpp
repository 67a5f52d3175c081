#include "stats/bootstrap.h"

#include <algorithm>
#include <vector>

#include "core/error.h"
#include "stats/descriptive.h"
#include "stats/validate.h"

namespace ecoinfer::stats {

std::size_t ResampleIndices::next(std::size_t n) {
  const auto n64 = static_cast<std::uint64_t>(n);
  // 2^64 mod n, computed in 64-bit arithmetic as (2^64 - n) mod n.
  const std::uint64_t reject_below = (0 - n64) % n64;
  std::uint64_t x;
  do x = engine_();
  while (x < reject_below);
  return static_cast<std::size_t>(x % n64);
}

namespace {

void check_options(const BootstrapOptions& opts, const char* what) {
  ECO_CHECK(opts.resamples >= 1, "{}: resamples must be at least 1", what);
  ECO_CHECK(opts.confidence > 0 && opts.confidence < 1, "{}: confidence {} is outside (0, 1)", what, opts.confidence);
}

// Median of one resample of x; `scratch` is reused across calls.
double resample_median(std::span<const double> x, ResampleIndices& rng, std::vector<double>& scratch) {
  scratch.resize(x.size());
  for (double& v : scratch) v = x[rng.next(x.size())];
  std::sort(scratch.begin(), scratch.end());
  return median_sorted(scratch);
}

Interval percentile_interval(std::vector<double>& stats, double confidence) {
  std::sort(stats.begin(), stats.end());
  const double tail = (1 - confidence) / 2;
  return {quantile_sorted(stats, tail), quantile_sorted(stats, 1 - tail)};
}

}  // namespace

MedianEstimate bootstrap_median(std::span<const double> x, const BootstrapOptions& opts) {
  check_sample(x, 1, "bootstrap_median");
  check_options(opts, "bootstrap_median");
  ResampleIndices rng(opts.seed);
  std::vector<double> medians(opts.resamples), scratch;
  for (double& m : medians) m = resample_median(x, rng, scratch);
  return {median(x), percentile_interval(medians, opts.confidence)};
}

std::optional<RelativeChange> bootstrap_relative_median_change(std::span<const double> baseline,
                                                                std::span<const double> treatment,
                                                                const BootstrapOptions& opts, std::string* why) {
  check_sample(baseline, 1, "bootstrap_relative_median_change: baseline");
  check_sample(treatment, 1, "bootstrap_relative_median_change: treatment");
  check_options(opts, "bootstrap_relative_median_change");
  auto undefined = [&](const char* reason) -> std::optional<RelativeChange> {
    if (why) *why = reason;
    return std::nullopt;
  };
  const double base = median(baseline);
  if (base == 0) return undefined("the baseline median is 0");
  ResampleIndices rng(opts.seed);
  std::vector<double> changes(opts.resamples), scratch;
  for (double& c : changes) {
    const double mb = resample_median(baseline, rng, scratch);
    const double mt = resample_median(treatment, rng, scratch);
    if (mb == 0) return undefined("the median of a baseline resample is 0");
    c = 100 * (mt - mb) / mb;
  }
  return RelativeChange{100 * (median(treatment) - base) / base, percentile_interval(changes, opts.confidence)};
}

}  // namespace ecoinfer::stats
