// A study store survives its writer being killed at any moment of its first writes (a Slurm
// task cancelled as it starts): the file is either absent or a readable store, and a store
// that holds a study also holds its plan. Before the store was made under a temporary name,
// a kill between SQLite creating the file and the schema's commit left a file without
// tables, and the merge job refused it ("not an ecoinfer study store"): the CI failure of
// the Slurm cluster test.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "study/store.h"
#include "test_paths.h"

namespace ecoinfer::study {
namespace {

namespace fs = std::filesystem;

std::vector<PlannedRun> plan_of(int runs) {
  std::vector<PlannedRun> plan;
  for (int i = 0; i < runs; ++i) plan.push_back({make_run_id("m", "none", 1, 1, i + 1), i, 1, "m", "none", 1, 1, i + 1});
  return plan;
}

// Forks a child that creates `file` and writes a study of 400 planned runs into it.
pid_t start_writer(const fs::path& file) {
  const pid_t child = ::fork();
  if (child != 0) return child;
  try {
    ExperimentRow e;
    e.name = "t";
    e.spec_text = e.spec_source = "test";
    e.spec_json = e.analysis_json = e.environment_json = nlohmann::json::object();
    e.spec_hash = "h";
    e.created_at = "2026-12-02T00:00:00Z";
    Store::open(file, true)->write_study(e, plan_of(400));
  } catch (...) {
    ::_exit(2);
  }
  ::_exit(0);
}

TEST(StoreKill, KilledAtAnyMomentOfItsFirstWritesLeavesNoStoreOrAWholeOne) {
  test::TempDir dir;
  // How long the writes take uncut on this machine (milliseconds; more under ASan or load):
  // the kills are spread over that span.
  fs::create_directories(dir / "uncut");
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t uncut = start_writer(dir / "uncut/results.sqlite");
  int status = 0;
  ::waitpid(uncut, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the uncut writer failed";
  const auto span = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();

  std::mt19937 rng(7);
  int absent = 0, tables_only = 0, whole = 0;
  for (int attempt = 0; attempt < 60; ++attempt) {
    const fs::path file = dir / ("s" + std::to_string(attempt) + "/results.sqlite");
    fs::create_directories(file.parent_path());
    const pid_t child = start_writer(file);
    ASSERT_GE(child, 0);
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int64_t>(0, span)(rng)));
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    ASSERT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << "the child's store writes failed";
    if (!fs::exists(file)) {
      ++absent;
      continue;
    }
    std::unique_ptr<Store> s;
    ASSERT_NO_THROW(s = Store::open_read_only(file)) << file;
    if (s->experiment()) {
      EXPECT_EQ(s->plan().size(), 400u) << "a study without its whole plan";
      ++whole;
    } else {
      EXPECT_TRUE(s->plan().empty());
      ++tables_only;
    }
  }
  // Kills landed both before the store existed and after it was written, or the test proved
  // nothing about the moments in between.
  EXPECT_GT(absent, 0);
  EXPECT_GT(whole + tables_only, 0);
  RecordProperty("absent", absent);
  RecordProperty("tables_only", tables_only);
  RecordProperty("whole", whole);
}

}  // namespace
}  // namespace ecoinfer::study
