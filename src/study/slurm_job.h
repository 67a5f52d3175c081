#pragma once
// The Slurm side of a study bigger than one machine (docs/slurm.md): the sbatch script of a
// job array whose task K runs `ecoinfer study run ... --shard K/N` into OUT/shards/K-of-N/,
// and the script of the merge job that runs after the array (--dependency=afterany) and
// leaves OUT/results.sqlite. Both scripts append start and end records to OUT/slurm/tasks.log,
// which `ecoinfer study status` reads when Slurm's accounting (sacct) is not there.
#include <filesystem>
#include <string>
#include <vector>

namespace ecoinfer::study::slurm {

struct JobOptions {
  int shards = 4;
  std::string partition;         // "": the cluster's default partition
  std::string time;              // time limit of each array task; "": the partition's default
  std::string merge_time = "00:30:00";
  std::string gres;              // e.g. "gpu:1"; "": none
  bool exclusive = true;         // whole nodes: another job's load would enter the energy figures
  int cpus_per_task = 1;         // the study's largest engine thread count
  std::vector<std::string> extra;  // further sbatch options, one "#SBATCH" line each (--account=x)
};

struct StudyJob {
  std::string study_name, spec_hash;
  std::filesystem::path ecoinfer;  // the binary the tasks run (absolute)
  std::filesystem::path workdir;   // where the study's relative paths resolve (--chdir)
  std::filesystem::path out;       // the study's output folder (absolute)
  std::vector<std::string> run_args;  // `ecoinfer study run` arguments, without --shard
};

// OUT/slurm: scripts, logs, tasks.log, submissions.jsonl.
std::filesystem::path slurm_folder(const std::filesystem::path& out);

// A word for bash: unchanged when it holds only safe characters, else single-quoted.
std::string shell_quote(const std::string& word);
// Task indices as sbatch --array writes them: {1, 2, 3, 5} -> "1-3,5". Sorted, no repeats.
std::string array_ranges(std::vector<int> tasks);
// The job name: "ecoinfer-" and the study's name in [A-Za-z0-9._-].
std::string job_name(const std::string& study_name);

// The array job's script: one task per index in `tasks` (shard numbers 1..N).
std::string array_script(const StudyJob& job, const JobOptions& opts, const std::vector<int>& tasks);
// The merge job's script; its dependency is given on the sbatch command line (the array's id
// is known only after submitting it).
std::string merge_script(const StudyJob& job, const JobOptions& opts);

// The job id in `sbatch --parsable` output ("1234" or "1234;cluster"); errors quote the text.
std::string parse_parsable_job_id(const std::string& sbatch_output);

}  // namespace ecoinfer::study::slurm
