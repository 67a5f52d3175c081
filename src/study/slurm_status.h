#pragma once
// What `ecoinfer study status OUT` and a re-submission need to know about a study run as a
// Slurm job array (docs/slurm.md): each shard's planned and completed runs (from its store),
// the tasks' own start/end records (OUT/slurm/tasks.log), the submissions made
// (OUT/slurm/submissions.jsonl), and Slurm's view (squeue, and sacct where accounting runs).
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "study/run_table.h"

namespace ecoinfer::study::slurm {

// One line of tasks.log, written by the job scripts (slurm_job.h).
struct TaskRecord {
  std::string time, event, kind;  // event: start | end; kind: shard | merge
  int shard_k = 0, shard_n = 0;   // kind shard
  std::string task, job, node;    // task: "ARRAYJOB_INDEX"; job: SLURM_JOB_ID
  std::optional<int> exit_code;   // event end
  std::string signal;             // "TERM" when the task was sent SIGTERM
};
// Malformed lines (one cut short by a full disk) are skipped.
std::vector<TaskRecord> parse_task_records(const std::string& text);
std::vector<TaskRecord> read_task_records(const std::filesystem::path& out);

struct Submission {
  std::string at, spec_hash, array_job_id, merge_job_id;  // array_job_id "" when only the merge was submitted
  std::string tasks;  // the array's shard indices, "1-3,5"
  int shards = 0;
  bool exclusive = true;
};
void append_submission(const std::filesystem::path& out, const Submission& s);
// Errors name the file and line.
std::vector<Submission> read_submissions(const std::filesystem::path& out);

// `sacct --noheader --parsable2 --format=JobID,State,ExitCode,NodeList,Elapsed`; job steps
// ("12_3.batch", "12_3.extern") are dropped, the jobs and array tasks kept.
struct AccountedJob {
  std::string id, state, exit_code, node, elapsed;
};
std::vector<AccountedJob> parse_sacct(const std::string& text);
// States that are not a failure: done, or not finished yet.
bool is_failure_state(const std::string& sacct_state);

// `squeue --noheader --array --format=%i|%T|%N`: one line per job or array task.
struct QueuedJob {
  std::string id, state, node;
};
std::vector<QueuedJob> parse_squeue(const std::string& text);

struct ShardProgress {
  int k = 0, n = 0, planned = 0, done = 0;
  bool store_exists = false;
  std::string spec_hash;  // the store's ("" without a store)
};
// Each shard K of N: the runs the plan gives it (run_index % N == K - 1) and those its store
// OUT/shards/K-of-N/results.sqlite holds.
std::vector<ShardProgress> shard_progress(const std::filesystem::path& out, int n, const std::vector<PlannedRun>& plan);
// The N of every OUT/shards/K-of-N folder there.
std::set<int> shard_counts_in(const std::filesystem::path& out);

// A shard's state for `study status`: complete, running, pending (or another squeue state in
// lower case), failed (its last task ended with a non-zero status), stopped (its last task
// started and left no end record: killed outright), incomplete (ended, runs missing), not
// started. `detail` says which task, where and how.
struct ShardState {
  std::string state, detail;
};
ShardState shard_state(const ShardProgress& p, const std::vector<TaskRecord>& records, const std::vector<QueuedJob>& queue,
                       const std::vector<std::string>& array_job_ids);

}  // namespace ecoinfer::study::slurm
