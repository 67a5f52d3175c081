// Schema 2 of the study store: every run records its node, CPU, GPU and Slurm ids; a version-1
// store is refused read-only (naming `ecoinfer study upgrade`) and upgraded in place when opened
// for writing, its runs on the study's own host getting that host's CPU and GPUs.
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/error.h"
#include "meter/meter_test_util.h"
#include "study/environment.h"
#include "study/runner.h"
#include "study/store.h"
#include "test_paths.h"

namespace ecoinfer::study {
namespace {

namespace fs = std::filesystem;
using meter::testing::TempDir;

TEST(StudyNode, NodeTypeNamesCpuAndCountedGpus) {
  NodeIdentity n{"h", "AMD EPYC 9654", 192, {"NVIDIA H200", "NVIDIA H200", "NVIDIA L4"}};
  EXPECT_EQ(n.gpu_model(), "2x NVIDIA H200, NVIDIA L4");
  EXPECT_EQ(n.node_type(), "AMD EPYC 9654 (192 logical CPUs) + 2x NVIDIA H200, NVIDIA L4");
  NodeIdentity bare{"h", "", 2, {}};
  EXPECT_EQ(bare.gpu_model(), "");
  EXPECT_EQ(bare.node_type(), "unknown CPU (2 logical CPUs)");
}

TEST(StudyNode, SlurmIdsComeFromTheEnvironment) {
  ::setenv("SLURM_JOB_ID", "501", 1);
  ::setenv("SLURM_ARRAY_JOB_ID", "500", 1);
  ::setenv("SLURM_ARRAY_TASK_ID", "3", 1);
  const SlurmIds ids = slurm_ids();
  const std::string job = slurm_job();
  ::unsetenv("SLURM_JOB_ID");
  ::unsetenv("SLURM_ARRAY_JOB_ID");
  ::unsetenv("SLURM_ARRAY_TASK_ID");
  EXPECT_EQ(ids.job_id, "501");
  EXPECT_EQ(ids.array_job_id, "500");
  EXPECT_EQ(ids.array_task_id, "3");
  EXPECT_EQ(job, "job 501 array 500_3");
  EXPECT_EQ(slurm_ids().job_id, "");
}

// A version-1 store: a version-2 store with schema 2's columns dropped and the version set back.
void make_version_1_store(const fs::path& file) {
  {
    auto s = Store::open(file, true);
    ExperimentRow e;
    e.name = "old";
    e.spec_text = e.spec_source = "test";
    e.spec_json = e.analysis_json = nlohmann::json::object();
    e.spec_hash = "h";
    e.environment_json = {{"host", "h1"}, {"cpu_model", "CPU One"}, {"cpu_count", 4},
                          {"gpus", {{{"name", "gpu-0"}, {"model", "GPU G"}, {"uuid", "u0"}}}}};
    e.created_at = "2026-01-01T00:00:00Z";
    std::vector<PlannedRun> plan{{"m|none|b1|t1|r1", 0, 1, "m", "none", 1, 1, 1}, {"m|none|b1|t1|r2", 1, 1, "m", "none", 1, 1, 2}};
    s->write_study(e, plan);
    RunRow a;
    a.plan = plan[0];
    a.started_at = "2026-01-01T00:00:01Z";
    a.node = "h1";
    a.slurm_job = "job 31 array 30_2";
    s->write_run(a);
    RunRow b;
    b.plan = plan[1];
    b.started_at = "2026-01-01T00:00:02Z";
    b.node = "h2";  // another host: its hardware was not recorded
    b.slurm_job = "job 40";
    s->write_run(b);
  }
  Database db(file, false);
  for (const char* c : {"cpu_model", "gpu_model", "node_type", "slurm_job_id", "slurm_array_job_id", "slurm_array_task_id"})
    db.exec(std::string("ALTER TABLE runs DROP COLUMN ") + c);
  db.exec("UPDATE meta SET value = '1' WHERE key = 'schema_version'");
}

TEST(StudyStoreSchema, Version1IsRefusedReadOnlyAndUpgradedForWriting) {
  TempDir tmp;
  const fs::path file = tmp / "results.sqlite";
  make_version_1_store(file);
  EXPECT_EQ(Store::schema_version_of(file), 1);
  try {
    Store::open_read_only(file);
    FAIL() << "a version-1 store was read as version 2";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 1 predates"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("ecoinfer study upgrade " + file.string()), std::string::npos) << e.what();
  }
  Store::open(file, false);
  EXPECT_EQ(Store::schema_version_of(file), kSchemaVersion);
  auto s = Store::open_read_only(file);
  const auto runs = s->runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].cpu_model, "CPU One");
  EXPECT_EQ(runs[0].gpu_model, "GPU G");
  EXPECT_EQ(runs[0].node_type, "CPU One (4 logical CPUs) + GPU G");
  EXPECT_EQ(runs[0].slurm_job_id, "31");
  EXPECT_EQ(runs[0].slurm_array_job_id, "30");
  EXPECT_EQ(runs[0].slurm_array_task_id, "2");
  EXPECT_EQ(runs[1].node_type, "");  // unknown, not guessed
  EXPECT_EQ(runs[1].slurm_job_id, "40");
  EXPECT_EQ(runs[1].slurm_array_job_id, "");
  EXPECT_EQ(s->integrity_check(), "ok");
  // New runs go in after the upgraded columns, as in a new store.
  RunRow c;
  c.plan = {"m|none|b1|t1|r3", 2, 1, "m", "none", 1, 1, 3};
  c.started_at = "2026-01-02T00:00:00Z";
  c.node_type = "T";
  Store::open(file, false)->write_run(c);
  EXPECT_EQ(Store::open_read_only(file)->runs()[2].node_type, "T");
}

TEST(StudyStoreSchema, UpgradeCommand) {
  TempDir tmp;
  make_version_1_store(tmp / "results.sqlite");
  const std::string cli = test::cli_path().string();
  auto r = test::run_command(cli + " study upgrade " + tmp.path());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("upgraded from schema version 1 to 2"), std::string::npos) << r.out;
  r = test::run_command(cli + " study upgrade " + (tmp / "results.sqlite"));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("already schema version 2"), std::string::npos) << r.out;
  r = test::run_command(cli + " study upgrade " + (tmp / "nothing.sqlite"));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("nothing.sqlite: not a study store"), std::string::npos) << r.out;
}

TEST(StudyStoreSchema, RunsRecordTheirNodeAndSlurmIds) {
  TempDir tmp;
  StudySpec s;
  s.name = "node";
  s.models.push_back({"resnet20", (test::source_dir() / "demo/resnet20_cifar10").string(),
                      (test::source_dir() / "demo/cifar10-1000").string()});
  normalize_tactics(s);
  s.repetitions = 2;
  s.batch = {16};
  s.images = 16;
  s.min_seconds = 0.5;
  s.warmup_seconds = 0;
  s.cooldown_seconds = 0;
  s.idle_seconds = 0;
  s.accuracy_images = 32;
  s.output = tmp / "out";
  s.source_name = s.source_text = "test";
  ::setenv("SLURM_JOB_ID", "61", 1);
  ::setenv("SLURM_ARRAY_JOB_ID", "60", 1);
  ::setenv("SLURM_ARRAY_TASK_ID", "1", 1);
  RunnerOptions o;
  o.quiet = true;
  const StudyOutcome out = run_study(s, o);
  ::unsetenv("SLURM_JOB_ID");
  ::unsetenv("SLURM_ARRAY_JOB_ID");
  ::unsetenv("SLURM_ARRAY_TASK_ID");
  const NodeIdentity here = this_node({});
  auto store = Store::open_read_only(out.store_file);
  const auto runs = store->runs();
  ASSERT_EQ(runs.size(), 2u);
  for (const RunRow& r : runs) {
    EXPECT_EQ(r.node, host_name());
    EXPECT_EQ(r.cpu_model, here.cpu_model);
    // The GPUs are the meter's; on a machine without one the type is the CPU's alone.
    EXPECT_EQ(r.node_type.rfind(here.node_type(), 0), 0u) << r.node_type;
    EXPECT_EQ(r.slurm_job_id, "61");
    EXPECT_EQ(r.slurm_array_job_id, "60");
    EXPECT_EQ(r.slurm_array_task_id, "1");
    EXPECT_EQ(r.slurm_job, "job 61 array 60_1");
  }
  EXPECT_EQ(store->experiment()->environment_json.at("slurm").at("array_task_id"), "1");
  EXPECT_EQ(store->experiment()->environment_json.at("node_type"), runs[0].node_type);
}

}  // namespace
}  // namespace ecoinfer::study
