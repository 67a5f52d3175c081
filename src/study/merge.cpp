#include "study/merge.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.h"
#include "study/exports.h"
#include "study/store.h"

namespace ecoinfer::study {

namespace fs = std::filesystem;

namespace {

std::string sql_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

// The columns of `runs` in the destination, so that copying names them instead of relying on
// both files having been created with one column order.
std::string runs_columns(Database& db) {
  std::string cols;
  auto st = db.prepare("SELECT name FROM pragma_table_info('runs') ORDER BY cid");
  while (st.step()) cols += (cols.empty() ? "" : ", ") + std::string("\"") + st.text(0) + "\"";
  return cols;
}

// What identifies one measurement of a run: when it started and where.
struct Measurement {
  std::string started_at, node, store;
};

}  // namespace

MergeOutcome merge_stores(const fs::path& out, std::vector<fs::path> inputs) {
  std::error_code ec;
  if (inputs.empty()) {
    const fs::path shards = out / "shards";
    for (auto it = fs::directory_iterator(shards, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
      if (fs::is_regular_file(it->path() / "results.sqlite")) inputs.push_back(it->path() / "results.sqlite");
    std::sort(inputs.begin(), inputs.end());
    ECO_CHECK(!inputs.empty(), "{}: no shard stores found under {} (run `ecoinfer study run ... --shard K/N` first)", out.string(),
              shards.string());
  }
  MergeOutcome o;
  o.store_file = out / "results.sqlite";
  for (auto& in : inputs)
    ECO_CHECK(fs::weakly_canonical(in) != fs::weakly_canonical(o.store_file), "{}: cannot merge a store into itself", in.string());

  // Every input must hold the same study. A store without an experiment row belongs to a task
  // that stopped before its first write: it holds nothing, and is skipped with a note.
  std::optional<ExperimentRow> first;
  fs::path first_file;
  std::vector<PlannedRun> plan;
  std::vector<fs::path> usable;
  for (auto& in : inputs) {
    auto s = Store::open_read_only(in);
    auto e = s->experiment();
    if (!e) {
      o.skipped.push_back(in.string() + ": holds no study yet (its run stopped before starting)");
      continue;
    }
    usable.push_back(in);
    if (!first) {
      first = e;
      first_file = in;
      plan = s->plan();
      continue;
    }
    ECO_CHECK(e->spec_hash == first->spec_hash,
              "{}: a different study (spec hash {}) than {} (spec hash {}); refusing to merge stores of different specs", in.string(),
              e->spec_hash, first_file.string(), first->spec_hash);
  }
  ECO_CHECK(first, "{}: none of the {} stores holds a study yet; nothing to merge", out.string(), inputs.size());
  fs::create_directories(out, ec);
  auto dst = Store::open(o.store_file, true);
  ExperimentRow merged = *first;
  merged.shard_k = 1;
  merged.shard_n = 1;
  if (auto existing = dst->experiment()) {
    ECO_CHECK(existing->spec_hash == first->spec_hash,
              "{}: holds another study (spec hash {}); the shards have {}; refusing to merge stores of different specs",
              o.store_file.string(), existing->spec_hash, first->spec_hash);
    ECO_CHECK(existing->shard_n == 1, "{}: is itself a shard's store; merge into the study's output folder", o.store_file.string());
  } else {
    // One plan, every run in shard 1, so that `study run` on the merged folder finishes
    // whatever the shards left undone.
    for (auto& p : plan) p.shard = 1;
    dst->write_study(merged, plan);
  }
  o.planned = static_cast<int>(plan.size());
  Database& db = dst->db();
  const std::string cols = runs_columns(db);
  std::map<std::string, Measurement> have;  // run_id -> the measurement in the merged store
  {
    auto st = db.prepare("SELECT run_id, started_at, node FROM runs");
    while (st.step()) have[st.text(0)] = {st.text(1), st.text(2), o.store_file.string() + " (an earlier merge)"};
  }
  for (auto& in : usable) {
    db.exec("ATTACH DATABASE " + sql_quote(fs::absolute(in).string()) + " AS src");
    try {
      std::vector<std::string> fresh;
      {
        auto st = db.prepare("SELECT run_id, started_at, node FROM src.runs ORDER BY run_index");
        while (st.step()) {
          const Measurement m{st.text(1), st.text(2), in.string()};
          auto it = have.find(st.text(0));
          if (it == have.end()) {
            fresh.push_back(st.text(0));
            have.emplace(st.text(0), m);
          } else if (it->second.started_at != m.started_at || it->second.node != m.node) {
            o.duplicates.push_back(fmt::format("{}: measured again in {} (started {} on {}); kept the run from {} (started {} on {})",
                                               st.text(0), in.string(), m.started_at, m.node, it->second.store,
                                               it->second.started_at, it->second.node));
          }
        }
      }
      Database::Transaction tx(db);
      db.exec("CREATE TEMP TABLE new_ids(run_id TEXT PRIMARY KEY)");
      {
        auto ins = db.prepare("INSERT INTO temp.new_ids(run_id) VALUES (?)");
        for (const std::string& id : fresh) ins.bind_all(id).run();
      }
      db.exec("INSERT INTO main.runs(" + cols + ") SELECT " + cols + " FROM src.runs WHERE run_id IN (SELECT run_id FROM temp.new_ids);" +
              "INSERT INTO main.samples SELECT * FROM src.samples WHERE run_id IN (SELECT run_id FROM temp.new_ids);"
              "INSERT OR IGNORE INTO main.variants SELECT * FROM src.variants;"
              "INSERT OR IGNORE INTO main.models SELECT * FROM src.models;"
              "INSERT INTO main.idle(taken_at, before_run_index, seconds, energy_j, energy_source, avg_power_w, cpu_utilization, "
              "domains_json, node) SELECT taken_at, before_run_index, seconds, energy_j, energy_source, avg_power_w, cpu_utilization, "
              "domains_json, node FROM src.idle WHERE NOT EXISTS (SELECT 1 FROM main.idle m WHERE m.taken_at = src.idle.taken_at AND "
              "m.node IS src.idle.node AND m.before_run_index = src.idle.before_run_index);"
              "DROP TABLE temp.new_ids;");
      tx.commit();
      o.added_now += static_cast<int>(fresh.size());
    } catch (...) {
      db.exec("DROP TABLE IF EXISTS temp.new_ids");
      db.exec("DETACH DATABASE src");
      throw;
    }
    db.exec("DETACH DATABASE src");
  }
  const std::set<std::string> seen = dst->done_run_ids();
  o.merged_runs = static_cast<int>(seen.size());
  for (auto& p : plan)
    if (!seen.count(p.run_id)) o.missing.push_back(p.run_id);
  write_exports(*dst, out);
  return o;
}

}  // namespace ecoinfer::study
