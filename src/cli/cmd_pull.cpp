// ecoinfer pull ORG/NAME[@REVISION] [--onnx-file FILE] [--json]
// Fetches what a command would load from the Hub (the ONNX file, its external data,
// config.json, preprocessor_config.json) into the Hub cache, and runs nothing.
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "hub/transfer_progress.h"
#include "model/model_source.h"

namespace ecoinfer::cli {

void add_pull_command(CLI::App& app) {
  struct Args {
    std::string id, onnx_file;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("pull", "download a model from the Hugging Face Hub into the Hub cache (runs nothing)");
  cmd->add_option("ID", args->id, "Hub model id: org/name or org/name@revision (branch, tag or commit)")->required();
  cmd->add_option("--onnx-file", args->onnx_file, "the repository's ONNX file to fetch when it is not model.onnx");
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->callback([args] {
    const hub::RepoRef ref = hub::parse_repo_ref(args->id);
    hub::HubClient client(hub::config_from_environment());
    const HubModel m = fetch_hub_model(client, ref, args->onnx_file);
    nlohmann::json files = nlohmann::json::array();
    for (const auto& f : m.files)
      files.push_back({{"path", f.path}, {"bytes", f.bytes}, {"downloaded", f.downloaded}, {"local", f.local.string()}});
    if (args->json) {
      print_json({{"id", ref.id}, {"revision", ref.revision}, {"commit", m.snapshot.commit}, {"onnx_file", m.onnx_file},
                  {"snapshot", m.snapshot.dir.string()}, {"cache", client.config().cache_dir.string()}, {"files", files}});
      return;
    }
    std::printf("%s -> commit %s%s\n", ref.str().c_str(), m.snapshot.commit.c_str(),
                m.snapshot.cache_only_reason.empty() ? "" : " (from the cache)");
    for (const auto& f : m.files)
      std::printf("  %-40s %10s  %s\n", f.path.c_str(), hub::human_bytes(f.bytes).c_str(), f.downloaded ? "downloaded" : "cached");
    std::printf("snapshot: %s\n", m.snapshot.dir.string().c_str());
  });
}

}  // namespace ecoinfer::cli
