#pragma once
// Runs a study: validates everything before the first run, prepares each variant once
// (metered: the optimization cost) and measures its accuracy, takes idle baselines, then
// runs the table in its seeded order (warm-up, metered window, cool-down), storing every
// completed run in one transaction. Running the same study again finishes only the runs
// not yet done.
#include <signal.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "study/spec.h"
#include "study/store.h"

namespace ecoinfer::study {

struct RunnerOptions {
  int shard_k = 1, shard_n = 1;
  bool force = false;  // accept a spec that differs from the store's
  bool quiet = false;  // no progress on stderr (the log file still gets everything)
  // Test hook: stop after this many runs were stored in this invocation (as if interrupted).
  int max_runs = -1;
};

struct StudyOutcome {
  std::filesystem::path store_file;
  int planned = 0;          // runs of this shard
  int done_before = 0;      // already in the store when this invocation started
  int done_now = 0;         // completed by this invocation
  bool interrupted = false;  // stopped by SIGINT/SIGTERM (the run in flight was stored)
  std::vector<std::string> flagged;  // runs with failed checks, "run_id: checks"
};

// The output folder of a shard: `out` itself, or out/shards/K-of-N.
std::filesystem::path shard_folder(const std::filesystem::path& out, int k, int n);

// Checks the spec against the files it names without running anything: models load,
// datasets open and match the models' labels, tactics parse. Errors name the file.
void check_inputs_exist(const StudySpec& spec);

StudyOutcome run_study(const StudySpec& spec, const RunnerOptions& opts);

// Installs SIGINT/SIGTERM handlers for the duration of a study: the first signal lets the
// run in flight finish and be stored, a second abandons it at once.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  static bool requested();

 private:
  struct ::sigaction old_int_ {}, old_term_ {};
};

}  // namespace ecoinfer::study
