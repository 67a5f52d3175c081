#include "study/slurm_job.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/error.h"

namespace ecoinfer::study::slurm {

namespace fs = std::filesystem;

fs::path slurm_folder(const fs::path& out) { return out / "slurm"; }

std::string shell_quote(const std::string& word) {
  const bool safe = !word.empty() && std::all_of(word.begin(), word.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("_./:=+,@%-").find(static_cast<char>(c)) != std::string_view::npos;
  });
  if (safe) return word;
  std::string q = "'";
  for (char c : word) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string array_ranges(std::vector<int> tasks) {
  std::sort(tasks.begin(), tasks.end());
  tasks.erase(std::unique(tasks.begin(), tasks.end()), tasks.end());
  std::string s;
  for (size_t i = 0; i < tasks.size();) {
    size_t j = i;
    while (j + 1 < tasks.size() && tasks[j + 1] == tasks[j] + 1) ++j;
    s += (s.empty() ? "" : ",") + (j == i ? std::to_string(tasks[i]) : fmt::format("{}-{}", tasks[i], tasks[j]));
    i = j + 1;
  }
  return s;
}

std::string job_name(const std::string& study_name) {
  std::string n;
  for (unsigned char c : study_name) n += std::isalnum(c) || c == '.' || c == '_' || c == '-' ? static_cast<char>(c) : '_';
  return "ecoinfer-" + (n.empty() ? std::string("study") : n);
}

namespace {

std::string command_line(const fs::path& program, const std::vector<std::string>& args) {
  std::string s = shell_quote(program.string());
  for (const std::string& a : args) s += " " + shell_quote(a);
  return s;
}

// The #SBATCH lines both jobs share.
std::string common_options(const StudyJob& job, const JobOptions& o, int cpus) {
  std::string s;
  if (!o.partition.empty()) s += "#SBATCH --partition=" + o.partition + "\n";
  s += "#SBATCH --nodes=1\n#SBATCH --ntasks=1\n";
  s += fmt::format("#SBATCH --cpus-per-task={}\n", cpus);
  s += "#SBATCH --chdir=" + shell_quote(job.workdir.string()) + "\n";
  for (const std::string& e : o.extra) s += "#SBATCH " + e + "\n";
  return s;
}

// The record function: one "time=... event=... <fields> node=..." line per call, appended
// (O_APPEND: lines from tasks on several nodes do not interleave within a line). `format`
// holds the fields' printf format, `args` their shell words.
std::string record_function(const std::string& format, const std::string& args) {
  return "record() {\n  printf 'time=%s event=%s " + format + " node=%s%s\\n' \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" \"$1\" " + args +
         " \\\n    \"${SLURMD_NODENAME:-$(hostname -s)}\" \"${2:-}\" >>\"$log\"\n}\n";
}

}  // namespace

std::string array_script(const StudyJob& job, const JobOptions& o, const std::vector<int>& tasks) {
  ECO_CHECK(!tasks.empty(), "array_script: no tasks");
  ECO_CHECK(o.shards >= 1, "array_script: shards must be >= 1");
  const fs::path dir = slurm_folder(job.out);
  std::string s = "#!/bin/bash\n";
  s += fmt::format(
      "# Written by `ecoinfer study slurm` for study '{}' (spec hash {}). Task K of this job array runs\n"
      "# shard K of {} into {}/shards/K-of-{}/. `ecoinfer study slurm` with the same arguments submits\n"
      "# again only the shards not complete, and each resumes where it stopped (docs/slurm.md).\n",
      job.study_name, job.spec_hash, o.shards, job.out.string(), o.shards);
  s += "#SBATCH --job-name=" + job_name(job.study_name) + "\n";
  s += "#SBATCH --array=" + array_ranges(tasks) + "\n";
  if (!o.time.empty()) s += "#SBATCH --time=" + o.time + "\n";
  if (!o.gres.empty()) s += "#SBATCH --gres=" + o.gres + "\n";
  if (o.exclusive) s += "#SBATCH --exclusive\n";
  s += common_options(job, o, o.cpus_per_task);
  s += "#SBATCH --output=" + shell_quote((dir / "logs" / fmt::format("shard-%a-of-{}.%A.out", o.shards)).string()) + "\n";
  s += "#SBATCH --open-mode=append\n";
  s += "set -u\n";
  s += fmt::format("n={}\n", o.shards);
  s += "k=${SLURM_ARRAY_TASK_ID:?submit this script with sbatch: it is a Slurm job array}\n";
  s += "log=" + shell_quote((dir / "tasks.log").string()) + "\n";
  s += record_function("kind=shard shard=%s/%s task=%s_%s job=%s", "\"$k\" \"$n\" \"${SLURM_ARRAY_JOB_ID:-}\" \"$k\" \"${SLURM_JOB_ID:-}\"");
  s += "# scancel and the time limit send SIGTERM to every process of the task: ecoinfer stores the run\n"
       "# in flight and exits 130; the trap only notes the signal for the end record.\n";
  s += "signal=\ntrap 'signal=TERM' TERM\n";
  s += "record start\n";
  s += command_line(job.ecoinfer, job.run_args) + " --shard \"$k/$n\"\n";
  s += "rc=$?\n";
  s += "record end \" exit=$rc${signal:+ signal=$signal}\"\n";
  s += "exit \"$rc\"\n";
  return s;
}

std::string merge_script(const StudyJob& job, const JobOptions& o) {
  const fs::path dir = slurm_folder(job.out);
  std::string s = "#!/bin/bash\n";
  s += fmt::format(
      "# Written by `ecoinfer study slurm` for study '{}' (spec hash {}). Runs once every task of the\n"
      "# study's job array has ended, however it ended (sbatch --dependency=afterany:ARRAY_JOB_ID): merges\n"
      "# {}/shards/*/results.sqlite into {}/results.sqlite and writes the report.\n",
      job.study_name, job.spec_hash, job.out.string(), job.out.string());
  s += "#SBATCH --job-name=" + job_name(job.study_name) + "-merge\n";
  if (!o.merge_time.empty()) s += "#SBATCH --time=" + o.merge_time + "\n";
  s += common_options(job, o, 1);
  s += "#SBATCH --output=" + shell_quote((dir / "logs" / "merge.%j.out").string()) + "\n";
  s += "set -u\n";
  s += "log=" + shell_quote((dir / "tasks.log").string()) + "\n";
  s += record_function("kind=merge job=%s", "\"${SLURM_JOB_ID:-}\"");
  s += "record start\n";
  s += command_line(job.ecoinfer, {"study", "merge", job.out.string()}) + "\n";
  s += "rc=$?\n";
  s += "record end \" exit=$rc\"\n";
  s += "exit \"$rc\"\n";
  return s;
}

std::string parse_parsable_job_id(const std::string& text) {
  std::string t = text;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  // A warning line may come first ("sbatch: warning: ..."); the id is the last line.
  const size_t nl = t.rfind('\n');
  std::string last = nl == std::string::npos ? t : t.substr(nl + 1);
  const size_t semi = last.find(';');
  const std::string id = semi == std::string::npos ? last : last.substr(0, semi);
  ECO_CHECK(!id.empty() && std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); }),
            "sbatch --parsable printed '{}', which holds no job id", text);
  return id;
}

}  // namespace ecoinfer::study::slurm
