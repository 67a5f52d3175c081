// `ecoinfer study merge` on stores written through the Store API (no measuring): stores of
// another spec are refused, a run measured twice is reported as a duplicate while the same
// measurement merged again is not, missing runs are listed, a store that never started is
// skipped, and the per-run node and Slurm columns travel with the runs.
#include <gtest/gtest.h>

#include "core/error.h"
#include "meter/meter_test_util.h"
#include "study/merge.h"
#include "study/store.h"

namespace ecoinfer::study {
namespace {

namespace fs = std::filesystem;
using meter::testing::TempDir;

std::vector<PlannedRun> four_runs(int n) {
  std::vector<PlannedRun> plan;
  int i = 0;
  for (const char* tactic : {"none", "compile"})
    for (int rep = 1; rep <= 2; ++rep, ++i)
      plan.push_back({make_run_id("m", tactic, 1, 1, rep), i, i % n + 1, "m", tactic, 1, 1, rep});
  return plan;
}

// A shard store of spec `hash` holding the given runs, each started at `started_at`.
void make_store(const fs::path& file, const std::string& hash, int k, int n, const std::vector<int>& run_indices,
                const std::string& started_at = "2026-12-01T05:00:00Z", const std::string& node = "n1") {
  fs::create_directories(file.parent_path());
  auto s = Store::open(file, true);
  ExperimentRow e;
  e.name = "t";
  e.spec_text = "test";
  e.spec_source = "test";
  e.spec_json = nlohmann::json::object();
  e.analysis_json = nlohmann::json::object();
  e.environment_json = {{"host", node}};
  e.spec_hash = hash;
  e.shard_k = k;
  e.shard_n = n;
  e.created_at = started_at;
  const auto plan = four_runs(n);
  s->write_study(e, plan);
  for (int i : run_indices) {
    RunRow r;
    r.plan = plan[static_cast<size_t>(i)];
    r.started_at = started_at;
    r.seconds = 1;
    r.images = 10;
    r.batches = 10;
    r.node = node;
    r.node_type = "CPU X (8 logical CPUs)";
    r.slurm_job_id = "12";
    r.slurm_array_job_id = "10";
    r.slurm_array_task_id = std::to_string(k);
    s->write_run(r);
  }
}

TEST(StudyMerge, MergesShardsAndListsMissingRuns) {
  TempDir tmp;
  const fs::path out = tmp / "out";
  make_store(out / "shards/1-of-2/results.sqlite", "h", 1, 2, {0, 2});
  make_store(out / "shards/2-of-2/results.sqlite", "h", 2, 2, {1});
  const MergeOutcome m = merge_stores(out, {});
  EXPECT_EQ(m.planned, 4);
  EXPECT_EQ(m.merged_runs, 3);
  EXPECT_EQ(m.added_now, 3);
  EXPECT_TRUE(m.duplicates.empty());
  EXPECT_EQ(m.missing, std::vector<std::string>{make_run_id("m", "compile", 1, 1, 2)});
  // The node and Slurm ids come along.
  const auto runs = Store::open_read_only(m.store_file)->runs();
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[1].node_type, "CPU X (8 logical CPUs)");
  EXPECT_EQ(runs[1].slurm_array_job_id, "10");
  EXPECT_EQ(runs[1].slurm_array_task_id, "2");
  // The merged plan is one shard's, so that `study run` on the folder finishes the rest.
  for (const PlannedRun& p : Store::open_read_only(m.store_file)->plan()) EXPECT_EQ(p.shard, 1);
  EXPECT_EQ(Store::open_read_only(m.store_file)->experiment()->shard_n, 1);
}

TEST(StudyMerge, TheSameMeasurementAgainIsNotADuplicateButASecondMeasurementIs) {
  TempDir tmp;
  const fs::path out = tmp / "out";
  make_store(out / "shards/1-of-2/results.sqlite", "h", 1, 2, {0, 2});
  make_store(out / "shards/2-of-2/results.sqlite", "h", 2, 2, {1, 3});
  EXPECT_EQ(merge_stores(out, {}).merged_runs, 4);
  // Merging again after nothing changed: nothing new, no duplicate.
  const MergeOutcome again = merge_stores(out, {});
  EXPECT_EQ(again.added_now, 0);
  EXPECT_TRUE(again.duplicates.empty());
  // A copy of a shard's store is the same measurements.
  fs::copy_file(out / "shards/1-of-2/results.sqlite", tmp / "copy.sqlite");
  EXPECT_TRUE(merge_stores(out, {tmp / "copy.sqlite"}).duplicates.empty());
  // Run 0 measured a second time, elsewhere (a shard run twice, or stores of two shard counts).
  make_store(tmp / "rerun/results.sqlite", "h", 1, 1, {0, 1}, "2026-12-02T07:00:00Z", "n2");
  const MergeOutcome dup = merge_stores(out, {tmp / "rerun/results.sqlite"});
  ASSERT_EQ(dup.duplicates.size(), 2u);
  EXPECT_NE(dup.duplicates[0].find(make_run_id("m", "none", 1, 1, 1) + ": measured again in " + (tmp / "rerun/results.sqlite") +
                                   " (started 2026-12-02T07:00:00Z on n2); kept the run from"),
            std::string::npos)
      << dup.duplicates[0];
  // The first measurement is kept.
  for (const RunRow& r : Store::open_read_only(out / "results.sqlite")->runs()) EXPECT_EQ(r.node, "n1");
  // Two inputs of one merge that measured the same run: reported once, the first kept.
  const fs::path out2 = tmp / "out2";
  const MergeOutcome both = merge_stores(out2, {out / "shards/1-of-2/results.sqlite", tmp / "rerun/results.sqlite"});
  ASSERT_EQ(both.duplicates.size(), 1u);
  EXPECT_NE(both.duplicates[0].find("kept the run from " + (out / "shards/1-of-2/results.sqlite").string()), std::string::npos)
      << both.duplicates[0];
  EXPECT_EQ(both.merged_runs, 3);
}

TEST(StudyMerge, StoresOfAnotherSpecAreRefused) {
  TempDir tmp;
  const fs::path out = tmp / "out";
  make_store(out / "shards/1-of-2/results.sqlite", "aaaa", 1, 2, {0});
  make_store(out / "shards/2-of-2/results.sqlite", "bbbb", 2, 2, {1});
  try {
    merge_stores(out, {});
    FAIL() << "stores of two specs were merged";
  } catch (const Error& e) {
    const std::string w = e.what();
    EXPECT_NE(w.find("2-of-2/results.sqlite: a different study (spec hash bbbb)"), std::string::npos) << w;
    EXPECT_NE(w.find("spec hash aaaa"), std::string::npos) << w;
  }
  EXPECT_FALSE(fs::exists(out / "results.sqlite"));
  // A merged store of another spec is not merged into either.
  make_store(tmp / "x/results.sqlite", "cccc", 1, 1, {0});
  try {
    merge_stores(out, {out / "shards/1-of-2/results.sqlite"});
    merge_stores(out, {tmp / "x/results.sqlite"});
    FAIL() << "a store of another spec was merged into an existing merge";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("holds another study (spec hash aaaa)"), std::string::npos) << e.what();
  }
}

TEST(StudyMerge, AStoreThatNeverStartedIsSkipped) {
  TempDir tmp;
  const fs::path out = tmp / "out";
  make_store(out / "shards/1-of-2/results.sqlite", "h", 1, 2, {0, 2});
  fs::create_directories(out / "shards/2-of-2");
  Store::open(out / "shards/2-of-2/results.sqlite", true);  // schema only: killed before its first write
  const MergeOutcome m = merge_stores(out, {});
  EXPECT_EQ(m.merged_runs, 2);
  ASSERT_EQ(m.skipped.size(), 1u);
  EXPECT_NE(m.skipped[0].find("2-of-2/results.sqlite: holds no study yet"), std::string::npos) << m.skipped[0];
}

}  // namespace
}  // namespace ecoinfer::study
