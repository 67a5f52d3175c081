#pragma once
// Everything the report says, computed once from a loaded store; the HTML, Markdown and CSV
// writers only lay it out.
#include <optional>
#include <string>
#include <vector>

#include "report/analysis.h"
#include "report/economics_view.h"
#include "report/findings.h"
#include "report/nodes.h"
#include "report/provenance.h"
#include "report/recommendation.h"
#include "report/study_data.h"

namespace ecoinfer::report {

struct ModelReport {
  GroupAnalysis analysis;
  GroupEconomics economics;
  Recommendation recommendation;
  std::vector<Finding> findings;
  std::vector<bool> pareto;  // per analysis.tactics: on the accuracy-energy Pareto front
  // Per analysis.tactics: the run whose energy per image is nearest the tactic's median among
  // the runs with stored samples (the power time series shown); empty when none has samples.
  std::vector<std::string> representative_run;
};

struct ReportContent {
  const StudyData* data = nullptr;
  ReportSettings settings;  // the effective settings (store's, overridden by options)
  stats::BootstrapOptions bootstrap;
  Provenance provenance;
  NodeView nodes;  // where the runs ran
  std::vector<ModelReport> models;
  std::size_t completed_runs = 0, excluded_runs = 0;
};

ReportContent build_report(const StudyData& d, const ReportSettings& settings, const stats::BootstrapOptions& bootstrap);

}  // namespace ecoinfer::report
