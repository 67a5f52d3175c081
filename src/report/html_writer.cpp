#include "report/html_writer.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/error.h"
#include "report/chart_data.h"
#include "report/format.h"
#include "report/page_assets.h"

namespace ecoinfer::report {
namespace fs = std::filesystem;

fs::path chartjs_path() {
  if (const char* e = std::getenv("ECOINFER_CHARTJS"); e && *e) return e;
  return kDefaultChartJsPath;
}

std::string read_chartjs() {
  const fs::path p = chartjs_path();
  std::ifstream in(p, std::ios::binary);
  ECO_CHECK(in.good(),
            "{}: Chart.js not found; report.html inlines it from Debian's libjs-chart.js (apt-get install libjs-chart.js, "
            "or point ECOINFER_CHARTJS at a chart.min.js of Chart.js 3)",
            p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  std::string js = ss.str();
  ECO_CHECK(js.find("Chart") != std::string::npos, "{}: does not look like Chart.js (no 'Chart' in it)", p.string());
  // Inlined in <script>: a literal "</script" would end the element early.
  ECO_CHECK(js.find("</script") == std::string::npos, "{}: contains \"</script\" and cannot be inlined", p.string());
  return js;
}

namespace {

std::string esc(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += ch;
    }
  }
  return o;
}

std::string cell_class(const std::string& v) {
  if (v == "supported") return " class=\"verdict-supported\"";
  if (v == "not supported") return " class=\"verdict-not-supported\"";
  if (v == "inconclusive") return " class=\"verdict-inconclusive\"";
  return "";
}

void table_html(std::ostringstream& o, const Table& t) {
  // Chart data, and any table too long to read at a glance, fold away behind its title.
  const bool collapse = t.chart_data || t.rows.size() > 30;
  if (collapse)
    o << "<details id=\"" << t.id << "\"><summary>" << esc(t.title) << " (" << t.rows.size() << " rows)</summary>\n";
  else
    o << "<h3 id=\"" << t.id << "\">" << esc(t.title) << "</h3>\n";
  o << "<p class=\"note\">" << esc(t.note) << "</p>\n";
  if (t.rows.empty()) {
    o << "<p class=\"note\"><em>(no rows)</em></p>\n";
  } else {
    o << "<div class=\"scroll\"><table><thead><tr>";
    for (const std::string& c : t.columns) o << "<th>" << esc(c) << "</th>";
    o << "</tr></thead><tbody>\n";
    for (const auto& row : t.rows) {
      o << "<tr>";
      for (const std::string& v : row) {
        if (v.find('\n') != std::string::npos)
          o << "<td><pre>" << esc(v) << "</pre></td>";
        else
          o << "<td" << cell_class(v) << ">" << esc(v) << "</td>";
      }
      o << "</tr>\n";
    }
    o << "</tbody></table></div>\n";
  }
  if (collapse) o << "</details>\n";
}

void figure(std::ostringstream& o, const std::string& anchor, const char* kind, const std::string& caption,
            const std::string& data_table, bool has_data, const std::string& empty_note) {
  if (!has_data) {
    o << "<figure><div class=\"nochart\">" << esc(empty_note) << "</div></figure>\n";
    return;
  }
  o << "<figure><canvas id=\"" << anchor << "-chart-" << kind << "\" width=\"560\" height=\"320\"></canvas><figcaption>"
    << esc(caption) << " Data: <a href=\"#" << data_table << "\">table</a>.</figcaption></figure>\n";
}

void warnings(std::ostringstream& o, const ReportContent& c) {
  if (c.provenance.any_estimate)
    o << "<div class=\"warning\" id=\"estimate-warning\"><strong>Warning: estimated energy.</strong> "
      << esc(estimate_warning_text()) << "</div>\n";
  if (c.provenance.overall_source == "unavailable")
    o << "<div class=\"warning\" id=\"unavailable-warning\"><strong>Warning: missing energy.</strong> "
      << esc(missing_energy_warning_text()) << "</div>\n";
  if (c.nodes.mixed())
    o << "<div class=\"warning\" id=\"node-types-warning\"><strong>Warning: more than one node type.</strong> "
      << esc(mixed_nodes_warning_text(c.nodes)) << "</div>\n";
}

}  // namespace

std::string html_page(const ReportContent& c, const ReportTables& t, const std::string& chartjs) {
  const StudyData& d = *c.data;
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>ecoinfer report: " << esc(d.experiment.name)
    << "</title>\n<style>" << page_style() << "</style>\n<script>" << page_error_trap() << "</script>\n<script>" << chartjs
    << "\n</script>\n</head><body>\n";
  o << "<h1>ecoinfer study report: " << esc(d.experiment.name) << "</h1>\n<p class=\"meta\">" << esc(report_summary_line(c))
    << "</p>\n";
  warnings(o, c);

  o << "<nav><strong>Contents</strong><ul>";
  for (const Table& x : t.overview) o << "<li><a href=\"#" << x.id << "\">" << esc(x.title) << "</a></li>";
  for (const ModelTables& m : t.models) o << "<li><a href=\"#" << m.anchor << "\">Model " << esc(m.label) << "</a></li>";
  for (const Table& x : t.appendix) o << "<li><a href=\"#" << x.id << "\">" << esc(x.title) << "</a></li>";
  o << "<li><a href=\"#conventions\">Conventions</a></li></ul></nav>\n";

  o << "<h2>The answer</h2>\n";
  for (const Table& x : t.overview) table_html(o, x);

  for (std::size_t k = 0; k < t.models.size(); ++k) {
    const ModelTables& m = t.models[k];
    const ModelReport& mr = c.models[k];
    o << "<h2 id=\"" << m.anchor << "\">Model " << esc(m.label) << "</h2>\n";
    o << "<p class=\"answer" << (mr.recommendation.tactic ? "" : " none") << "\">" << esc(m.recommendation) << "</p>\n";
    if (const std::string note = low_power_note(mr.analysis.min_n); !note.empty())
      o << "<p class=\"note\">" << esc(note) << "</p>\n";
    bool accuracy = false, cost = false, power = false;
    for (std::size_t i = 0; i < mr.analysis.tactics.size(); ++i) {
      const TacticEconomics* te = mr.economics.find(mr.analysis.tactics[i]);
      const VariantRow* v = d.variant(mr.analysis.setting.model, mr.analysis.tactics[i], mr.analysis.setting.batch);
      accuracy = accuracy || (te && te->energy_j && v && v->top1);
      cost = cost || (te && !te->curve.empty());
      power = power || !mr.representative_run[i].empty();
    }
    auto has_values = [&](Metric metric) {
      const MetricAnalysis* ma = mr.analysis.find(metric);
      if (!ma) return false;
      for (const TacticMetric& tm : ma->tactics)
        if (!tm.all_values.empty()) return true;
      return false;
    };
    o << "<div class=\"charts\">\n";
    figure(o, m.anchor, "energy", "Energy per image of every run per tactic: box = quartiles, thick line = median, whiskers to "
           "the most extreme run within 1.5×IQR, triangles = runs flagged beyond it.", m.anchor + "-runs", has_values(Metric::energy_per_image),
           "No energy figures: no energy chart.");
    figure(o, m.anchor, "time", "Time per image of every run per tactic, drawn as the energy chart.", m.anchor + "-runs",
           has_values(Metric::time_per_image), "No time figures: no time chart.");
    figure(o, m.anchor, "accuracy", "Top-1 against median energy per image; the dashed line joins the Pareto front.",
           m.anchor + "-accuracy", accuracy, "No accuracy or energy figures: no accuracy-energy chart.");
    figure(o, m.anchor, "cost", "Cumulative cost of N inferences (log-log): the baseline, and each tactic with its one-off "
           "cost; crosses mark the break-even points.", m.anchor + "-cost-curve", cost,
           "No cost curve: the one-off cost or the energy is unknown, or only the baseline was measured.");
    figure(o, m.anchor, "power", "Power over the metered window of the run nearest each tactic's median energy per image.",
           m.anchor + "-power", power, "No power samples stored ([meter] keep_samples = false): no power time series.");
    o << "</div>\n";
    for (const Table& x : m.tables) table_html(o, x);
  }

  o << "<h2>Provenance, study and environment</h2>\n";
  for (const Table& x : t.appendix) table_html(o, x);

  o << "<h2 id=\"conventions\">Conventions</h2>\n<ul class=\"note\">";
  for (const std::string& line : convention_lines()) o << "<li>" << esc(line) << "</li>";
  o << "</ul>\n";

  std::string json = chart_data(c, t).dump();
  // Inside <script>, "</" could close the element; "<\/" is the same JSON string.
  for (std::size_t pos = 0; (pos = json.find("</", pos)) != std::string::npos; pos += 3) json.replace(pos, 2, "<\\/");
  o << "<div id=\"render-status\" data-state=\"pending\"></div>\n";
  o << "<script type=\"application/json\" id=\"report-data\">" << json << "</script>\n";
  o << "<script>" << page_chart_script() << "</script>\n</body></html>\n";
  return o.str();
}

}  // namespace ecoinfer::report
