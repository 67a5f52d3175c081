// The Slurm job scripts and what `study status` reads back, without a Slurm: the scripts are
// run by bash with the variables Slurm would set and a fake ecoinfer, and the parsers get the
// text sbatch, squeue and sacct print (formats of Slurm 22.05, docs/slurm.md).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

extern char** environ;

#include "core/error.h"
#include "meter/meter_test_util.h"
#include "study/slurm_job.h"
#include "study/slurm_status.h"

namespace ecoinfer::study::slurm {
namespace {

namespace fs = std::filesystem;
using meter::testing::slurp;
using meter::testing::TempDir;
using meter::testing::write_file;

StudyJob example_job(const fs::path& out, const fs::path& ecoinfer = "/opt/eco infer/bin/ecoinfer") {
  StudyJob j;
  j.study_name = "resnet study";
  j.spec_hash = "0123456789abcdef";
  j.ecoinfer = ecoinfer;
  j.workdir = "/home/me/work";
  j.out = out;
  j.run_args = {"study", "run", "spec.toml", "--tactic", "compile", "--name", "it's"};
  return j;
}

TEST(SlurmScripts, WordsAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ(shell_quote("study-out/x_1.toml"), "study-out/x_1.toml");
  EXPECT_EQ(shell_quote("--min-seconds=0.5"), "--min-seconds=0.5");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
  EXPECT_EQ(shell_quote(""), "''");
}

TEST(SlurmScripts, ArrayRangesAreCompact) {
  EXPECT_EQ(array_ranges({1, 2, 3}), "1-3");
  EXPECT_EQ(array_ranges({5, 1, 2, 3, 3, 7, 8}), "1-3,5,7-8");
  EXPECT_EQ(array_ranges({4}), "4");
  EXPECT_EQ(job_name("resnet study/2"), "ecoinfer-resnet_study_2");
}

TEST(SlurmScripts, ArrayScriptHasTheDirectivesAndTheShardCommand) {
  JobOptions o;
  o.shards = 3;
  o.partition = "gpu";
  o.time = "02:00:00";
  o.gres = "gpu:1";
  o.cpus_per_task = 4;
  o.extra = {"--account=proj1"};
  const std::string s = array_script(example_job("/scratch/out"), o, {1, 3});
  for (const char* line : {"#SBATCH --job-name=ecoinfer-resnet_study\n", "#SBATCH --array=1,3\n", "#SBATCH --partition=gpu\n",
                           "#SBATCH --time=02:00:00\n", "#SBATCH --gres=gpu:1\n", "#SBATCH --exclusive\n", "#SBATCH --nodes=1\n",
                           "#SBATCH --cpus-per-task=4\n", "#SBATCH --chdir=/home/me/work\n", "#SBATCH --account=proj1\n",
                           "#SBATCH --output=/scratch/out/slurm/logs/shard-%a-of-3.%A.out\n", "n=3\n",
                           "'/opt/eco infer/bin/ecoinfer' study run spec.toml --tactic compile --name 'it'\\''s' --shard \"$k/$n\"\n"})
    EXPECT_NE(s.find(line), std::string::npos) << line << "\n" << s;
  // The directives come before the first command: sbatch stops reading them there.
  EXPECT_LT(s.rfind("#SBATCH"), s.find("set -u"));
  o.exclusive = false;
  o.gres.clear();
  const std::string shared = array_script(example_job("/scratch/out"), o, {1, 2, 3});
  EXPECT_EQ(shared.find("--exclusive"), std::string::npos);
  EXPECT_EQ(shared.find("--gres"), std::string::npos);
  EXPECT_NE(shared.find("#SBATCH --array=1-3\n"), std::string::npos);
  EXPECT_THROW(array_script(example_job("/scratch/out"), o, {}), Error);
}

TEST(SlurmScripts, MergeScriptMergesTheOutputFolder) {
  JobOptions o;
  o.shards = 3;
  o.partition = "gpu";
  o.gres = "gpu:1";
  const std::string s = merge_script(example_job("/scratch/out"), o);
  EXPECT_NE(s.find("#SBATCH --job-name=ecoinfer-resnet_study-merge\n"), std::string::npos) << s;
  EXPECT_NE(s.find("#SBATCH --time=00:30:00\n"), std::string::npos) << s;
  EXPECT_NE(s.find("#SBATCH --cpus-per-task=1\n"), std::string::npos) << s;
  EXPECT_NE(s.find("'/opt/eco infer/bin/ecoinfer' study merge /scratch/out\n"), std::string::npos) << s;
  // The merge needs no GPU and no whole node.
  EXPECT_EQ(s.find("--gres"), std::string::npos) << s;
  EXPECT_EQ(s.find("--exclusive"), std::string::npos) << s;
}

// Runs a script as Slurm's batch step would: bash, the array variables set, in its own
// process group (Slurm signals every process of the step). The environment is built before
// fork: the child only execs.
pid_t start_script(const fs::path& script, const std::string& task) {
  std::vector<std::string> env{"SLURM_ARRAY_TASK_ID=" + task, "SLURM_ARRAY_JOB_ID=41", "SLURM_JOB_ID=44", "SLURMD_NODENAME=node07"};
  for (char** e = environ; *e; ++e)
    if (std::string(*e).rfind("SLURM", 0) != 0) env.emplace_back(*e);
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string bash = "/bin/bash", path = script.string();
  char* argv[] = {bash.data(), path.data(), nullptr};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    ::execve(argv[0], argv, envp.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  return pid;
}

int wait_exit(pid_t pid) {
  int st = 0;
  ::waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

// A fake ecoinfer (bash `body`) at TMP/fake-ecoinfer, and the study folder TMP/out/slurm the
// scripts record into; returns the fake's path.
fs::path fake_ecoinfer(const TempDir& tmp, const std::string& body) {
  const fs::path fake = tmp / "fake-ecoinfer";
  write_file(fake.string(), "#!/bin/bash\n" + body);
  fs::permissions(fake, fs::perms::owner_all);
  fs::create_directories(fs::path(tmp / "out") / "slurm");
  return fake;
}

TEST(SlurmScripts, ArrayTaskRunsItsShardAndRecordsStartAndEnd) {
  TempDir tmp;
  const fs::path out = tmp / "out", fake = fake_ecoinfer(tmp, "echo \"$@\" > \"" + (tmp / "args") + "\"\nexit 3\n");
  JobOptions o;
  o.shards = 3;
  write_file((tmp / "array.sbatch"), array_script(example_job(out, fake), o, {1, 2, 3}));
  EXPECT_EQ(wait_exit(start_script(tmp / "array.sbatch", "2")), 3);  // the task's status is ecoinfer's
  EXPECT_EQ(slurp(tmp / "args"), "study run spec.toml --tactic compile --name it's --shard 2/3\n");
  const auto records = read_task_records(out);
  ASSERT_EQ(records.size(), 2u) << slurp(out / "slurm/tasks.log");
  EXPECT_EQ(records[0].event, "start");
  EXPECT_EQ(records[0].kind, "shard");
  EXPECT_EQ(records[0].shard_k, 2);
  EXPECT_EQ(records[0].shard_n, 3);
  EXPECT_EQ(records[0].task, "41_2");
  EXPECT_EQ(records[0].job, "44");
  EXPECT_EQ(records[0].node, "node07");
  EXPECT_EQ(records[1].event, "end");
  EXPECT_EQ(records[1].exit_code, 3);
  EXPECT_EQ(records[1].signal, "");
}

TEST(SlurmScripts, SigtermLetsEcoinferFinishAndTheEndRecordSaysSo) {
  TempDir tmp;
  // Like ecoinfer: on SIGTERM finish the work in flight, then exit 130.
  const fs::path out = tmp / "out", fake = fake_ecoinfer(tmp, "trap 'sleep 0.2; exit 130' TERM\ntouch \"" + (tmp / "running") +
                                                                 "\"\nfor i in $(seq 300); do sleep 0.1; done\nexit 0\n");
  JobOptions o;
  o.shards = 2;
  write_file((tmp / "array.sbatch"), array_script(example_job(out, fake), o, {1, 2}));
  const pid_t pid = start_script(tmp / "array.sbatch", "1");
  for (int i = 0; i < 300 && !fs::exists(tmp / "running"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(fs::exists(tmp / "running"));
  ::kill(-pid, SIGTERM);  // scancel: every process of the step
  EXPECT_EQ(wait_exit(pid), 130);
  const auto records = read_task_records(out);
  ASSERT_EQ(records.size(), 2u) << slurp(out / "slurm/tasks.log");
  EXPECT_EQ(records[1].event, "end");
  EXPECT_EQ(records[1].exit_code, 130);
  EXPECT_EQ(records[1].signal, "TERM");
}

TEST(SlurmScripts, MergeScriptRecordsItsRun) {
  TempDir tmp;
  const fs::path out = tmp / "out", fake = fake_ecoinfer(tmp, "echo \"$@\" > \"" + (tmp / "args") + "\"\n");
  write_file((tmp / "merge.sbatch"), merge_script(example_job(out, fake), JobOptions{}));
  EXPECT_EQ(wait_exit(start_script(tmp / "merge.sbatch", "")), 0);
  EXPECT_EQ(slurp(tmp / "args"), "study merge " + out.string() + "\n");
  const auto records = read_task_records(out);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].kind, "merge");
  EXPECT_EQ(records[0].job, "44");
  EXPECT_EQ(records[1].exit_code, 0);
}

TEST(SlurmParse, SbatchParsableOutput) {
  EXPECT_EQ(parse_parsable_job_id("1234\n"), "1234");
  EXPECT_EQ(parse_parsable_job_id("1234;cluster-a\n"), "1234");
  EXPECT_EQ(parse_parsable_job_id("sbatch: warning: something\n77\n"), "77");
  EXPECT_THROW(parse_parsable_job_id(""), Error);
  EXPECT_THROW(parse_parsable_job_id("sbatch: error: Batch job submission failed\n"), Error);
}

TEST(SlurmParse, TaskRecordsSkipMalformedLines) {
  const auto r = parse_task_records(
      "time=2026-12-01T05:00:00Z event=start kind=shard shard=1/3 task=9_1 job=10 node=a\n"
      "time=2026-12-01T05:00:09Z event=end kind=shard shard=1/3 task=9_1 job=10 node=a exit=0\n"
      "time=2026-12-01T05:00:10Z event=end kind=shard shard=1/3 task=9_2 job=11 node=a exit=\n"  // cut short
      "garbage\n"
      "time=2026-12-01T05:01:00Z event=start kind=merge job=12 node=b\n"
      "time=2026-12-01T05:01:00Z event=start kind=shard shard=x/3 task=9_3 job=13 node=a\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].exit_code, 0);
  EXPECT_EQ(r[2].kind, "merge");
  EXPECT_EQ(r[2].node, "b");
}

TEST(SlurmParse, SacctKeepsJobsAndArrayTasksNotSteps) {
  const auto j = parse_sacct(
      "50_1|COMPLETED|0:0|n1|00:00:07\n"
      "50_1.batch|COMPLETED|0:0|n1|00:00:07\n"
      "50_2|CANCELLED by 1000|0:15|n1|00:00:03\n"
      "50_3|TIMEOUT|0:0|n2|01:00:00\n"
      "51|PENDING|0:0|None assigned|00:00:00\n");
  ASSERT_EQ(j.size(), 4u);
  EXPECT_EQ(j[1].id, "50_2");
  EXPECT_EQ(j[1].state, "CANCELLED");
  EXPECT_EQ(j[1].exit_code, "0:15");
  EXPECT_FALSE(is_failure_state(j[0].state));
  EXPECT_TRUE(is_failure_state(j[1].state));
  EXPECT_TRUE(is_failure_state(j[2].state));
  EXPECT_FALSE(is_failure_state(j[3].state));
  EXPECT_TRUE(is_failure_state("NODE_FAIL"));
  EXPECT_TRUE(is_failure_state("OUT_OF_MEMORY"));
}

TEST(SlurmParse, SqueueOneLinePerTask) {
  const auto q = parse_squeue("60_2|RUNNING|n1\n60_3|PENDING|\n61|PENDING|\n");
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0].id, "60_2");
  EXPECT_EQ(q[0].node, "n1");
  EXPECT_EQ(q[2].state, "PENDING");
}

TEST(SlurmStatus, ShardStateFromQueueStoreAndRecords) {
  ShardProgress p{2, 3, 4, 1, true, "h"};
  const std::vector<TaskRecord> records = parse_task_records(
      "time=T1 event=start kind=shard shard=2/3 task=70_2 job=71 node=n1\n"
      "time=T2 event=end kind=shard shard=2/3 task=70_2 job=71 node=n1 exit=130 signal=TERM\n"
      "time=T3 event=start kind=shard shard=3/3 task=70_3 job=72 node=n2\n");
  // Queued: squeue's state wins.
  EXPECT_EQ(shard_state(p, records, {{"80_2", "RUNNING", "n3"}}, {"70", "80"}).state, "running");
  EXPECT_EQ(shard_state(p, records, {{"80_2", "RUNNING", "n3"}}, {"70", "80"}).detail, "task 80_2 on n3");
  // Another study's job with the same index is not this shard's.
  EXPECT_EQ(shard_state(p, records, {{"99_2", "RUNNING", "n3"}}, {"70"}).state, "failed");
  const ShardState failed = shard_state(p, records, {}, {"70"});
  EXPECT_EQ(failed.state, "failed");
  EXPECT_NE(failed.detail.find("task 70_2 on n1 ended T2 with exit status 130 after SIGTERM"), std::string::npos) << failed.detail;
  ShardProgress p3{3, 3, 4, 2, true, "h"};
  EXPECT_EQ(shard_state(p3, records, {}, {"70"}).state, "stopped");
  ShardProgress done{2, 3, 4, 4, true, "h"};
  EXPECT_EQ(shard_state(done, records, {}, {"70"}).state, "complete");
  ShardProgress fresh{1, 3, 4, 0, false, ""};
  EXPECT_EQ(shard_state(fresh, records, {}, {"70"}).state, "not started");
  fresh.store_exists = true;
  EXPECT_EQ(shard_state(fresh, records, {}, {"70"}).state, "incomplete");
}

TEST(SlurmStatus, SubmissionsRoundTripAndBadLinesAreNamed) {
  TempDir tmp;
  const fs::path out = tmp / "out";
  fs::create_directories(out / "slurm");
  EXPECT_TRUE(read_submissions(out).empty());
  append_submission(out, {"2026-12-01T05:00:00Z", "abc", "90", "91", "1-3", 3, true});
  append_submission(out, {"2026-12-01T06:00:00Z", "abc", "", "95", "", 3, false});
  const auto s = read_submissions(out);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].array_job_id, "90");
  EXPECT_EQ(s[0].tasks, "1-3");
  EXPECT_EQ(s[1].merge_job_id, "95");
  EXPECT_FALSE(s[1].exclusive);
  write_file((out / "slurm/submissions.jsonl").string(), slurp(out / "slurm/submissions.jsonl") + "{\"at\": 1}\n");
  try {
    read_submissions(out);
    FAIL() << "a bad record was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("submissions.jsonl:3: not a submission record"), std::string::npos) << e.what();
  }
}

TEST(SlurmStatus, ShardCountsFromFolderNames) {
  TempDir tmp;
  const fs::path out = tmp / "out";
  fs::create_directories(out / "shards/1-of-3");
  fs::create_directories(out / "shards/3-of-3");
  fs::create_directories(out / "shards/notes");
  EXPECT_EQ(shard_counts_in(out), (std::set<int>{3}));
  fs::create_directories(out / "shards/2-of-4");
  EXPECT_EQ(shard_counts_in(out), (std::set<int>{3, 4}));
}

}  // namespace
}  // namespace ecoinfer::study::slurm
