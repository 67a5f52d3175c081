// Loading a study store: what it reads, and clear errors naming the file for what it refuses.
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.h"
#include "report/study_data.h"
#include "report/synthetic_store.h"

namespace ecoinfer::report {
namespace {

std::string error_of(const std::filesystem::path& p) {
  try {
    load_study(p);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ReportStudyData, ReadsEveryTableWithNullsKept) {
  const auto dir = test::report_test_dir("load");
  test::SyntheticStudy s;
  s.repetitions = 3;
  test::SyntheticTactic int8{"dynamic-int8"};
  int8.prep_energy_j = std::nullopt;  // preparation not metered
  s.models = {test::synthetic_model("m", {int8})};
  s.checks[test::synthetic_run_id("m", "none", 2)] = "short_window";
  test::write_synthetic_store(dir / "results.sqlite", s);
  const StudyData d = load_study(dir / "results.sqlite");
  EXPECT_EQ(d.schema_version, 2);
  EXPECT_EQ(d.experiment.name, "synthetic");
  EXPECT_EQ(d.models.size(), 1u);
  EXPECT_EQ(d.variants.size(), 2u);
  ASSERT_EQ(d.runs.size(), 6u);
  EXPECT_EQ(d.planned_runs, 6);
  EXPECT_EQ(d.runs[1].checks, "short_window");
  EXPECT_EQ(d.samples.size(), 6u);
  EXPECT_EQ(d.samples.at(d.runs[0].run_id).size(), 20u);
  EXPECT_EQ(d.idle.size(), 1u);
  const VariantRow* v = d.variant("m", "dynamic-int8", 32);
  ASSERT_NE(v, nullptr);
  EXPECT_FALSE(v->prep_energy_j.has_value());
  EXPECT_EQ(v->prep_energy_source, "unavailable");
  EXPECT_EQ(d.economics.horizons.size(), 2u);
  EXPECT_EQ(d.report.objective, "energy");
  EXPECT_EQ(d.environment.at("host"), "testhost");
}

TEST(ReportStudyData, MissingFileIsNamed) {
  const auto dir = test::report_test_dir("load_missing");
  const std::string e = error_of(dir / "results.sqlite");
  EXPECT_NE(e.find((dir / "results.sqlite").string()), std::string::npos) << e;
  EXPECT_NE(e.find("no study store"), std::string::npos) << e;
}

TEST(ReportStudyData, NonSqliteFileIsRefusedByName) {
  const auto dir = test::report_test_dir("load_garbage");
  std::ofstream(dir / "results.sqlite") << "this is not a database, just text that is long enough to have a header.....";
  const std::string e = error_of(dir / "results.sqlite");
  EXPECT_NE(e.find("results.sqlite"), std::string::npos) << e;
  EXPECT_NE(e.find("not a valid SQLite study store"), std::string::npos) << e;
}

TEST(ReportStudyData, SqliteFileWithoutTheStudyTablesIsNotAStudyStore) {
  const auto dir = test::report_test_dir("load_other_db");
  {
    study::Database db(dir / "results.sqlite", true);
    db.exec("CREATE TABLE something(x)");
  }
  const std::string e = error_of(dir / "results.sqlite");
  EXPECT_NE(e.find("results.sqlite: not a study store (no 'meta' table"), std::string::npos) << e;
}

TEST(ReportStudyData, UnknownSchemaVersionIsRefused) {
  const auto dir = test::report_test_dir("load_v3");
  test::SyntheticStudy s;
  s.repetitions = 2;
  s.schema_version = "3";
  s.models = {test::synthetic_model("m", {})};
  test::write_synthetic_store(dir / "results.sqlite", s);
  const std::string e = error_of(dir / "results.sqlite");
  EXPECT_NE(e.find("results.sqlite: schema_version 3 is unknown"), std::string::npos) << e;
  EXPECT_NE(e.find("newer ecoinfer"), std::string::npos) << e;
}

TEST(ReportStudyData, OlderSchemaVersionNamesTheUpgradeCommand) {
  const auto dir = test::report_test_dir("load_v1");
  test::SyntheticStudy s;
  s.repetitions = 2;
  s.schema_version = "1";
  s.models = {test::synthetic_model("m", {})};
  test::write_synthetic_store(dir / "results.sqlite", s);
  const std::string e = error_of(dir / "results.sqlite");
  EXPECT_NE(e.find("results.sqlite: schema_version 1 is older than the version 2"), std::string::npos) << e;
  EXPECT_NE(e.find("ecoinfer study upgrade " + (dir / "results.sqlite").string()), std::string::npos) << e;
}

TEST(ReportStudyData, BadAnalysisJsonNamesTheKey) {
  EconomicsInputs econ;
  ReportSettings rep;
  auto error = [&](const std::string& text) {
    try {
      parse_analysis_json(text, "x.sqlite", econ, rep);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error(R"({"report": {"objective": "speed"}})").find("report.objective is 'speed'"), std::string::npos);
  EXPECT_NE(error(R"({"economics": {"horizons": [0]}})").find("horizons"), std::string::npos);
  EXPECT_NE(error(R"({"economics": {"pue": 0.5}})").find("pue"), std::string::npos);
  EXPECT_NE(error(R"({"economics": {"price_per_kwh": "cheap"}})").find("price_per_kwh has the wrong type"), std::string::npos);
  EXPECT_NE(error("{not json").find("x.sqlite: experiment.analysis_json is not valid JSON"), std::string::npos);
  // Missing keys keep the defaults.
  econ = {};
  rep = {};
  parse_analysis_json(R"({"economics": {"currency": "USD"}})", "x.sqlite", econ, rep);
  EXPECT_EQ(econ.currency, "USD");
  EXPECT_DOUBLE_EQ(econ.price_per_kwh, 0.30);
  EXPECT_DOUBLE_EQ(rep.accuracy_budget_points, 1.0);
}

}  // namespace
}  // namespace ecoinfer::report
