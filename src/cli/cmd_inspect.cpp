#include "cli/commands.h"

namespace ecoinfer::cli {
void add_inspect_command(CLI::App& app) { app.add_subcommand("inspect", "todo"); }
}  // namespace ecoinfer::cli
