// `ecoinfer study slurm` (a study as a Slurm job array plus a merge job) and `ecoinfer study
// status OUT` (done / planned per shard, the Slurm tasks that failed). docs/slurm.md.
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <set>

#include "cli/cli_common.h"
#include "cli/study_args.h"
#include "core/error.h"
#include "study/child_process.h"
#include "study/run_table.h"
#include "study/runner.h"
#include "study/slurm_job.h"
#include "study/slurm_status.h"
#include "study/store.h"

namespace ecoinfer::cli {

namespace fs = std::filesystem;
using namespace ecoinfer::study;
using namespace ecoinfer::study::slurm;

namespace {

struct SlurmFlags {
  int shards = 4;
  std::string partition, time, merge_time = "00:30:00", gres, ecoinfer;
  bool exclusive = true, dry_run = false;
  std::vector<std::string> sbatch_options;
};

// A value that goes on an #SBATCH line: one word, so that it cannot end the line and start
// a command of its own.
void check_word(const std::string& flag, const std::string& v, const std::string& allowed) {
  for (unsigned char c : v)
    ECO_CHECK(std::isalnum(c) || allowed.find(static_cast<char>(c)) != std::string::npos,
              "{} '{}': only letters, digits and '{}' are allowed", flag, v, allowed);
}

// Jobs of this output folder's earlier submissions still queued or running.
struct QueueView {
  bool known = true;   // squeue answered
  std::string reason;  // why not
  std::vector<QueuedJob> jobs;
};

std::vector<std::string> submitted_ids(const std::vector<Submission>& subs) {
  std::vector<std::string> ids;
  for (const Submission& s : subs)
    for (const std::string& id : {s.array_job_id, s.merge_job_id})
      if (!id.empty()) ids.push_back(id);
  return ids;
}

QueueView queued_jobs(const std::vector<std::string>& ids) {
  QueueView q;
  if (ids.empty()) return q;
  std::string list;
  for (const std::string& id : ids) list += (list.empty() ? "" : ",") + id;
  const ProgramOutput o = run_program({"squeue", "--noheader", "--array", "--format=%i|%T|%N", "--jobs=" + list});
  if (!o.started) return {false, "squeue: " + o.start_error, {}};
  // Jobs that ended long ago are unknown to squeue, which then fails: none of them is queued.
  if (o.exit_code != 0 && o.err.find("Invalid job id") != std::string::npos) return q;
  if (o.exit_code != 0) return {false, "squeue failed: " + o.err.substr(0, o.err.find('\n')), {}};
  q.jobs = parse_squeue(o.out);
  return q;
}

std::string sbatch(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"sbatch", "--parsable"};
  argv.insert(argv.end(), args.begin(), args.end());
  const ProgramOutput o = run_program(argv);
  ECO_CHECK(o.started, "sbatch: {} (is this a Slurm login node? --dry-run prints the scripts without submitting)", o.start_error);
  std::string cmd;
  for (const std::string& a : argv) cmd += (cmd.empty() ? "" : " ") + shell_quote(a);
  ECO_CHECK(o.exit_code == 0, "`{}` failed (exit status {}): {}", cmd, o.exit_code, o.err.empty() ? o.out : o.err);
  return parse_parsable_job_id(o.out);
}

void write_script(const fs::path& file, const std::string& text) {
  std::ofstream f(file, std::ios::binary | std::ios::trunc);
  ECO_CHECK(f.good(), "{}: cannot write", file.string());
  f << text;
  f.close();
  ECO_CHECK(!f.fail(), "{}: write failed", file.string());
  fs::permissions(file, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
}

fs::path this_executable() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  ECO_CHECK(!ec, "cannot tell where this ecoinfer is (/proc/self/exe: {}); give --ecoinfer PATH", ec.message());
  return p;
}

void run_slurm(const QuickFlags& qf, const SlurmFlags& sf) {
  check_word("--partition", sf.partition, "_.,-");
  check_word("--time", sf.time, ":-");
  check_word("--merge-time", sf.merge_time, ":-");
  check_word("--gres", sf.gres, "_.,:-");
  for (const std::string& o : sf.sbatch_options)
    ECO_CHECK(o.rfind("--", 0) == 0 && o.find_first_of("\n\r") == std::string::npos,
              "--sbatch-option '{}': give one sbatch option such as --account=abc or --mem=16G", o);
  if (!sf.exclusive)
    std::fprintf(stderr,
                 "warning: --no-exclusive: other jobs may run on the same nodes, and the meters read whole machines (RAPL "
                 "packages, GPUs), so their load would enter this study's energy figures; the runs are stored with their "
                 "node and Slurm ids, but nothing records what else ran there\n");

  const StudySpec spec = spec_from(qf);
  check_inputs_exist(spec);
  const std::vector<PlannedRun> plan = make_run_table(spec, sf.shards);
  ECO_CHECK(sf.shards <= static_cast<int>(plan.size()), "--shards {}: the study has only {} runs; a shard would have none",
            sf.shards, plan.size());
  const std::string hash = spec_hash(spec);
  const fs::path out = fs::absolute(spec.output).lexically_normal();

  // One shard count per output folder: stores of two counts hold the same runs twice.
  const std::set<int> counts = shard_counts_in(out);
  for (int n : counts)
    ECO_CHECK(n == sf.shards, "{}: holds shard stores of {} shards (shards/K-of-{}); use --shards {} to continue that study, or "
              "another --out", out.string(), n, n, n);
  std::vector<int> tasks;
  int planned = 0, done = 0;
  for (const ShardProgress& p : shard_progress(out, sf.shards, plan)) {
    ECO_CHECK(!p.store_exists || p.spec_hash.empty() || p.spec_hash == hash,
              "{}: the shard store was started with another spec (hash {}, now {}); use another --out, or run the shard with "
              "`ecoinfer study run ... --shard {}/{} --force`",
              (shard_folder(out, p.k, p.n) / "results.sqlite").string(), p.spec_hash, hash, p.k, p.n);
    planned += p.planned;
    done += p.done;
    if (p.done < p.planned) tasks.push_back(p.k);
  }
  int merged_done = 0;
  const fs::path merged_file = out / "results.sqlite";
  if (std::error_code ec; fs::is_regular_file(merged_file, ec)) merged_done = static_cast<int>(Store::open_read_only(merged_file)->done_run_ids().size());

  StudyJob job;
  job.study_name = spec.name;
  job.spec_hash = hash;
  job.ecoinfer = sf.ecoinfer.empty() ? this_executable() : fs::absolute(sf.ecoinfer);
  job.workdir = fs::current_path();
  job.out = out;
  job.run_args = {"study", "run"};
  for (const std::string& a : quick_flag_args(qf)) job.run_args.push_back(a);
  JobOptions opts;
  opts.shards = sf.shards;
  opts.partition = sf.partition;
  opts.time = sf.time;
  opts.merge_time = sf.merge_time;
  opts.gres = sf.gres;
  opts.exclusive = sf.exclusive;
  opts.extra = sf.sbatch_options;
  opts.cpus_per_task = 1;
  for (int t : spec.threads) opts.cpus_per_task = std::max(opts.cpus_per_task, t);

  const fs::path dir = slurm_folder(out);
  const fs::path array_file = dir / "array.sbatch", merge_file = dir / "merge.sbatch";
  const std::string status_line =
      fmt::format("study '{}' (spec hash {}): {} runs in {} shards, {} done", spec.name, hash, planned, sf.shards, done);
  const bool nothing = tasks.empty() && merged_done == planned;
  if (sf.dry_run) {
    std::printf("# %s; %s\n", status_line.c_str(),
                nothing ? "nothing to submit"
                        : tasks.empty() ? "every shard complete: only the merge would be submitted"
                                        : fmt::format("shards to run: {} of {}", array_ranges(tasks), sf.shards).c_str());
    if (!tasks.empty()) std::printf("\n# %s\n%s", array_file.string().c_str(), array_script(job, opts, tasks).c_str());
    std::printf("\n# %s\n%s", merge_file.string().c_str(), merge_script(job, opts).c_str());
    std::printf("\n# --dry-run: nothing written or submitted; without it ecoinfer writes the scripts above and runs\n");
    if (!tasks.empty())
      std::printf("sbatch --parsable %s\nsbatch --parsable --dependency=afterany:ARRAY_JOB_ID %s\n", shell_quote(array_file.string()).c_str(),
                  shell_quote(merge_file.string()).c_str());
    else if (!nothing)
      std::printf("sbatch --parsable %s\n", shell_quote(merge_file.string()).c_str());
    return;
  }
  if (nothing) {
    std::printf("%s: every shard complete and merged into %s; nothing to submit\n", status_line.c_str(), merged_file.string().c_str());
    return;
  }
  // A re-submission while tasks of an earlier one still run would run a shard twice at once.
  const QueueView q = queued_jobs(submitted_ids(read_submissions(out)));
  if (!q.known) std::fprintf(stderr, "warning: cannot check for this study's jobs in the queue (%s)\n", q.reason.c_str());
  if (!q.jobs.empty()) {
    std::string list;
    for (const QueuedJob& j : q.jobs) list += fmt::format("\n  {} {}{}", j.id, j.state, j.node.empty() ? "" : " on " + j.node);
    fail("{}: jobs of an earlier submission are still queued or running:{}\nwait for them (ecoinfer study status {}) or cancel them "
         "(scancel), then submit again",
         out.string(), list, out.string());
  }
  std::error_code ec;
  fs::create_directories(dir / "logs", ec);
  ECO_CHECK(fs::is_directory(dir / "logs"), "{}: cannot create the folder{}", (dir / "logs").string(), ec ? ": " + ec.message() : "");
  write_script(merge_file, merge_script(job, opts));
  Submission sub;
  sub.at = utc_now();
  sub.spec_hash = hash;
  sub.shards = sf.shards;
  sub.exclusive = sf.exclusive;
  if (!tasks.empty()) {
    write_script(array_file, array_script(job, opts, tasks));
    sub.tasks = array_ranges(tasks);
    sub.array_job_id = sbatch({array_file.string()});
    try {
      sub.merge_job_id = sbatch({"--dependency=afterany:" + sub.array_job_id, merge_file.string()});
    } catch (const Error& e) {
      append_submission(out, sub);
      fail("{}\nthe array job {} is submitted; merge by hand once it ends: ecoinfer study merge {}", e.what(), sub.array_job_id,
           out.string());
    }
  } else {
    sub.merge_job_id = sbatch({merge_file.string()});
  }
  append_submission(out, sub);
  std::printf("%s\n", status_line.c_str());
  if (!tasks.empty())
    std::printf("submitted array job %s: shard%s %s of %d, one task per shard (%s)\n", sub.array_job_id.c_str(),
                tasks.size() == 1 ? "" : "s", sub.tasks.c_str(), sf.shards, array_file.string().c_str());
  std::printf("submitted merge job %s%s (%s)\n", sub.merge_job_id.c_str(),
              tasks.empty() ? "" : fmt::format(", after every task of {} ends", sub.array_job_id).c_str(), merge_file.string().c_str());
  std::printf("status   ecoinfer study status %s\n", shell_quote(out.string()).c_str());
  std::printf("cancel   scancel %s%s\n", sub.array_job_id.empty() ? "" : (sub.array_job_id + " ").c_str(), sub.merge_job_id.c_str());
  std::printf("job ids  %s %s\n", sub.array_job_id.empty() ? "-" : sub.array_job_id.c_str(), sub.merge_job_id.c_str());
}

// ---- status -----------------------------------------------------------------------------

struct SacctView {
  bool available = false;
  std::string reason;
  std::vector<AccountedJob> failed;
};

SacctView accounting(const std::vector<std::string>& ids) {
  SacctView v;
  if (ids.empty()) {
    v.reason = "no Slurm submission recorded in this folder";
    return v;
  }
  std::string list;
  for (const std::string& id : ids) list += (list.empty() ? "" : ",") + id;
  const ProgramOutput o =
      run_program({"sacct", "--noheader", "--parsable2", "--format=JobID,State,ExitCode,NodeList,Elapsed", "--jobs=" + list});
  if (!o.started) {
    v.reason = "sacct: " + o.start_error;
    return v;
  }
  if (o.exit_code != 0) {
    std::string why = o.err.empty() ? o.out : o.err;
    why = why.substr(0, why.find('\n'));
    v.reason = "sacct: " + (why.empty() ? fmt::format("exit status {}", o.exit_code) : why);
    return v;
  }
  v.available = true;
  for (const AccountedJob& j : parse_sacct(o.out))
    if (is_failure_state(j.state)) v.failed.push_back(j);
  return v;
}

// The plan of the study in OUT: from any of its stores (each holds the whole plan).
std::vector<PlannedRun> plan_in(const fs::path& out, int n, std::string& name, std::string& hash) {
  std::vector<fs::path> stores;
  for (int k = 1; k <= n; ++k) stores.push_back(shard_folder(out, k, n) / "results.sqlite");
  stores.push_back(out / "results.sqlite");
  for (const fs::path& f : stores) {
    std::error_code ec;
    if (!fs::is_regular_file(f, ec)) continue;
    auto s = Store::open_read_only(f);
    auto e = s->experiment();
    if (!e) continue;
    name = e->name;
    hash = e->spec_hash;
    return s->plan();
  }
  return {};
}

void run_status(const std::string& out_arg, bool json) {
  const fs::path out = fs::absolute(out_arg).lexically_normal();
  std::error_code ec;
  ECO_CHECK(fs::is_directory(out, ec), "{}: no such folder (give the study's output folder)", out.string());
  const std::vector<Submission> subs = read_submissions(out);
  int n = subs.empty() ? 0 : subs.back().shards;
  if (n == 0) {
    const std::set<int> counts = shard_counts_in(out);
    ECO_CHECK(counts.size() <= 1, "{}: holds shard stores of several shard counts ({} and {})", out.string(), *counts.begin(),
              *counts.rbegin());
    n = counts.empty() ? 1 : *counts.begin();
  }
  std::string name, hash;
  const std::vector<PlannedRun> plan = plan_in(out, n, name, hash);
  ECO_CHECK(!plan.empty() || !subs.empty(), "{}: no study store and no Slurm submission here", out.string());
  const std::vector<ShardProgress> progress = n > 1 ? shard_progress(out, n, plan) : std::vector<ShardProgress>{};
  const std::vector<TaskRecord> records = read_task_records(out);
  const std::vector<std::string> ids = submitted_ids(subs);
  const QueueView queue = queued_jobs(ids);
  std::vector<std::string> array_ids;
  for (const Submission& s : subs) array_ids.push_back(s.array_job_id);
  const SacctView acct = accounting(ids);
  int merged_done = -1;
  std::vector<std::string> merged_missing;
  if (fs::is_regular_file(out / "results.sqlite", ec)) {
    const std::set<std::string> done = Store::open_read_only(out / "results.sqlite")->done_run_ids();
    merged_done = static_cast<int>(done.size());
    for (const PlannedRun& r : plan)
      if (!done.count(r.run_id)) merged_missing.push_back(r.run_id);
  }
  const TaskRecord* merge_record = nullptr;
  for (const TaskRecord& r : records)
    if (r.kind == "merge") merge_record = &r;
  std::vector<std::string> rerun;
  nlohmann::json jshards = nlohmann::json::array();
  std::vector<ShardState> states;
  for (const ShardProgress& p : progress) {
    states.push_back(shard_state(p, records, queue.jobs, array_ids));
    const std::string& st = states.back().state;
    if (st != "complete" && st != "running" && st != "pending" && st != "completing") rerun.push_back(std::to_string(p.k));
    jshards.push_back({{"shard", fmt::format("{}-of-{}", p.k, p.n)}, {"planned", p.planned}, {"done", p.done},
                       {"store", p.store_exists}, {"state", st}, {"detail", states.back().detail}});
  }
  if (json) {
    nlohmann::json jf = nlohmann::json::array();
    for (const AccountedJob& j : acct.failed)
      jf.push_back({{"id", j.id}, {"state", j.state}, {"exit_code", j.exit_code}, {"node", j.node}, {"elapsed", j.elapsed}});
    nlohmann::json jq = nlohmann::json::array();
    for (const QueuedJob& j : queue.jobs) jq.push_back({{"id", j.id}, {"state", j.state}, {"node", j.node}});
    print_json({{"out", out.string()},
                {"study", name},
                {"spec_hash", hash},
                {"shards", n},
                {"planned", plan.size()},
                {"shard_status", jshards},
                {"merged", {{"store", merged_done >= 0}, {"done", std::max(merged_done, 0)}, {"missing", merged_missing.size()}}},
                {"submissions", subs.size()},
                {"queue", {{"known", queue.known}, {"reason", queue.reason}, {"jobs", jq}}},
                {"sacct", {{"available", acct.available}, {"reason", acct.reason}, {"failed", jf}}}});
    return;
  }
  std::printf("study '%s' in %s (spec hash %s): %zu runs, %d shard%s", name.empty() ? "?" : name.c_str(), out.string().c_str(),
              hash.empty() ? "?" : hash.c_str(), plan.size(), n, n == 1 ? "" : "s");
  if (!subs.empty())
    std::printf("; %zu Slurm submission%s, the last %s (array job %s, merge job %s)", subs.size(), subs.size() == 1 ? "" : "s",
                subs.back().at.c_str(), subs.back().array_job_id.empty() ? "-" : subs.back().array_job_id.c_str(),
                subs.back().merge_job_id.c_str());
  std::printf("\n\n%-10s %8s %6s  %s\n", "shard", "planned", "done", "state");
  for (size_t i = 0; i < progress.size(); ++i) {
    const ShardProgress& p = progress[i];
    std::printf("%-10s %8d %6d  %s%s\n", fmt::format("{}-of-{}", p.k, p.n).c_str(), p.planned, p.done, states[i].state.c_str(),
                states[i].detail.empty() ? "" : (": " + states[i].detail).c_str());
  }
  std::string merge_note;
  if (merge_record)
    merge_note = merge_record->event == "start"
                     ? fmt::format("; merge job {} started {} on {}", merge_record->job, merge_record->time, merge_record->node)
                     : fmt::format("; last merge (job {}) ended {} with exit status {}", merge_record->job, merge_record->time,
                                   *merge_record->exit_code);
  if (merged_done >= 0)
    std::printf("%-10s %8zu %6d  %s%s\n", "merged", plan.size(), merged_done,
                merged_missing.empty() ? "complete" : fmt::format("{} missing", merged_missing.size()).c_str(), merge_note.c_str());
  else
    std::printf("%-10s %8zu %6s  not merged yet%s\n", "merged", plan.size(), "-", merge_note.c_str());
  if (!queue.known) std::printf("\nqueue: unknown (%s)\n", queue.reason.c_str());
  if (acct.available) {
    if (acct.failed.empty()) {
      std::printf("\nSlurm accounting (sacct): no failed task\n");
    } else {
      std::printf("\nfailed Slurm tasks (sacct):\n");
      for (const AccountedJob& j : acct.failed)
        std::printf("  %s %s, exit code %s, on %s after %s\n", j.id.c_str(), j.state.c_str(), j.exit_code.c_str(),
                    j.node.empty() ? "no node" : j.node.c_str(), j.elapsed.c_str());
    }
  } else if (!subs.empty()) {
    std::printf("\nSlurm accounting (sacct) not available: %s. The states above come from squeue and from the tasks' own records "
                "(%s); a task that never started is not seen there.\n",
                acct.reason.c_str(), (slurm_folder(out) / "tasks.log").string().c_str());
  }
  const bool active = !queue.jobs.empty();
  if (!rerun.empty() && !active)
    std::printf("\nnext: `ecoinfer study slurm` with the same arguments submits shard%s %s again; each resumes where it stopped\n",
                rerun.size() == 1 ? "" : "s", [&] {
                  std::string s;
                  for (auto& r : rerun) s += (s.empty() ? "" : ",") + r;
                  return s;
                }().c_str());
}

}  // namespace

void add_study_slurm_commands(CLI::App* study) {
  {
    auto qf = std::make_shared<QuickFlags>();
    auto sf = std::make_shared<SlurmFlags>();
    CLI::App* cmd = study->add_subcommand(
        "slurm", "run the study as a Slurm job array (one task per shard) and a merge job after it; again: only what is not done");
    add_quick_flags(cmd, *qf);
    cmd->add_option("--shards", sf->shards, "array tasks, one shard of the run table each [4]")->check(CLI::Range(1, 100000));
    cmd->add_option("--partition", sf->partition, "Slurm partition [the cluster's default]");
    cmd->add_option("--time", sf->time, "time limit of each task, as sbatch takes it (HH:MM:SS, D-HH:MM) [the partition's]");
    cmd->add_option("--merge-time", sf->merge_time, "time limit of the merge job [00:30:00]");
    cmd->add_option("--gres", sf->gres, "generic resources of each task, e.g. gpu:1 [none]");
    cmd->add_flag("--exclusive,!--no-exclusive", sf->exclusive,
                  "whole nodes for the tasks (default): another job's load would enter the energy figures");
    cmd->add_option("--sbatch-option", sf->sbatch_options, "one more #SBATCH option for both jobs, e.g. --account=abc (repeatable)");
    cmd->add_option("--ecoinfer", sf->ecoinfer, "the ecoinfer binary the tasks run [this one]");
    cmd->add_flag("--dry-run", sf->dry_run, "print the scripts and the sbatch commands; write and submit nothing");
    cmd->callback([qf, sf] { run_slurm(*qf, *sf); });
  }
  {
    auto out = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    CLI::App* cmd = study->add_subcommand("status", "done / planned runs per shard, and the Slurm tasks that failed");
    cmd->add_option("out", *out, "the study's output folder")->required();
    cmd->add_flag("--json", *json, "print it as JSON");
    cmd->callback([out, json] { run_status(*out, *json); });
  }
}

}  // namespace ecoinfer::cli
