#include "cli/commands.h"

namespace ecoinfer::cli {
void add_infer_command(CLI::App& app) { app.add_subcommand("infer", "todo"); }
}  // namespace ecoinfer::cli
