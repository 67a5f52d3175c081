#pragma once
// The report's tables as text cells, shared by report.html and report.md so that both say
// exactly the same thing. docs/report.md explains every table.
#include <string>
#include <vector>

#include "report/report_content.h"

namespace ecoinfer::report {

struct Table {
  std::string id;     // anchor in report.html
  std::string title;
  std::string note;   // what the table shows and its conventions, one paragraph
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  bool chart_data = false;  // the data behind a chart (collapsed in report.html)
};

struct ModelTables {
  std::string label, anchor;
  std::string recommendation;  // the statement
  std::vector<Table> tables;
};

struct ReportTables {
  std::vector<Table> overview;  // recommendations, findings
  std::vector<ModelTables> models;
  std::vector<Table> appendix;  // provenance, estimate, excluded runs, study, nodes (runs by node), environment
};

ReportTables tables_of(const ReportContent& c);

// The conventions every table follows, one sentence each (the report's last section).
std::vector<std::string> convention_lines();
// The sentence under the report's title: store, runs, the energy source, the settings.
std::string report_summary_line(const ReportContent& c);
// The prominent warnings at the top of the report: estimated energy, missing energy.
std::string estimate_warning_text();
std::string missing_energy_warning_text();
// The note under a model whose smallest sample has fewer than 30 runs (empty otherwise).
std::string low_power_note(std::size_t min_n);

// A string usable as an HTML id / Markdown anchor: lower case, [a-z0-9-].
std::string anchor_of(const std::string& s);

}  // namespace ecoinfer::report
