#pragma once
// Where the report's energy figures come from: the least trustworthy source among the runs
// behind a figure (counter < sampled < estimate < unavailable, docs/metering.md), the
// estimate's parameters when any figure is an estimate, and the environment as rows.
#include <string>
#include <utility>
#include <vector>

#include "report/study_data.h"

namespace ecoinfer::report {

// 0 counter, 1 sampled, 2 estimate, 3 unavailable (and anything unknown).
int source_rank(const std::string& source);
// The least trustworthy of two sources.
std::string worse_source(const std::string& a, const std::string& b);

struct Provenance {
  std::string overall_source = "counter";  // least trustworthy source over every run and idle baseline
  bool any_estimate = false;
  std::vector<std::string> estimate_parameters;  // distinct estimate_json texts of the runs, pretty
  std::vector<std::string> warnings;             // distinct meter warnings of the runs
  // (run source, number of runs) in rank order.
  std::vector<std::pair<std::string, std::size_t>> runs_by_source;
};

Provenance provenance_of(const StudyData& d);

// The least trustworthy energy source of the listed runs ("unavailable" when the list is empty).
std::string source_of_runs(const StudyData& d, const std::vector<std::string>& run_ids);

// environment_json flattened to (dotted key, value text) rows, in key order; lists of
// scalars joined with ", ", lists of objects indexed ("gpus[0].name").
std::vector<std::pair<std::string, std::string>> environment_rows(const nlohmann::json& env);

}  // namespace ecoinfer::report
