#pragma once
// How the report writes numbers: the same text in HTML, Markdown and CSV cells. Unknown
// values print as "n/a" (never 0); significant digits rather than fixed decimals, because
// an energy per image can be 1e-4 J on one model and 3 J on another.
#include <optional>
#include <string>

namespace ecoinfer::report {

inline constexpr const char* kUnknown = "n/a";

// `digits` significant digits, %g style (scientific below 1e-4 and from 1e6 up).
std::string num(double v, int digits = 4);
std::string num(const std::optional<double>& v, int digits = 4);
// A p-value: 4 significant digits, "< 1e-16" below that (double precision's floor).
std::string pval(double p);
std::string pval(const std::optional<double>& p);
// "p = 0.0031", or "p < 1e-16" below double precision's floor.
std::string p_equals(const std::optional<double>& p);
// "1 top-1 point", "0.5 top-1 points".
std::string top1_points(double points);
// "[lo, hi]".
std::string interval(double lo, double hi, int digits = 4);
// A signed percentage with 1 decimal: "-23.4 %".
std::string percent(double v);
// An inference count: "12,345,678" up to 1e9, else "1.2e+12".
std::string count(double n);
// A cost: 3 significant digits plus the currency ("0.000123 EUR").
std::string money(double v, const std::string& currency);
std::string money(const std::optional<double>& v, const std::string& currency);

}  // namespace ecoinfer::report
