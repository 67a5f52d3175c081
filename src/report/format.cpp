#include "report/format.h"

#include <cmath>

#include <fmt/format.h>

namespace ecoinfer::report {

std::string num(double v, int digits) {
  if (!std::isfinite(v)) return std::isnan(v) ? kUnknown : (v > 0 ? "inf" : "-inf");
  if (v == 0) return "0";
  return fmt::format("{:.{}g}", v, digits);
}

std::string num(const std::optional<double>& v, int digits) { return v ? num(*v, digits) : kUnknown; }

std::string pval(double p) {
  if (!std::isfinite(p)) return kUnknown;
  if (p < 1e-16) return "< 1e-16";
  return fmt::format("{:.4g}", p);
}

std::string pval(const std::optional<double>& p) { return p ? pval(*p) : kUnknown; }

std::string p_equals(const std::optional<double>& p) {
  const std::string text = pval(p);
  return text[0] == '<' ? "p " + text : "p = " + text;
}

std::string top1_points(double points) { return num(points, 3) + (points == 1 ? " top-1 point" : " top-1 points"); }

std::string interval(double lo, double hi, int digits) { return fmt::format("[{}, {}]", num(lo, digits), num(hi, digits)); }

std::string percent(double v) {
  if (!std::isfinite(v)) return kUnknown;
  return fmt::format("{:+.1f} %", v);
}

std::string count(double n) {
  if (!std::isfinite(n)) return "never";
  if (n < 0) return fmt::format("-{}", count(-n));
  if (n >= 1e9) return fmt::format("{:.3g}", n);
  const long long k = std::llround(n);
  std::string digits = std::to_string(k);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string money(double v, const std::string& currency) { return num(v, 3) + " " + currency; }

std::string money(const std::optional<double>& v, const std::string& currency) {
  return v ? money(*v, currency) : kUnknown;
}

}  // namespace ecoinfer::report
