#pragma once
// summary.csv: one row per model setting x tactic, machine-readable (plain numbers in SI
// units, empty cells for unknown values, RFC 4180 quoting). Columns in docs/report.md.
#include <string>

#include "report/report_content.h"

namespace ecoinfer::report {

std::string summary_csv(const ReportContent& c);

}  // namespace ecoinfer::report
