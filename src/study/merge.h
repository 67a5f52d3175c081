#pragma once
// Merging the stores of a sharded study (`--shard K/N`, one store each) into one
// `results.sqlite`: the same spec is required, every completed run is taken once, and
// duplicates and runs still missing are reported. Merging again after more shards finished
// adds what is new.
#include <filesystem>
#include <string>
#include <vector>

namespace ecoinfer::study {

struct MergeOutcome {
  std::filesystem::path store_file;
  int planned = 0, merged_runs = 0, added_now = 0;
  // Runs measured more than once (the same run id with another start time or node in a second
  // store): "run_id: ...", the copy merged first is kept. The same measurement seen again (a
  // merge repeated after more shards finished) is not a duplicate.
  std::vector<std::string> duplicates;
  std::vector<std::string> missing;  // planned runs no store has completed
  std::vector<std::string> skipped;  // "store: why", stores that hold no study yet
};

// `inputs` empty: every out/shards/*/results.sqlite.
MergeOutcome merge_stores(const std::filesystem::path& out, std::vector<std::filesystem::path> inputs);

}  // namespace ecoinfer::study
