// `ecoinfer study slurm` on a real one-node Slurm cluster (scripts/slurm-local.sh: Debian's
// slurm-wlm and munge, which CI installs): a study of ResNet-20 in 3 shards is submitted as a
// job array plus a merge job, and the merged store must hold exactly the runs one unsharded
// study of the same spec plans; then one array task is cancelled with scancel, the study is
// submitted again, and it must complete without a run measured twice. Skipped only where
// Slurm is not installed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>

#include "meter/meter_test_util.h"
#include "study/environment.h"
#include "study/slurm_status.h"
#include "study/store.h"
#include "test_paths.h"

namespace ecoinfer::study::slurm {
namespace {

namespace fs = std::filesystem;
using meter::testing::slurp;
using meter::testing::TempDir;
using test::cli_path;
using test::run_command;
using test::source_dir;
using Clock = std::chrono::steady_clock;

bool slurm_installed() {
  return run_command("PATH=$PATH:/usr/sbin command -v slurmctld && PATH=$PATH:/usr/sbin command -v munged && command -v sbatch").status ==
         0;
}

// The cluster for the life of the object; SLURM_CONF points this process (and so the ecoinfer
// commands it runs, and their jobs) at it.
class LocalCluster {
 public:
  LocalCluster() {
    script_ = (source_dir() / "scripts/slurm-local.sh").string();
    const auto r = run_command(script_ + " start " + dir_.path());
    started_ = r.status == 0;
    log_ = r.out;
    if (started_) ::setenv("SLURM_CONF", (dir_ / "slurm.conf").c_str(), 1);
  }
  ~LocalCluster() {
    run_command(script_ + " stop " + dir_.path());
    ::unsetenv("SLURM_CONF");
  }
  bool started() const { return started_; }
  const std::string& log() const { return log_; }
  std::string daemon_logs() const {
    return "==> slurmctld.log\n" + slurp(dir_ / "slurmctld.log") + "==> slurmd.log\n" + slurp(dir_ / "slurmd.log");
  }

 private:
  TempDir dir_;  // short: munge's socket path must fit in 108 bytes
  std::string script_, log_;
  bool started_ = false;
};

// Waits until none of the jobs is queued or running; false after `seconds`.
bool wait_for_jobs(const std::vector<std::string>& ids, double seconds) {
  std::string list;
  for (const std::string& id : ids) list += (list.empty() ? "" : ",") + id;
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  while (Clock::now() < end) {
    // Only a successful squeue that lists nothing counts: a failing one (controller busy or
    // down) prints nothing on stdout too.
    const auto r = run_command("squeue --noheader --jobs=" + list, false);
    if (r.status == 0 && r.out.find_first_not_of(" \n") == std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return false;
}

// "job ids  ARRAY MERGE" from `study slurm`'s output.
std::pair<std::string, std::string> job_ids(const std::string& out) {
  const size_t at = out.find("job ids  ");
  if (at == std::string::npos) return {};
  const std::string line = out.substr(at + 9, out.find('\n', at) - at - 9);
  return {line.substr(0, line.find(' ')), line.substr(line.find(' ') + 1)};
}

// Everything a failed cluster run leaves behind: the jobs as slurmctld knows them, the batch
// scripts, every job log, the tasks' records and the daemons' logs.
std::string job_evidence(const fs::path& out, const LocalCluster& cluster, const std::vector<std::string>& ids) {
  std::string s;
  for (const std::string& id : ids) s += run_command("scontrol show job " + id).out;
  std::error_code ec;
  for (const fs::path dir : {out / "slurm", out / "slurm/logs"})
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.is_regular_file()) s += "==> " + e.path().string() + "\n" + slurp(e.path()) + "\n";
  return s + cluster.daemon_logs();
}

std::string flags(const std::string& out, double min_seconds) {
  return fmt::format(
      "--model {} --data {} --tactic compile --repetitions 3 --batch 16 --images 16 --min-seconds {} --warmup 0.05 --cooldown 0 "
      "--idle-seconds 0 --accuracy-images 64 --out {}",
      (source_dir() / "demo/resnet20_cifar10").string(), (source_dir() / "demo/cifar10-1000").string(), min_seconds, out);
}

// What one unsharded study of these flags plans: run id -> run index, and the spec hash.
std::pair<std::map<std::string, int>, std::string> unsharded_plan(const std::string& cwd, const std::string& study_flags) {
  const auto r = run_command("cd " + cwd + " && " + cli_path().string() + " study plan " + study_flags + " --json", false);
  EXPECT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  std::map<std::string, int> plan;
  for (const auto& row : j["table"]) plan[row["run_id"].get<std::string>()] = row["run_index"].get<int>();
  return {plan, j["spec_hash"].get<std::string>()};
}

std::map<std::string, int> merged_runs(const fs::path& store) {
  std::map<std::string, int> runs;
  for (const RunRow& r : Store::open_read_only(store)->runs()) runs[r.plan.run_id] = r.plan.run_index;
  return runs;
}

// Each run is in exactly one shard store, its own: no run was measured twice.
void expect_disjoint_shards(const fs::path& out, int n, size_t planned) {
  std::set<std::string> all;
  size_t total = 0;
  for (int k = 1; k <= n; ++k) {
    const fs::path f = out / "shards" / fmt::format("{}-of-{}", k, n) / "results.sqlite";
    if (!fs::exists(f)) continue;
    for (const RunRow& r : Store::open_read_only(f)->runs()) {
      EXPECT_EQ(r.plan.run_index % n + 1, k) << r.plan.run_id << " in shard " << k;
      all.insert(r.plan.run_id);
      ++total;
    }
  }
  EXPECT_EQ(total, all.size()) << "a run is in two shard stores";
  EXPECT_EQ(all.size(), planned);
}

TEST(SlurmCluster, ShardedStudyMergesToThePlanAndACancelledTaskIsRunAgain) {
  if (!slurm_installed()) GTEST_SKIP() << "Slurm (slurm-wlm, munge) is not installed; scripts/install-deps.sh installs it";
  LocalCluster cluster;
  ASSERT_TRUE(cluster.started()) << cluster.log() << cluster.daemon_logs();
  TempDir work;
  const std::string cd = "cd " + work.path() + " && ";
  const std::string ecoinfer = cli_path().string();

  // 1. The whole study: array of 3 shards, then the merge.
  {
    const std::string f = flags("a", 0.5);
    const auto r = run_command(cd + ecoinfer + " study slurm " + f + " --shards 3");
    ASSERT_EQ(r.status, 0) << r.out;
    const auto [array, merge] = job_ids(r.out);
    ASSERT_FALSE(array.empty()) << r.out;
    const fs::path out = fs::path(work.path()) / "a";
    ASSERT_TRUE(wait_for_jobs({array, merge}, 240)) << "jobs still queued after 240 s\n"
                                                     << run_command("squeue").out << job_evidence(out, cluster, {array, merge});
    ASSERT_TRUE(fs::exists(out / "results.sqlite")) << r.out << job_evidence(out, cluster, {array, merge});
    const auto [plan, hash] = unsharded_plan(work.path(), f);
    EXPECT_EQ(plan.size(), 6u);
    EXPECT_EQ(merged_runs(out / "results.sqlite"), plan);  // same run ids, same order
    EXPECT_EQ(Store::open_read_only(out / "results.sqlite")->experiment()->spec_hash, hash);
    expect_disjoint_shards(out, 3, plan.size());
    // Each run knows its node and array task.
    for (const RunRow& run : Store::open_read_only(out / "results.sqlite")->runs()) {
      EXPECT_EQ(run.node, host_name());
      EXPECT_FALSE(run.node_type.empty());
      EXPECT_EQ(run.slurm_array_job_id, array);
      EXPECT_EQ(run.slurm_array_task_id, std::to_string(run.plan.run_index % 3 + 1));
    }
    const auto status = run_command(ecoinfer + " study status " + out.string());
    EXPECT_EQ(status.status, 0) << status.out;
    for (int k = 1; k <= 3; ++k)
      EXPECT_NE(status.out.find(fmt::format("{}-of-3            2      2  complete", k)), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("merged            6      6  complete"), std::string::npos) << status.out;
    // Submitting again has nothing to do.
    const auto again = run_command(cd + ecoinfer + " study slurm " + f + " --shards 3");
    EXPECT_EQ(again.status, 0) << again.out;
    EXPECT_NE(again.out.find("nothing to submit"), std::string::npos) << again.out;
  }

  // 2. Task 1 cancelled while it runs (windows of 1.5 s keep it busy long enough), then the
  // study submitted again: only the unfinished shard runs, and nothing is measured twice.
  {
    const std::string f = flags("b", 1.5);
    const fs::path out = fs::path(work.path()) / "b";
    auto r = run_command(cd + ecoinfer + " study slurm " + f + " --shards 3");
    ASSERT_EQ(r.status, 0) << r.out;
    const auto [array, merge] = job_ids(r.out);
    const auto end = Clock::now() + std::chrono::seconds(120);
    while (Clock::now() < end && slurp(out / "slurm/tasks.log").find("event=start kind=shard shard=1/3") == std::string::npos)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_NE(slurp(out / "slurm/tasks.log").find("event=start kind=shard shard=1/3"), std::string::npos) << cluster.daemon_logs();
    ASSERT_EQ(run_command("scancel " + array + "_1").status, 0);
    ASSERT_TRUE(wait_for_jobs({array, merge}, 240)) << run_command("squeue").out << job_evidence(out, cluster, {array, merge});
    const auto records = read_task_records(out);
    const TaskRecord* end1 = nullptr;
    for (const TaskRecord& t : records)
      if (t.kind == "shard" && t.shard_k == 1 && t.event == "end") end1 = &t;
    ASSERT_NE(end1, nullptr) << slurp(out / "slurm/tasks.log");
    EXPECT_NE(end1->exit_code, 0);
    EXPECT_EQ(end1->signal, "TERM");
    // The merge ran after the array anyway (afterany) and found shard 1's runs missing.
    const auto [plan, hash] = unsharded_plan(work.path(), f);
    ASSERT_TRUE(fs::exists(out / "results.sqlite")) << job_evidence(out, cluster, {array, merge});
    EXPECT_LT(merged_runs(out / "results.sqlite").size(), plan.size());
    auto status = run_command(ecoinfer + " study status " + out.string());
    EXPECT_NE(status.out.find("1-of-3            2"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("failed: task " + array + "_1"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("Slurm accounting (sacct) not available"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("submits shard 1 again"), std::string::npos) << status.out;

    r = run_command(cd + ecoinfer + " study slurm " + f + " --shards 3");
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("shard 1 of 3, one task per shard"), std::string::npos) << r.out;
    const auto [array2, merge2] = job_ids(r.out);
    ASSERT_TRUE(wait_for_jobs({array2, merge2}, 240)) << run_command("squeue").out << job_evidence(out, cluster, {array2, merge2});
    EXPECT_EQ(merged_runs(out / "results.sqlite"), plan);
    expect_disjoint_shards(out, 3, plan.size());
    const std::string merge_log = slurp(out / "slurm/logs" / ("merge." + merge2 + ".out"));
    EXPECT_NE(merge_log.find("merged   6 of 6 planned runs"), std::string::npos) << merge_log;
    EXPECT_EQ(merge_log.find("duplicates"), std::string::npos) << merge_log;
    status = run_command(ecoinfer + " study status " + out.string());
    EXPECT_NE(status.out.find("merged            6      6  complete"), std::string::npos) << status.out;
  }
}

}  // namespace
}  // namespace ecoinfer::study::slurm
