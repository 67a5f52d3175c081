// `ecoinfer stats compare A.txt B.txt` and `ecoinfer stats groups F1 F2 ...`: the
// statistics of src/stats on files with one number per line, for users and for checking
// ecoinfer against other tools. Blank lines are skipped; anything else that is not a
// finite number is an error naming the file and the line.
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "core/error.h"
#include "stats/descriptive.h"
#include "stats/effect_size.h"
#include "stats/kruskal_dunn.h"
#include "stats/mann_whitney.h"
#include "stats/shapiro_wilk.h"
#include "stats/welch.h"

namespace ecoinfer::cli {
namespace {

std::vector<double> read_numbers(const std::string& path) {
  std::ifstream in(path);
  ECO_CHECK(in.is_open(), "stats: cannot read '{}': {}", path, std::strerror(errno));
  std::vector<double> values;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const std::size_t last = line.find_last_not_of(" \t\r");
    const char* begin = line.data() + first;
    const char* end = line.data() + last + 1;
    // from_chars takes no leading '+'; "+-1" stays an error.
    const char* digits = (*begin == '+' && end - begin > 1 && begin[1] != '-') ? begin + 1 : begin;
    double v = 0;
    const auto [ptr, ec] = std::from_chars(digits, end, v);
    ECO_CHECK(ec == std::errc() && ptr == end && std::isfinite(v), "stats: {} line {}: '{}' is not a finite number", path,
              line_no, std::string(begin, end));
    values.push_back(v);
  }
  ECO_CHECK(!in.bad(), "stats: error while reading '{}'", path);
  return values;
}

nlohmann::json or_null(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

// Shapiro–Wilk of one sample for the output: W and p, or nulls and a note saying why.
struct Normality {
  std::optional<double> w, p;
};
Normality normality(const std::vector<double>& x, const std::string& path, nlohmann::json& notes) {
  if (x.size() > 5000) {
    notes.push_back(path + ": Shapiro-Wilk is defined here for 3 to 5000 values, not " + std::to_string(x.size()));
    return {};
  }
  const auto r = stats::shapiro_wilk(x);
  if (!r) {
    notes.push_back(path + ": all values are equal, so Shapiro-Wilk W is undefined");
    return {};
  }
  return {r->w, r->p};
}

std::string fmt_opt(const std::optional<double>& v) { return v ? fmt::format("{:.6g}", *v) : "undefined"; }

void run_compare(const std::string& path_a, const std::string& path_b, bool json) {
  const std::vector<double> a = read_numbers(path_a), b = read_numbers(path_b);
  ECO_CHECK(a.size() >= 3, "stats compare: {} has {} values; at least 3 are needed", path_a, a.size());
  ECO_CHECK(b.size() >= 3, "stats compare: {} has {} values; at least 3 are needed", path_b, b.size());
  nlohmann::json notes = nlohmann::json::array();
  const stats::Summary sa = stats::describe(a), sb = stats::describe(b);
  const stats::MannWhitneyResult mw = stats::mann_whitney(a, b);
  const auto welch = stats::welch_t_test(a, b);
  if (!welch) notes.push_back("both samples are constant, so Welch's t is undefined");
  const double delta = stats::cliffs_delta(a, b);
  const double a12 = stats::vargha_delaney_a12(a, b);
  const Normality na = normality(a, path_a, notes), nb = normality(b, path_b, notes);

  nlohmann::json j;
  j["n_a"] = sa.n;
  j["n_b"] = sb.n;
  j["median_a"] = sa.median;
  j["median_b"] = sb.median;
  j["mann_whitney_u"] = mw.u;
  j["mann_whitney_p"] = mw.p;
  j["mann_whitney_method"] = stats::method_name(mw.method);
  j["welch_t"] = or_null(welch ? std::optional(welch->t) : std::nullopt);
  j["welch_df"] = or_null(welch ? std::optional(welch->df) : std::nullopt);
  j["welch_p"] = or_null(welch ? std::optional(welch->p) : std::nullopt);
  j["cliffs_delta"] = delta;
  j["cliffs_magnitude"] = std::string(stats::magnitude_name(stats::cliffs_magnitude(delta)));
  j["a12"] = a12;
  j["shapiro_w_a"] = or_null(na.w);
  j["shapiro_p_a"] = or_null(na.p);
  j["shapiro_w_b"] = or_null(nb.w);
  j["shapiro_p_b"] = or_null(nb.p);
  j["notes"] = notes;
  if (json) {
    print_json(j);
    return;
  }
  std::printf("%-16s %14s %14s\n", "", "A", "B");
  std::printf("%-16s %14s %14s\n", "file", path_a.c_str(), path_b.c_str());
  std::printf("%-16s %14zu %14zu\n", "n", sa.n, sb.n);
  std::printf("%-16s %14.6g %14.6g\n", "mean", sa.mean, sb.mean);
  std::printf("%-16s %14.6g %14.6g\n", "sd", sa.sd, sb.sd);
  std::printf("%-16s %14.6g %14.6g\n", "median", sa.median, sb.median);
  std::printf("%-16s %14.6g %14.6g\n", "IQR", sa.iqr, sb.iqr);
  std::printf("%-16s %14s %14s\n", "Shapiro-Wilk W", fmt_opt(na.w).c_str(), fmt_opt(nb.w).c_str());
  std::printf("%-16s %14s %14s\n", "Shapiro-Wilk p", fmt_opt(na.p).c_str(), fmt_opt(nb.p).c_str());
  std::printf("\nMann-Whitney U   %.6g (U of A), two-sided p = %.6g (%s)\n", mw.u, mw.p, stats::method_name(mw.method));
  if (welch) std::printf("Welch's t        %.6g, df = %.6g, two-sided p = %.6g\n", welch->t, welch->df, welch->p);
  else std::printf("Welch's t        undefined\n");
  std::printf("Cliff's delta    %.6g (%s; Romano et al. bands)\n", delta,
              std::string(stats::magnitude_name(stats::cliffs_magnitude(delta))).c_str());
  std::printf("A12              %.6g (P(A > B) + 0.5 P(A = B))\n", a12);
  for (const auto& n : notes) std::printf("note: %s\n", n.get<std::string>().c_str());
}

void run_groups(const std::vector<std::string>& paths, bool json) {
  ECO_CHECK(paths.size() >= 2, "stats groups: needs at least 2 files, got {}", paths.size());
  std::vector<std::vector<double>> groups;
  for (const std::string& p : paths) {
    groups.push_back(read_numbers(p));
    ECO_CHECK(!groups.back().empty(), "stats groups: {} has no values", p);
  }
  const auto kw = stats::kruskal_wallis(groups);
  const auto dunn = stats::dunn_test(groups);
  nlohmann::json j;
  j["groups"] = paths;
  j["kruskal_h"] = or_null(kw ? std::optional(kw->h) : std::nullopt);
  j["kruskal_p"] = or_null(kw ? std::optional(kw->p) : std::nullopt);
  j["kruskal_df"] = groups.size() - 1;
  j["dunn"] = nlohmann::json::array();
  j["dunn_convention"] = "z = (mean rank a - mean rank b) / sigma, tie-corrected; p two-sided; p_holm Holm-adjusted over all pairs";
  j["notes"] = nlohmann::json::array();
  if (!kw) j["notes"].push_back("every value of every group is equal, so H and Dunn's z are undefined");
  if (dunn)
    for (const auto& d : *dunn) j["dunn"].push_back({{"a", d.a}, {"b", d.b}, {"z", d.z}, {"p", d.p}, {"p_holm", d.p_holm}});
  if (json) {
    print_json(j);
    return;
  }
  for (std::size_t g = 0; g < groups.size(); ++g)
    std::printf("group %zu  %-32s n = %zu, median = %.6g\n", g, paths[g].c_str(), groups[g].size(), stats::median(groups[g]));
  if (!kw) {
    std::printf("\nKruskal-Wallis   undefined: every value of every group is equal\n");
    return;
  }
  std::printf("\nKruskal-Wallis   H = %.6g, df = %zu, p = %.6g\n", kw->h, kw->df, kw->p);
  std::printf("\nDunn's test (two-sided p; p_holm: Holm-corrected over all %zu pairs)\n", dunn->size());
  std::printf("%5s %5s %12s %12s %12s\n", "a", "b", "z", "p", "p_holm");
  for (const auto& d : *dunn) std::printf("%5zu %5zu %12.6g %12.6g %12.6g\n", d.a, d.b, d.z, d.p, d.p_holm);
}

}  // namespace

void add_stats_command(CLI::App& app) {
  struct Args {
    std::string a, b;
    std::vector<std::string> files;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("stats", "statistical tests on files with one number per line");
  cmd->require_subcommand(1);

  CLI::App* compare = cmd->add_subcommand(
      "compare", "two samples: medians, Mann-Whitney U, Welch's t, Cliff's delta, A12, Shapiro-Wilk");
  compare->add_option("A", args->a, "first sample (U, delta and A12 are of A against B)")->required();
  compare->add_option("B", args->b, "second sample")->required();
  compare->add_flag("--json", args->json, "print one JSON object");
  compare->callback([args] { run_compare(args->a, args->b, args->json); });

  CLI::App* groups = cmd->add_subcommand("groups", "k samples: Kruskal-Wallis H, then Dunn's test with Holm's correction");
  groups->add_option("FILES", args->files, "one file per group (group indices in the output follow this order)")
      ->required()
      ->expected(2, -1);
  groups->add_flag("--json", args->json, "print one JSON object");
  groups->callback([args] { run_groups(args->files, args->json); });
}

}  // namespace ecoinfer::cli
