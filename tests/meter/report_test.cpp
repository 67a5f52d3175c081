// JSON, table and CodeCarbon CSV output of a Reading.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "meter/codecarbon_csv.h"
#include "core/error.h"
#include "meter/meter.h"
#include "meter/report.h"
#include "meter_test_util.h"

namespace ecoinfer::meter {
namespace {

using namespace testing;

Reading sample_reading() {
  Reading r;
  r.duration_s = 2.0;
  DomainReading pkg{"package-0", Kind::cpu, Source::counter, "powercap", 36.0, 18.0, true, "", {}};
  DomainReading ram{"ram", Kind::ram, Source::estimate, "estimate", 7.2, 3.6, true, "estimate from default", {}};
  DomainReading gpu{"gpu-0", Kind::gpu, Source::sampled, "nvml", 360.0, 180.0, true, "", {{"model", "NVIDIA A100"}}};
  DomainReading core{"core-0", Kind::cpu, Source::counter, "powercap", 20.0, 10.0, false, "part of package-0; not added to the total", {}};
  DomainReading rapl_dram{"dram-0", Kind::dram, Source::unavailable, "powercap", std::nullopt, std::nullopt, false,
                          "energy_uj is readable by root only", {}};
  r.domains = {pkg, core, rapl_dram, ram, gpu};
  r.total_energy_j = 403.2;
  r.total_avg_power_w = 201.6;
  r.total_source = Source::estimate;
  r.cpu_utilization = 0.5;
  r.cpu_count = 2;
  r.cpu_model = "Fake, \"quoted\" CPU";
  r.ram_total_gb = 19.2;
  r.interval_ms = 100;
  r.sample_count = 3;
  Sample s;
  s.t_s = 0.1;
  s.cpu_utilization = 0.4;
  s.power_w = {18.0, 10.0, std::nullopt, 3.6, 180.0};
  r.samples = {s};
  return r;
}

TEST(MeterReport, JsonHasTheIssueFieldsAndNullForUnknown) {
  Reading r = sample_reading();
  nlohmann::json j = to_json(r);
  EXPECT_DOUBLE_EQ(j["duration_s"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(j["total_energy_j"].get<double>(), 403.2);
  EXPECT_EQ(j["total_source"], "estimate");
  EXPECT_DOUBLE_EQ(j["cpu_utilization"].get<double>(), 0.5);
  EXPECT_TRUE(j["peak_rss_bytes"].is_null());  // unknown is null, never 0
  EXPECT_TRUE(j["sampler_overhead_cpu_fraction"].is_null());
  ASSERT_EQ(j["domains"].size(), 5u);
  for (const auto& d : j["domains"]) {
    for (const char* k : {"name", "kind", "source", "energy_j", "avg_power_w", "reason", "in_total"})
      EXPECT_TRUE(d.contains(k)) << k;
    std::string kind = d["kind"];
    EXPECT_TRUE(kind == "cpu" || kind == "dram" || kind == "gpu" || kind == "ram") << kind;
  }
  const auto& dram = j["domains"][2];
  EXPECT_EQ(dram["source"], "unavailable");
  EXPECT_TRUE(dram["energy_j"].is_null());
  EXPECT_TRUE(dram["avg_power_w"].is_null());
  EXPECT_EQ(dram["reason"], "energy_uj is readable by root only");
  EXPECT_EQ(j["domains"][4]["details"]["model"], "NVIDIA A100");
  // Columnar series; unavailable domains have no power column.
  EXPECT_EQ(j["series"]["t_s"].size(), 1u);
  EXPECT_TRUE(j["series"]["power_w"].contains("gpu-0"));
  EXPECT_FALSE(j["series"]["power_w"].contains("dram-0"));
  EXPECT_FALSE(to_json(r, false).contains("series"));
}

TEST(MeterReport, JsonCarriesResolution) {
  Reading r = sample_reading();
  r.domains[4].resolution_s = 0.1;  // the GPU's energy counter
  r.resolution_s = 0.1;
  nlohmann::json j = to_json(r);
  EXPECT_DOUBLE_EQ(j["resolution_s"].get<double>(), 0.1);
  EXPECT_DOUBLE_EQ(j["domains"][4]["resolution_s"].get<double>(), 0.1);
  EXPECT_TRUE(j["domains"][2]["resolution_s"].is_null());
}

TEST(MeterReport, TableNeverPrintsZeroForUnknown) {
  Reading r = sample_reading();
  std::string t = format_table(r);
  EXPECT_NE(t.find("dram-0"), std::string::npos);
  EXPECT_NE(t.find("unavailable  unavailable"), std::string::npos) << t;
  EXPECT_NE(t.find("energy_uj is readable by root only"), std::string::npos);
  EXPECT_NE(t.find("peak memory       unavailable"), std::string::npos) << t;
  EXPECT_EQ(t.find(" 0.000 J"), std::string::npos) << t;
  EXPECT_EQ(t.find(" 0.00 W"), std::string::npos) << t;
  EXPECT_NE(t.find("36.000 J"), std::string::npos);
  EXPECT_NE(t.find("not added to the total"), std::string::npos);
  EXPECT_NE(t.find("403.200 J (estimate)"), std::string::npos) << t;
}

std::vector<std::string> parse_csv_line(const std::string& line) {
  std::vector<std::string> out(1);
  bool q = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (q) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') q = false;
      else out.back() += c;
    } else if (c == '"') {
      q = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

TEST(MeterCodecarbonCsv, HeaderIsVersionTwo) {
  // The column list of shared/docs/measurement.md.
  EXPECT_EQ(csv_line(codecarbon_columns()),
            "timestamp,project_name,run_id,duration,emissions,emissions_rate,cpu_power,gpu_power,ram_power,"
            "cpu_energy,gpu_energy,ram_energy,energy_consumed,country_name,country_iso_code,region,cloud_provider,"
            "cloud_region,os,python_version,codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,longitude,"
            "latitude,ram_total_size,tracking_mode,on_cloud,pue");
}

TEST(MeterCodecarbonCsv, RowInKilowattHoursAndEmptyForUnknown) {
  Reading r = sample_reading();
  CsvContext ctx;
  ctx.run_id = "run-1";
  ctx.timestamp = "2024-05-01T12:00:00";
  ctx.carbon_intensity_g_per_kwh = 500;
  auto row = codecarbon_row(r, ctx);
  const auto& cols = codecarbon_columns();
  ASSERT_EQ(row.size(), cols.size());
  std::map<std::string, std::string> f;
  for (size_t i = 0; i < cols.size(); ++i) f[cols[i]] = row[i];
  EXPECT_EQ(f["timestamp"], "2024-05-01T12:00:00");
  EXPECT_EQ(f["run_id"], "run-1");
  EXPECT_EQ(f["project_name"], "ecoinfer");
  EXPECT_DOUBLE_EQ(std::stod(f["duration"]), 2.0);
  EXPECT_NEAR(std::stod(f["cpu_energy"]), 36.0 / 3.6e6, 1e-15);  // core-0 is not in the total
  EXPECT_NEAR(std::stod(f["gpu_energy"]), 360.0 / 3.6e6, 1e-15);
  EXPECT_NEAR(std::stod(f["ram_energy"]), 7.2 / 3.6e6, 1e-15);
  EXPECT_NEAR(std::stod(f["energy_consumed"]), 403.2 / 3.6e6, 1e-15);
  EXPECT_NEAR(std::stod(f["cpu_power"]), 18.0, 1e-12);
  EXPECT_NEAR(std::stod(f["emissions"]), 403.2 / 3.6e6 * 0.5, 1e-15);  // kg
  EXPECT_NEAR(std::stod(f["emissions_rate"]), 403.2 / 3.6e6 * 0.5 / 2.0, 1e-15);
  EXPECT_EQ(f["gpu_count"], "1");
  EXPECT_EQ(f["gpu_model"], "1 x NVIDIA A100");
  EXPECT_EQ(f["cpu_count"], "2");
  EXPECT_EQ(f["tracking_mode"], "machine");
  EXPECT_EQ(f["on_cloud"], "N");
  EXPECT_EQ(f["pue"], "1.0");
  // Unknown: empty, never 0.
  for (const char* k : {"country_name", "region", "python_version", "codecarbon_version", "longitude", "latitude"})
    EXPECT_EQ(f[k], "") << k;

  // Without GPU meter: GPU columns are empty, not zero.
  Reading n = sample_reading();
  n.domains.pop_back();
  n.domains.push_back({"nvml", Kind::gpu, Source::unavailable, "nvml", std::nullopt, std::nullopt, false, "no driver", {}});
  auto nrow = codecarbon_row(n, ctx);
  for (size_t i = 0; i < cols.size(); ++i)
    if (cols[i] == "gpu_energy" || cols[i] == "gpu_power" || cols[i] == "gpu_count") EXPECT_EQ(nrow[i], "") << cols[i];
}

TEST(MeterCodecarbonCsv, AppendsWithOneHeaderAndQuotes) {
  TempDir dir;
  std::string path = dir / "emissions.csv";
  Reading r = sample_reading();
  append_codecarbon_csv(path, r, CsvContext{});
  append_codecarbon_csv(path, r, CsvContext{});
  std::string text = slurp(path);
  std::vector<std::string> lines;
  for (size_t p = 0, q; (q = text.find('\n', p)) != std::string::npos; p = q + 1) lines.push_back(text.substr(p, q - p));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], csv_line(codecarbon_columns()));
  auto fields = parse_csv_line(lines[1]);
  ASSERT_EQ(fields.size(), codecarbon_columns().size());
  EXPECT_EQ(fields[22], "Fake, \"quoted\" CPU");  // cpu_model
  EXPECT_NE(parse_csv_line(lines[1])[2], parse_csv_line(lines[2])[2]);  // fresh run ids
  EXPECT_EQ(fields[2].size(), 36u);

  // An empty file gets the header; a foreign file is refused.
  std::string empty = dir / "empty.csv";
  write_file(empty, "");
  append_codecarbon_csv(empty, r, CsvContext{});
  EXPECT_EQ(slurp(empty).rfind(lines[0] + "\n", 0), 0u);
  std::string foreign = dir / "other.csv";
  write_file(foreign, "a,b,c\n1,2,3\n");
  EXPECT_THROW(append_codecarbon_csv(foreign, r, CsvContext{}), Error);
  EXPECT_EQ(slurp(foreign), "a,b,c\n1,2,3\n");
}

TEST(MeterCodecarbonCsv, CarbonIntensityFromTheEnvironment) {
  EXPECT_DOUBLE_EQ(carbon_intensity_g_per_kwh(), 475.0);
  ::setenv("ECOINFER_CARBON_INTENSITY_G_PER_KWH", "56", 1);
  double v = carbon_intensity_g_per_kwh();
  ::unsetenv("ECOINFER_CARBON_INTENSITY_G_PER_KWH");
  EXPECT_DOUBLE_EQ(v, 56.0);
}

}  // namespace
}  // namespace ecoinfer::meter
