#pragma once
// The run table: every (model, tactic chain, batch, threads, repetition) of a spec, less the
// excluded ones, in a seeded random order so that drift (temperature, background load, the
// machine's speed phases) spreads over all treatments. The order depends only on the seed
// and the table, through fully specified arithmetic (mt19937_64 and rejection sampling),
// so the same seed gives the same order on every platform.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "study/spec.h"

namespace ecoinfer::study {

struct PlannedRun {
  std::string run_id;  // model|tactic|b{batch}|t{threads}|r{repetition}
  int run_index = 0;   // position in the random order
  int shard = 1;       // 1..N
  std::string model, tactic;
  int batch = 0, threads = 0, repetition = 0;  // repetition counts from 1
};

std::string make_run_id(const std::string& model, const std::string& tactic, int batch, int threads, int repetition);

// The table in run order. Shards are interleaved: run i belongs to shard i % N + 1, so each
// shard sees every treatment spread over its whole length.
std::vector<PlannedRun> make_run_table(const StudySpec& spec, int shard_count = 1);

// "K/N" -> {K, N}; errors name the flag.
std::pair<int, int> parse_shard(const std::string& text);

// A uniformly random integer in [0, n) from a 64-bit Mersenne Twister (n >= 1).
uint64_t uniform_below(uint64_t n, std::mt19937_64& rng);

}  // namespace ecoinfer::study
