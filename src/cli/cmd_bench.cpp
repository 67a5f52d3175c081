#include "cli/commands.h"

namespace ecoinfer::cli {
void add_bench_command(CLI::App& app) { app.add_subcommand("bench", "todo"); }
}  // namespace ecoinfer::cli
