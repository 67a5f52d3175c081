#pragma once
// report.md: the same tables as report.html, as GitHub-flavoured Markdown (no charts).
#include <string>

#include "report/report_content.h"
#include "report/tables.h"

namespace ecoinfer::report {

std::string markdown_page(const ReportContent& c, const ReportTables& t);

}  // namespace ecoinfer::report
