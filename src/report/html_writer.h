#pragma once
// report.html: one self-contained page (style, Chart.js, data and script inlined) that opens
// offline. Chart.js comes from Debian's libjs-chart.js, read when the report is written.
#include <filesystem>
#include <string>

#include "report/report_content.h"
#include "report/tables.h"

namespace ecoinfer::report {

// Debian's path of Chart.js; ECOINFER_CHARTJS overrides it.
inline constexpr const char* kDefaultChartJsPath = "/usr/share/javascript/chart.js/chart.min.js";

// The path in use (ECOINFER_CHARTJS, else the Debian path).
std::filesystem::path chartjs_path();
// Reads Chart.js; throws ecoinfer::Error naming the path and the package when it is missing,
// empty, or not something that can be inlined in a <script> element.
std::string read_chartjs();

std::string html_page(const ReportContent& c, const ReportTables& t, const std::string& chartjs);

}  // namespace ecoinfer::report
