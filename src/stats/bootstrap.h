#pragma once
// Seeded percentile-bootstrap confidence intervals of the median and of the relative
// change of the median between two samples.
//
// Reproducible on every platform and standard library, by construction:
//  - the engine is std::mt19937_64 seeded with `seed` (its output sequence is fixed by
//    the C++ standard; std::uniform_int_distribution is not, so it is not used);
//  - an index in [0, n) comes from one or more 64-bit draws x: draws with x < 2^64 mod n
//    are rejected (that removes the modulo bias), and the index is x mod n;
//  - one resample takes n indices in a row; resamples follow one another in the stream.
//    For a relative change, each iteration resamples the baseline, then the treatment.
//  - the interval is the (1 - confidence)/2 and (1 + confidence)/2 quantiles of the
//    resampled statistics, with numpy's linear quantile definition (descriptive.h).
// tools/gen_stats_fixtures.py reimplements this algorithm in Python and the tests check
// the C++ result against it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>

namespace ecoinfer::stats {

inline constexpr std::uint64_t kDefaultBootstrapSeed = 20240601;

struct BootstrapOptions {
  std::size_t resamples = 10000;
  double confidence = 0.95;
  std::uint64_t seed = kDefaultBootstrapSeed;
};

struct Interval {
  double lo = 0;
  double hi = 0;
};

// Uniform indices in [0, n) from std::mt19937_64 with the rejection rule above.
class ResampleIndices {
 public:
  explicit ResampleIndices(std::uint64_t seed) : engine_(seed) {}
  std::size_t next(std::size_t n);

 private:
  std::mt19937_64 engine_;
};

struct MedianEstimate {
  double median = 0;
  Interval ci;
};

// The sample median with its percentile-bootstrap CI. Needs n >= 1 and resamples >= 1.
MedianEstimate bootstrap_median(std::span<const double> x, const BootstrapOptions& opts = {});

struct RelativeChange {
  double percent = 0;  // 100 (median(treatment) - median(baseline)) / median(baseline)
  Interval ci;         // percentile-bootstrap CI of that percentage
};

// Undefined (nullopt, reason in *why when given) when the baseline median, or the
// median of any baseline resample, is 0: the percentage has no finite value there.
std::optional<RelativeChange> bootstrap_relative_median_change(std::span<const double> baseline,
                                                                std::span<const double> treatment,
                                                                const BootstrapOptions& opts = {},
                                                                std::string* why = nullptr);

}  // namespace ecoinfer::stats
