// `ecoinfer stats compare` and `ecoinfer stats groups`: the documented JSON keys, values
// equal to the library's (which the scipy fixtures check), and clean errors on bad files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "stats/kruskal_dunn.h"
#include "stats/mann_whitney.h"
#include "stats_fixtures.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

class StatsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ecoinfer_stats_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::string write_values(const std::string& name, const std::vector<double>& v) {
    std::string text;
    for (double x : v) text += fmt::format("{}\n", x);
    return write(name, text);
  }
  CommandResult cli(const std::string& args, bool merge_stderr = true) {
    return run_command(cli_path().string() + " stats " + args, merge_stderr);
  }
  fs::path dir_;
};

TEST_F(StatsCli, CompareJsonMatchesScipyFixture) {
  // The effsize check vectors: scipy's U and p from the fixture, delta -0.25.
  nlohmann::json fixture;
  for (const auto& c : stats_fixture("two_sample.json"))
    if (c["name"] == "effsize_treatment1") fixture = c;
  ASSERT_FALSE(fixture.is_null());
  const std::string a = write_values("a.txt", doubles(fixture["a"]));
  const std::string b = write_values("b.txt", doubles(fixture["b"]));
  CommandResult r = cli("compare " + a + " " + b + " --json", false);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* k : {"n_a", "n_b", "median_a", "median_b", "mann_whitney_u", "mann_whitney_p", "welch_t", "welch_p",
                        "cliffs_delta", "a12", "shapiro_w_a", "shapiro_p_a", "shapiro_w_b", "shapiro_p_b"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["n_a"], 10);
  EXPECT_EQ(j["n_b"], 6);
  EXPECT_EQ(j["median_a"], 25.0);
  EXPECT_EQ(j["median_b"], 35.0);
  EXPECT_TRUE(parity(j["mann_whitney_u"], fixture["mann_whitney"]["u"]));
  EXPECT_TRUE(parity(j["mann_whitney_p"], fixture["mann_whitney"]["p"]));
  EXPECT_TRUE(parity(j["welch_t"], fixture["welch"]["t"]));
  EXPECT_TRUE(parity(j["welch_p"], fixture["welch"]["p"]));
  EXPECT_EQ(j["cliffs_delta"], -0.25);
  EXPECT_EQ(j["cliffs_magnitude"], "small");
  EXPECT_EQ(j["a12"], 0.375);
  EXPECT_TRUE(close_to(j["shapiro_w_a"], fixture["shapiro_a"]["w"], 1e-6, 0));
  EXPECT_TRUE(close_to(j["shapiro_p_b"], fixture["shapiro_b"]["p"], 1e-5, 0));

  CommandResult table = cli("compare " + a + " " + b);
  ASSERT_EQ(table.status, 0) << table.out;
  EXPECT_NE(table.out.find("Mann-Whitney U"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("-0.25 (small"), std::string::npos) << table.out;
}

TEST_F(StatsCli, CompareConstantSamplesGivesNullsWithNotes) {
  const std::string a = write("a.txt", "+2\n 2 \n2\n"), b = write("b.txt", "2\n2\n2.0\n2e0\n");
  CommandResult r = cli("compare " + a + " " + b + " --json", false);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["welch_t"].is_null());
  EXPECT_TRUE(j["shapiro_w_a"].is_null());
  EXPECT_EQ(j["mann_whitney_p"], 1.0);
  EXPECT_EQ(j["notes"].size(), 3u);
}

TEST_F(StatsCli, GroupsJsonMatchesLibrary) {
  const std::vector<std::vector<double>> g = {{1.1, 2.3, 1.9, 2.2, 1.7}, {3.1, 2.9, 3.8, 3.3}, {1.5, 2.0, 2.0, 1.2, 1.8, 2.6}};
  const std::string args = write_values("g0.txt", g[0]) + " " + write_values("g1.txt", g[1]) + " " +
                           write_values("g2.txt", g[2]);
  CommandResult r = cli("groups " + args + " --json", false);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto kw = stats::kruskal_wallis(g);
  const auto dunn = stats::dunn_test(g);
  ASSERT_TRUE(kw && dunn);
  EXPECT_EQ(j["kruskal_h"].get<double>(), kw->h);
  EXPECT_EQ(j["kruskal_p"].get<double>(), kw->p);
  ASSERT_EQ(j["dunn"].size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(j["dunn"][k]["a"], (*dunn)[k].a);
    EXPECT_EQ(j["dunn"][k]["b"], (*dunn)[k].b);
    EXPECT_EQ(j["dunn"][k]["z"].get<double>(), (*dunn)[k].z);
    EXPECT_EQ(j["dunn"][k]["p"].get<double>(), (*dunn)[k].p);
    EXPECT_EQ(j["dunn"][k]["p_holm"].get<double>(), (*dunn)[k].p_holm);
  }
  CommandResult table = cli("groups " + args);
  ASSERT_EQ(table.status, 0) << table.out;
  EXPECT_NE(table.out.find("Kruskal-Wallis   H ="), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Holm"), std::string::npos) << table.out;
}

TEST_F(StatsCli, BadInputNamesFileAndLine) {
  // Each bad input: exit status 1 and "error:" with the file and the problem.
  auto expect_error = [&](const std::string& args, const std::string& message) {
    const CommandResult r = cli(args);
    EXPECT_EQ(r.status, 1) << args << "\n" << r.out;
    EXPECT_NE(r.out.find("error:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(message), std::string::npos) << "wanted: " << message << "\n" << r.out;
  };
  const std::string good = write("good.txt", "1\n2\n3\n");
  expect_error("compare " + good + " " + write("bad.txt", "1.5\n\n2.5\n3,5\n"),
               "bad.txt line 4: '3,5' is not a finite number");
  expect_error("groups " + good + " " + write("nan.txt", "1\nnan\n3\n"), "nan.txt line 2");
  expect_error("groups " + good + " " + write("sign.txt", "+-1\n"), "sign.txt line 1: '+-1'");
  expect_error("compare " + good + " " + (dir_ / "missing.txt").string(), "cannot read '" + (dir_ / "missing.txt").string());
  expect_error("compare " + good + " " + write("two.txt", "1\n2\n"), "two.txt has 2 values");
  expect_error("groups " + good + " " + write("empty.txt", "\n"), "empty.txt has no values");
}

}  // namespace
}  // namespace ecoinfer::test
