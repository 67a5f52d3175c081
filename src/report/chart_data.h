#pragma once
// The data of report.html's charts, as the JSON its script reads. The same numbers are in
// the page's tables (tables.h); this is only their machine-readable form for Chart.js.
#include <nlohmann/json.hpp>

#include "report/report_content.h"
#include "report/tables.h"

namespace ecoinfer::report {

// {"models": [{"label", "anchor", "tactics", "energy", "time", "accuracy", "cost", "power"}], "currency"}
nlohmann::json chart_data(const ReportContent& c, const ReportTables& t);

}  // namespace ecoinfer::report
