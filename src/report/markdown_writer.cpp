#include "report/markdown_writer.h"

#include <sstream>

#include "report/format.h"

namespace ecoinfer::report {

namespace {

// A table cell: pipes escaped, line breaks as <br> (multi-line JSON stays one row).
std::string cell(const std::string& s) {
  std::string o;
  for (char ch : s) {
    if (ch == '|')
      o += "\\|";
    else if (ch == '\n')
      o += "<br>";
    else
      o += ch;
  }
  return o.empty() ? " " : o;
}

void table_md(std::ostringstream& o, const Table& t, const char* level) {
  o << level << " " << t.title << "\n\n" << t.note << "\n\n";
  if (t.rows.empty()) {
    o << "*(no rows)*\n\n";
    return;
  }
  o << "|";
  for (const std::string& c : t.columns) o << " " << cell(c) << " |";
  o << "\n|";
  for (std::size_t i = 0; i < t.columns.size(); ++i) o << "---|";
  o << "\n";
  for (const auto& row : t.rows) {
    o << "|";
    for (const std::string& v : row) o << " " << cell(v) << " |";
    o << "\n";
  }
  o << "\n";
}

}  // namespace

std::string markdown_page(const ReportContent& c, const ReportTables& t) {
  const StudyData& d = *c.data;
  std::ostringstream o;
  o << "# ecoinfer study report: " << d.experiment.name << "\n\n";
  o << report_summary_line(c) << " Charts are in report.html; their data are the tables marked \"chart data\".\n\n";
  if (c.provenance.any_estimate) o << "> **Warning: estimated energy.** " << estimate_warning_text() << "\n\n";
  if (c.provenance.overall_source == "unavailable")
    o << "> **Warning: missing energy.** " << missing_energy_warning_text() << "\n\n";
  if (c.nodes.mixed()) o << "> **Warning: more than one node type.** " << mixed_nodes_warning_text(c.nodes) << "\n\n";
  o << "## The answer\n\n";
  for (const Table& x : t.overview) table_md(o, x, "###");
  for (std::size_t k = 0; k < t.models.size(); ++k) {
    const ModelTables& m = t.models[k];
    o << "## Model " << m.label << "\n\n**Answer:** " << m.recommendation << "\n\n";
    if (const std::string note = low_power_note(c.models[k].analysis.min_n); !note.empty()) o << note << "\n\n";
    for (const Table& x : m.tables) table_md(o, x, "###");
  }
  o << "## Provenance, study and environment\n\n";
  for (const Table& x : t.appendix) table_md(o, x, "###");
  o << "## Conventions\n\n";
  for (const std::string& line : convention_lines()) o << "- " << line << "\n";
  return o.str();
}

}  // namespace ecoinfer::report
