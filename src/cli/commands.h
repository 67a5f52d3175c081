#pragma once
// Each `ecoinfer <command>` lives in its own cmd_<name>.cpp and adds itself to the app here.
#include <CLI/CLI.hpp>

namespace ecoinfer::cli {

void add_inspect_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_infer_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_meter_command(CLI::App& app);
void add_preprocess_command(CLI::App& app);
void add_optimize_command(CLI::App& app);
void add_stats_command(CLI::App& app);
void add_study_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_pull_command(CLI::App& app);
void add_cache_command(CLI::App& app);

}  // namespace ecoinfer::cli
