// `ecoinfer study slurm` and `ecoinfer study status` against fake sbatch, squeue and sacct (shell
// scripts first in PATH that record their arguments and print what Slurm 22.05 prints), so that
// the submission logic is tested on machines without Slurm; slurm_cluster_test.cpp runs the
// same commands on a real one-node cluster.
#include <gtest/gtest.h>

#include <fstream>

#include "meter/meter_test_util.h"
#include "study/slurm_status.h"
#include "test_paths.h"

namespace ecoinfer::study::slurm {
namespace {

namespace fs = std::filesystem;
using meter::testing::slurp;
using meter::testing::TempDir;
using meter::testing::write_file;
using test::cli_path;
using test::run_command;
using test::source_dir;

const std::string kStudyFlags = "--model " + (source_dir() / "demo/resnet20_cifar10").string() + " --data " +
                                (source_dir() / "demo/cifar10-1000").string() +
                                " --tactic compile --repetitions 3 --batch 16 --images 16 --min-seconds 0.5 --warmup 0.05 "
                                "--cooldown 0 --idle-seconds 0 --accuracy-images 100 --out out";

// A folder of fake Slurm commands: sbatch appends its arguments to sbatch.calls and prints the
// next job id from 101 on; squeue prints squeue.out; sacct prints sacct.out, or fails as on a
// cluster without accounting when there is none.
class FakeSlurm {
 public:
  FakeSlurm() {
    const std::string d = dir_.path();
    write_tool("sbatch", "echo \"$*\" >> " + d + "/sbatch.calls\necho \"$(( $(wc -l < " + d + "/sbatch.calls) + 100 ));fake\"\n");
    write_tool("squeue", "echo \"$*\" >> " + d + "/squeue.calls\n[ -f " + d + "/squeue.out ] && cat " + d + "/squeue.out\nexit 0\n");
    write_tool("sacct", "if [ -f " + d + "/sacct.out ]; then cat " + d +
                            "/sacct.out; else echo 'Slurm accounting storage is disabled' >&2; exit 1; fi\n");
  }
  // Runs `ecoinfer ARGS` in `cwd` with the fakes first in PATH; stderr is kept apart.
  test::CommandResult ecoinfer(const fs::path& cwd, const std::string& args, std::string* err = nullptr) const {
    const std::string err_file = dir_ / "stderr";
    auto r = run_command("cd " + cwd.string() + " && PATH=" + dir_.path() + ":$PATH " + cli_path().string() + " " + args + " 2>" +
                             err_file,
                         false);
    if (err) *err = slurp(err_file);
    return r;
  }
  std::vector<std::string> sbatch_calls() const {
    std::vector<std::string> v;
    std::ifstream in(dir_ / "sbatch.calls");
    for (std::string l; std::getline(in, l);) v.push_back(l);
    return v;
  }
  void set(const std::string& file, const std::string& text) const { write_file(dir_ / file, text); }
  void clear(const std::string& file) const { fs::remove(dir_ / file); }

 private:
  void write_tool(const std::string& name, const std::string& body) {
    write_file(dir_ / name, "#!/bin/bash\n" + body);
    fs::permissions(dir_ / name, fs::perms::owner_all);
  }
  TempDir dir_;
};

TEST(StudySlurmCli, DryRunPrintsBothScriptsAndTheSbatchCommandsAndWritesNothing) {
  TempDir work;
  FakeSlurm slurm;
  std::string err;
  const auto r = slurm.ecoinfer(work.path(),
                                "study slurm " + kStudyFlags + " --shards 3 --partition gpu --gres gpu:1 --time 01:00:00 --dry-run",
                                &err);
  ASSERT_EQ(r.status, 0) << r.out << err;
  const std::string out = (fs::path(work.path()) / "out").string();
  for (const std::string& s :
       {std::string("runs in 3 shards, 0 done; shards to run: 1-3 of 3"), std::string("# ") + out + "/slurm/array.sbatch\n",
        std::string("#SBATCH --array=1-3\n"), std::string("#SBATCH --partition=gpu\n"), std::string("#SBATCH --gres=gpu:1\n"),
        std::string("#SBATCH --exclusive\n"), std::string("#SBATCH --time=01:00:00\n"), "#SBATCH --chdir=" + work.path() + "\n",
        std::string(" study run --model "),
        std::string("--tactic compile --repetitions 3 --images 16 --out out --batch 16 --min-seconds 0.5 --warmup 0.05"),
        std::string("--accuracy-images 100 --shard \"$k/$n\"\n"), std::string("# ") + out + "/slurm/merge.sbatch\n",
        std::string(" study merge ") + out + "\n", "sbatch --parsable " + out + "/slurm/array.sbatch\n",
        "sbatch --parsable --dependency=afterany:ARRAY_JOB_ID " + out + "/slurm/merge.sbatch\n"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  EXPECT_EQ(err.find("warning"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(slurm.sbatch_calls().empty());
}

TEST(StudySlurmCli, NoExclusiveWarnsAboutSharedNodes) {
  TempDir work;
  FakeSlurm slurm;
  std::string err;
  const auto r = slurm.ecoinfer(work.path(), "study slurm " + kStudyFlags + " --shards 2 --no-exclusive --dry-run", &err);
  ASSERT_EQ(r.status, 0) << r.out << err;
  EXPECT_EQ(r.out.find("--exclusive"), std::string::npos) << r.out;
  EXPECT_NE(err.find("warning: --no-exclusive: other jobs may run on the same nodes"), std::string::npos) << err;
  EXPECT_NE(err.find("energy figures"), std::string::npos) << err;
}

TEST(StudySlurmCli, BadValuesAreRefusedBeforeAnythingIsWritten) {
  TempDir work;
  FakeSlurm slurm;
  struct Case {
    std::string args, expect;
  };
  for (const Case& c : std::vector<Case>{{"--shards 3 --partition 'gpu a'", "--partition 'gpu a': only letters"},
                                         {"--shards 3 --time '1:00\nrm -rf x'", "--time"},
                                         {"--shards 3 --sbatch-option account=x", "give one sbatch option"},
                                         {"--shards 7", "--shards 7: the study has only 6 runs"}}) {
    std::string err;
    const auto r = slurm.ecoinfer(work.path(), "study slurm " + kStudyFlags + " " + c.args, &err);
    EXPECT_EQ(r.status, 1) << c.args << "\n" << r.out << err;
    EXPECT_NE(err.find(c.expect), std::string::npos) << c.args << "\n" << err;
  }
  EXPECT_FALSE(fs::exists(fs::path(work.path()) / "out"));
  EXPECT_TRUE(slurm.sbatch_calls().empty());
}

TEST(StudySlurmCli, SubmitsTheArrayThenTheMergeAndResubmitsOnlyWhatIsNotDone) {
  TempDir work;
  FakeSlurm slurm;
  const fs::path out = fs::path(work.path()) / "out";
  std::string err;
  auto r = slurm.ecoinfer(work.path(), "study slurm " + kStudyFlags + " --shards 3", &err);
  ASSERT_EQ(r.status, 0) << r.out << err;
  EXPECT_NE(r.out.find("submitted array job 101: shards 1-3 of 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("submitted merge job 102, after every task of 101 ends"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("job ids  101 102"), std::string::npos) << r.out;
  auto calls = slurm.sbatch_calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0], "--parsable " + (out / "slurm/array.sbatch").string());
  EXPECT_EQ(calls[1], "--parsable --dependency=afterany:101 " + (out / "slurm/merge.sbatch").string());
  EXPECT_TRUE((fs::status(out / "slurm/array.sbatch").permissions() & fs::perms::owner_exec) != fs::perms::none);
  EXPECT_TRUE(fs::is_directory(out / "slurm/logs"));
  auto subs = read_submissions(out);
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].array_job_id, "101");
  EXPECT_EQ(subs[0].merge_job_id, "102");
  EXPECT_EQ(subs[0].tasks, "1-3");

  // Shard 2 runs to the end (as its array task would); the others never ran.
  r = run_command("cd " + work.path() + " && " + cli_path().string() + " study run " + kStudyFlags + " --shard 2/3 --quiet");
  ASSERT_EQ(r.status, 0) << r.out;
  // While a task of the first submission is queued, a second submission is refused.
  slurm.set("squeue.out", "101_1|PENDING|\n101_3|RUNNING|n1\n");
  r = slurm.ecoinfer(work.path(), "study slurm " + kStudyFlags + " --shards 3", &err);
  EXPECT_EQ(r.status, 1) << r.out << err;
  EXPECT_NE(err.find("jobs of an earlier submission are still queued or running:\n  101_1 PENDING\n  101_3 RUNNING on n1"),
            std::string::npos)
      << err;
  EXPECT_EQ(slurm.sbatch_calls().size(), 2u);
  // Once they are gone, only shards 1 and 3 are submitted again.
  slurm.clear("squeue.out");
  r = slurm.ecoinfer(work.path(), "study slurm " + kStudyFlags + " --shards 3", &err);
  ASSERT_EQ(r.status, 0) << r.out << err;
  EXPECT_NE(r.out.find("6 runs in 3 shards, 2 done"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("submitted array job 103: shards 1,3 of 3"), std::string::npos) << r.out;
  EXPECT_NE(slurp(out / "slurm/array.sbatch").find("#SBATCH --array=1,3\n"), std::string::npos);
  calls = slurm.sbatch_calls();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[3], "--parsable --dependency=afterany:103 " + (out / "slurm/merge.sbatch").string());
  // Another shard count for the same folder would measure runs twice.
  r = slurm.ecoinfer(work.path(), "study slurm " + kStudyFlags + " --shards 2 --dry-run", &err);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(err.find("holds shard stores of 3 shards (shards/K-of-3); use --shards 3"), std::string::npos) << err;

  // Status: shard 2 complete from its store; shard 1's task was cancelled, shard 3's killed
  // outright (the tasks' own records; this fake cluster has no accounting).
  write_file(out / "slurm/tasks.log",
             "time=2026-12-01T05:00:00Z event=start kind=shard shard=1/3 task=103_1 job=104 node=n1\n"
             "time=2026-12-01T05:00:04Z event=end kind=shard shard=1/3 task=103_1 job=104 node=n1 exit=130 signal=TERM\n"
             "time=2026-12-01T05:00:05Z event=start kind=shard shard=3/3 task=103_3 job=105 node=n2\n");
  r = slurm.ecoinfer(work.path(), "study status out", &err);
  ASSERT_EQ(r.status, 0) << r.out << err;
  for (const std::string& s :
       {std::string("6 runs, 3 shards; 2 Slurm submissions"), std::string("1-of-3            2      0  failed: task 103_1 on n1 ended "
                                                                           "2026-12-01T05:00:04Z with exit status 130 after SIGTERM"),
        std::string("2-of-3            2      2  complete\n"), std::string("3-of-3            2      0  stopped: task 103_3 on n2"),
        std::string("merged            6      -  not merged yet"),
        std::string("Slurm accounting (sacct) not available: sacct: Slurm accounting storage is disabled"),
        std::string("next: `ecoinfer study slurm` with the same arguments submits shards 1,3 again")})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  // With accounting, the failed tasks are listed from sacct.
  slurm.set("sacct.out", "103_1|CANCELLED by 0|0:15|n1|00:00:04\n103_1.batch|CANCELLED|0:15|n1|00:00:04\n103_2|COMPLETED|0:0|n1|00:00:03\n");
  r = slurm.ecoinfer(work.path(), "study status out --json", &err);
  ASSERT_EQ(r.status, 0) << r.out << err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["shards"], 3);
  EXPECT_EQ(j["shard_status"][1]["state"], "complete");
  EXPECT_EQ(j["shard_status"][0]["state"], "failed");
  EXPECT_TRUE(j["sacct"]["available"].get<bool>());
  ASSERT_EQ(j["sacct"]["failed"].size(), 1u);
  EXPECT_EQ(j["sacct"]["failed"][0]["id"], "103_1");
  EXPECT_EQ(j["sacct"]["failed"][0]["state"], "CANCELLED");
}

}  // namespace
}  // namespace ecoinfer::study::slurm
