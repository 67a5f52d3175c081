#include "study/merge.h"

#include <algorithm>
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

  // Every input must hold the same study.
  std::optional<ExperimentRow> first;
  std::vector<PlannedRun> plan;
  for (auto& in : inputs) {
    auto s = Store::open_read_only(in);
    auto e = s->experiment();
    ECO_CHECK(e, "{}: the store holds no experiment", in.string());
    if (!first) {
      first = e;
      plan = s->plan();
      continue;
    }
    ECO_CHECK(e->spec_hash == first->spec_hash, "{}: a different study (spec hash {}) than {} (spec hash {}); refusing to merge",
              in.string(), e->spec_hash, inputs.front().string(), first->spec_hash);
  }
  fs::create_directories(out, ec);
  auto dst = Store::open(o.store_file, true);
  ExperimentRow merged = *first;
  merged.shard_k = 1;
  merged.shard_n = 1;
  if (auto existing = dst->experiment()) {
    ECO_CHECK(existing->spec_hash == first->spec_hash, "{}: holds another study (spec hash {}); the shards have {}",
              o.store_file.string(), existing->spec_hash, first->spec_hash);
    ECO_CHECK(existing->shard_n == 1, "{}: is itself a shard's store; merge into the study's output folder", o.store_file.string());
  } else {
    dst->write_experiment(merged);
    // One plan, every run in shard 1, so that `study run` on the merged folder finishes
    // whatever the shards left undone.
    for (auto& p : plan) p.shard = 1;
    dst->write_plan(plan);
  }
  o.planned = static_cast<int>(plan.size());
  Database& db = dst->db();
  const std::set<std::string> before = dst->done_run_ids();  // from an earlier merge
  std::set<std::string> added;                                 // by this merge
  for (auto& in : inputs) {
    db.exec("ATTACH DATABASE " + sql_quote(fs::absolute(in).string()) + " AS src");
    try {
      Database::Transaction tx(db);
      {
        auto st = db.prepare("SELECT run_id FROM src.runs");
        while (st.step()) {
          const std::string id = st.text(0);
          if (added.count(id)) o.duplicates.push_back(id + " (again in " + in.string() + ")");
        }
      }
      db.exec(
          "CREATE TEMP TABLE new_ids AS SELECT run_id FROM src.runs WHERE run_id NOT IN (SELECT run_id FROM main.runs);"
          "INSERT INTO main.runs SELECT * FROM src.runs WHERE run_id IN (SELECT run_id FROM new_ids);"
          "INSERT INTO main.samples SELECT * FROM src.samples WHERE run_id IN (SELECT run_id FROM new_ids);"
          "INSERT OR IGNORE INTO main.variants SELECT * FROM src.variants;"
          "INSERT OR IGNORE INTO main.models SELECT * FROM src.models;"
          "INSERT INTO main.idle(taken_at, before_run_index, seconds, energy_j, energy_source, avg_power_w, cpu_utilization, "
          "domains_json, node) SELECT taken_at, before_run_index, seconds, energy_j, energy_source, avg_power_w, cpu_utilization, "
          "domains_json, node FROM src.idle WHERE NOT EXISTS (SELECT 1 FROM main.idle m WHERE m.taken_at = src.idle.taken_at AND "
          "m.node IS src.idle.node AND m.before_run_index = src.idle.before_run_index);"
          "DROP TABLE new_ids;");
      tx.commit();
    } catch (...) {
      db.exec("DETACH DATABASE src");
      throw;
    }
    db.exec("DETACH DATABASE src");
    for (auto& id : dst->done_run_ids())
      if (!before.count(id)) added.insert(id);
  }
  const std::set<std::string> seen = dst->done_run_ids();
  o.merged_runs = static_cast<int>(seen.size());
  o.added_now = static_cast<int>(added.size());
  for (auto& p : plan)
    if (!seen.count(p.run_id)) o.missing.push_back(p.run_id);
  write_exports(*dst, out);
  return o;
}

}  // namespace ecoinfer::study
