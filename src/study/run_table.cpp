#include "study/run_table.h"

#include <charconv>

#include "core/error.h"

namespace ecoinfer::study {

std::string make_run_id(const std::string& model, const std::string& tactic, int batch, int threads, int repetition) {
  return fmt::format("{}|{}|b{}|t{}|r{}", model, tactic, batch, threads, repetition);
}

uint64_t uniform_below(uint64_t n, std::mt19937_64& rng) {
  // Rejection sampling: accept only draws below the largest multiple of n, so every residue
  // is equally likely (std::uniform_int_distribution's algorithm differs between libraries).
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = rng();
  while (x >= limit);
  return x % n;
}

namespace {
bool excluded(const StudySpec& s, const std::string& model, const std::string& tactic, int batch, int threads) {
  for (const ExcludeRule& e : s.exclude) {
    if (e.model && *e.model != model) continue;
    if (e.tactic && *e.tactic != tactic) continue;
    if (e.batch && *e.batch != batch) continue;
    if (e.threads && *e.threads != threads) continue;
    return true;
  }
  return false;
}
}  // namespace

std::vector<PlannedRun> make_run_table(const StudySpec& s, int shard_count) {
  ECO_CHECK(shard_count >= 1, "internal: shard count {}", shard_count);
  std::vector<PlannedRun> runs;
  for (const ModelEntry& m : s.models)
    for (const std::string& t : s.tactics)
      for (int b : s.batch)
        for (int th : s.threads) {
          if (excluded(s, m.name, t, b, th)) continue;
          for (int r = 1; r <= s.repetitions; ++r) {
            PlannedRun p;
            p.model = m.name;
            p.tactic = t;
            p.batch = b;
            p.threads = th;
            p.repetition = r;
            p.run_id = make_run_id(m.name, t, b, th, r);
            runs.push_back(std::move(p));
          }
        }
  // Fisher-Yates from the back.
  std::mt19937_64 rng(s.seed);
  for (size_t i = runs.size(); i > 1; --i) std::swap(runs[i - 1], runs[uniform_below(i, rng)]);
  for (size_t i = 0; i < runs.size(); ++i) {
    runs[i].run_index = static_cast<int>(i);
    runs[i].shard = static_cast<int>(i % shard_count) + 1;
  }
  return runs;
}

std::pair<int, int> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  int k = 0, n = 0;
  auto num = [](const std::string& s, int& v) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
  };
  ECO_CHECK(slash != std::string::npos && num(text.substr(0, slash), k) && num(text.substr(slash + 1), n),
            "--shard '{}': expected K/N, e.g. --shard 2/4", text);
  ECO_CHECK(n >= 1 && n <= 100000 && k >= 1 && k <= n, "--shard {}: K must be between 1 and N (N from 1 to 100000)", text);
  return {k, n};
}

}  // namespace ecoinfer::study
