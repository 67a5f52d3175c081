// `ecoinfer report OUTPUT_FOLDER`: options reach the report, bad input exits 1 naming the file.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "report/synthetic_store.h"
#include "test_paths.h"

namespace ecoinfer::report {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ReportCli, WritesTheThreeFilesAndPrintsTheAnswer) {
  const fs::path dir = test::report_test_dir("cli");
  test::SyntheticStudy s;
  s.repetitions = 10;
  test::SyntheticTactic int8{"dynamic-int8"};
  int8.energy_per_image_j = 0.03;
  int8.top1 = 0.87;  // 3 points lost
  s.models = {test::synthetic_model("alpha", {int8})};
  test::write_synthetic_store(dir / "results.sqlite", s);

  test::CommandResult r = test::run_command(test::cli_path().string() + " report " + dir.string());
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("alpha: No tactic helps here"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("wrote " + (dir / "report.html").string()), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(dir / "report.md"));
  EXPECT_TRUE(fs::exists(dir / "summary.csv"));

  // A wider budget, the time objective and outlier exclusion from the command line.
  r = test::run_command(test::cli_path().string() + " report " + dir.string() +
                        " --objective time --accuracy-budget 4 --exclude-outliers");
  ASSERT_EQ(r.status, 0) << r.out;
  const std::string md = slurp(dir / "report.md");
  EXPECT_NE(md.find("Objective: time; accuracy budget 4 top-1 points; outliers excluded"), std::string::npos);
}

TEST(ReportCli, BadInputExitsOneNamingTheFile) {
  const fs::path dir = test::report_test_dir("cli_bad");
  test::CommandResult r = test::run_command(test::cli_path().string() + " report " + dir.string());
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("ecoinfer: error: " + (dir / "results.sqlite").string() + ": no study store here"), std::string::npos)
      << r.out;
  r = test::run_command(test::cli_path().string() + " report " + dir.string() + " --objective speed");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("--objective"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace ecoinfer::report
