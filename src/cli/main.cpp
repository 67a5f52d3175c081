#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "core/error.h"

int main(int argc, char** argv) {
  CLI::App app{"ecoinfer: which optimization tactic makes an image classifier greener and cheaper"};
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();  // --help shows every default
  app.set_version_flag("--version", "ecoinfer 0.1.0");
  ecoinfer::cli::add_inspect_command(app);
  ecoinfer::cli::add_eval_command(app);
  ecoinfer::cli::add_infer_command(app);
  ecoinfer::cli::add_bench_command(app);
  ecoinfer::cli::add_meter_command(app);
  ecoinfer::cli::add_preprocess_command(app);
  ecoinfer::cli::add_optimize_command(app);
  ecoinfer::cli::add_stats_command(app);
  ecoinfer::cli::add_study_command(app);
  ecoinfer::cli::add_report_command(app);
  ecoinfer::cli::add_pull_command(app);
  ecoinfer::cli::add_cache_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ecoinfer::cli::handle_parse_error(app, e, argc, argv);
  } catch (const ecoinfer::Error& e) {
    std::fprintf(stderr, "ecoinfer: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ecoinfer: internal error: %s\n", e.what());
    return 2;
  }
  return 0;
}
