#include "cli/commands.h"

namespace ecoinfer::cli {
void add_eval_command(CLI::App& app) { app.add_subcommand("eval", "todo"); }
}  // namespace ecoinfer::cli
