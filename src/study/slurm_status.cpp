#include "study/slurm_status.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "study/runner.h"
#include "study/slurm_job.h"
#include "study/store.h"

namespace ecoinfer::study::slurm {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> v;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) v.push_back(cur);
  if (!s.empty() && s.back() == sep) v.emplace_back();
  return v;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool parse_int(const std::string& s, int& v) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); })) return false;
  v = std::stoi(s);
  return true;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::vector<TaskRecord> parse_task_records(const std::string& text) {
  std::vector<TaskRecord> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::map<std::string, std::string> kv;
    std::istringstream words(line);
    std::string w;
    while (words >> w) {
      const size_t eq = w.find('=');
      if (eq != std::string::npos) kv[w.substr(0, eq)] = w.substr(eq + 1);
    }
    TaskRecord r;
    r.time = kv["time"];
    r.event = kv["event"];
    r.kind = kv["kind"];
    r.task = kv["task"];
    r.job = kv["job"];
    r.node = kv["node"];
    r.signal = kv["signal"];
    if (r.time.empty() || (r.event != "start" && r.event != "end") || (r.kind != "shard" && r.kind != "merge") || !kv.count("node"))
      continue;
    if (r.kind == "shard") {
      const std::vector<std::string> kn = split(kv["shard"], '/');
      if (kn.size() != 2 || !parse_int(kn[0], r.shard_k) || !parse_int(kn[1], r.shard_n)) continue;
    }
    if (r.event == "end") {
      int code = 0;
      if (!parse_int(kv["exit"], code)) continue;
      r.exit_code = code;
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<TaskRecord> read_task_records(const fs::path& out) { return parse_task_records(read_text(slurm_folder(out) / "tasks.log")); }

void append_submission(const fs::path& out, const Submission& s) {
  const fs::path file = slurm_folder(out) / "submissions.jsonl";
  std::ofstream f(file, std::ios::app);
  ECO_CHECK(f.good(), "{}: cannot write", file.string());
  f << nlohmann::json{{"at", s.at},
                      {"spec_hash", s.spec_hash},
                      {"array_job_id", s.array_job_id},
                      {"merge_job_id", s.merge_job_id},
                      {"tasks", s.tasks},
                      {"shards", s.shards},
                      {"exclusive", s.exclusive}}
           .dump()
    << "\n";
  ECO_CHECK(f.good(), "{}: write failed", file.string());
}

std::vector<Submission> read_submissions(const fs::path& out) {
  const fs::path file = slurm_folder(out) / "submissions.jsonl";
  std::vector<Submission> v;
  std::istringstream in(read_text(file));
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    ECO_CHECK(j.is_object(), "{}:{}: not a JSON object", file.string(), n);
    try {
      Submission s;
      s.at = j.at("at").get<std::string>();
      s.spec_hash = j.at("spec_hash").get<std::string>();
      s.array_job_id = j.at("array_job_id").get<std::string>();
      s.merge_job_id = j.at("merge_job_id").get<std::string>();
      s.tasks = j.at("tasks").get<std::string>();
      s.shards = j.at("shards").get<int>();
      s.exclusive = j.at("exclusive").get<bool>();
      v.push_back(std::move(s));
    } catch (const nlohmann::json::exception& e) {
      fail("{}:{}: not a submission record ({})", file.string(), n, e.what());
    }
  }
  return v;
}

std::vector<AccountedJob> parse_sacct(const std::string& text) {
  std::vector<AccountedJob> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = split(line, '|');
    if (f.size() < 5 || f[0].empty() || f[0].find('.') != std::string::npos) continue;
    // "CANCELLED by 1000" -> "CANCELLED"
    out.push_back({f[0], f[1].substr(0, f[1].find(' ')), f[2], f[3], f[4]});
  }
  return out;
}

bool is_failure_state(const std::string& state) {
  static const std::set<std::string> fine{"COMPLETED", "RUNNING", "PENDING", "COMPLETING", "CONFIGURING", "REQUEUED", "RESIZING",
                                          "SUSPENDED", "STAGE_OUT", "SIGNALING", "REQUEUE_HOLD", "REQUEUE_FED"};
  return !fine.count(state);
}

std::vector<QueuedJob> parse_squeue(const std::string& text) {
  std::vector<QueuedJob> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = split(line, '|');
    if (f.size() < 2 || f[0].empty()) continue;
    out.push_back({f[0], f[1], f.size() > 2 ? f[2] : ""});
  }
  return out;
}

std::vector<ShardProgress> shard_progress(const fs::path& out, int n, const std::vector<PlannedRun>& plan) {
  ECO_CHECK(n >= 1, "shard_progress: N must be >= 1");
  std::vector<ShardProgress> v(static_cast<size_t>(n));
  for (int k = 1; k <= n; ++k) {
    v[k - 1].k = k;
    v[k - 1].n = n;
  }
  std::map<std::string, int> shard_of;
  for (const PlannedRun& r : plan) {
    const int k = r.run_index % n + 1;
    shard_of[r.run_id] = k;
    ++v[k - 1].planned;
  }
  for (ShardProgress& p : v) {
    const fs::path file = shard_folder(out, p.k, n) / "results.sqlite";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) continue;
    p.store_exists = true;
    auto store = Store::open_read_only(file);
    if (auto e = store->experiment()) p.spec_hash = e->spec_hash;
    for (const std::string& id : store->done_run_ids()) {
      auto it = shard_of.find(id);
      if (it != shard_of.end() && it->second == p.k) ++p.done;
    }
  }
  return v;
}

std::set<int> shard_counts_in(const fs::path& out) {
  std::set<int> ns;
  std::error_code ec;
  for (auto it = fs::directory_iterator(out / "shards", ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const size_t of = name.find("-of-");
    int k = 0, n = 0;
    if (of != std::string::npos && parse_int(name.substr(0, of), k) && parse_int(name.substr(of + 4), n) && k >= 1 && k <= n)
      ns.insert(n);
  }
  return ns;
}

ShardState shard_state(const ShardProgress& p, const std::vector<TaskRecord>& records, const std::vector<QueuedJob>& queue,
                       const std::vector<std::string>& array_job_ids) {
  for (const QueuedJob& q : queue)
    for (const std::string& a : array_job_ids)
      if (!a.empty() && q.id == a + "_" + std::to_string(p.k))
        return {lower(q.state), fmt::format("task {}{}", q.id, q.node.empty() ? "" : " on " + q.node)};
  if (p.planned > 0 && p.done >= p.planned) return {"complete", ""};
  const TaskRecord* last = nullptr;
  for (const TaskRecord& r : records)
    if (r.kind == "shard" && r.shard_k == p.k && r.shard_n == p.n) last = &r;
  if (last && last->event == "end" && last->exit_code != 0)
    return {"failed", fmt::format("task {} on {} ended {} with exit status {}{}", last->task, last->node, last->time, *last->exit_code,
                                  last->signal == "TERM" ? " after SIGTERM (scancel, or the time limit)" : "")};
  if (last && last->event == "start")
    return {"stopped", fmt::format("task {} on {} started {} and left no end record (killed outright: SIGKILL after the time "
                                   "limit's grace period, a node failure)",
                                   last->task, last->node, last->time)};
  if (last) return {"incomplete", fmt::format("task {} on {} ended {} with exit status 0", last->task, last->node, last->time)};
  return {p.store_exists ? "incomplete" : "not started", ""};
}

}  // namespace ecoinfer::study::slurm
