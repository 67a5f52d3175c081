// ecoinfer cache list [--json] | ecoinfer cache rm ORG/NAME[@REVISION]
// The Hub cache that ecoinfer shares with huggingface_hub (HF_HUB_CACHE): what is in it,
// and removing a model or one revision of it.
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "hub/cache.h"
#include "hub/hub_config.h"
#include "hub/transfer_progress.h"

namespace ecoinfer::cli {

namespace {

std::vector<std::string> onnx_files(const hub::CachedRevision& r) {
  std::vector<std::string> out;
  for (const auto& f : r.files)
    if (f.path.size() > 5 && f.path.compare(f.path.size() - 5, 5, ".onnx") == 0) out.push_back(f.path);
  return out;
}

nlohmann::json repo_json(const hub::CachedRepo& repo) {
  nlohmann::json revs = nlohmann::json::array();
  for (const auto& r : repo.revisions) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& f : r.files) files.push_back({{"path", f.path}, {"blob", f.blob}, {"bytes", f.bytes}});
    revs.push_back({{"commit", r.commit}, {"refs", r.refs}, {"bytes", r.bytes}, {"onnx_files", onnx_files(r)}, {"files", files}});
  }
  return {{"id", repo.id},       {"path", repo.dir.string()},       {"bytes", repo.bytes},
          {"blobs", repo.blobs}, {"incomplete", repo.incomplete}, {"dangling_refs", repo.dangling_refs},
          {"revisions", revs}};
}

std::string joined(const std::vector<std::string>& v, const char* sep = ",") {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

void list_cache(bool json) {
  const hub::HubConfig cfg = hub::config_from_environment();
  const auto repos = hub::scan_cache(cfg.cache_dir);
  if (json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& r : repos) arr.push_back(repo_json(r));
    print_json({{"cache", cfg.cache_dir.string()}, {"repositories", arr}});
    return;
  }
  std::printf("cache: %s\n", cfg.cache_dir.string().c_str());
  if (repos.empty()) {
    std::printf("no models (fetch one with: ecoinfer pull org/name)\n");
    return;
  }
  std::printf("%-40s %-12s %-16s %10s  %s\n", "MODEL", "COMMIT", "REFS", "SIZE", "ONNX FILES");
  uint64_t total = 0;
  for (const auto& repo : repos) {
    total += repo.bytes;
    if (repo.revisions.empty()) std::printf("%-40s %-12s %-16s %10s  %s\n", repo.id.c_str(), "-", "-", hub::human_bytes(repo.bytes).c_str(), "");
    for (const auto& r : repo.revisions)
      std::printf("%-40s %-12s %-16s %10s  %s\n", repo.id.c_str(), r.commit.substr(0, 12).c_str(),
                  r.refs.empty() ? "-" : joined(r.refs).c_str(), hub::human_bytes(r.bytes).c_str(), joined(onnx_files(r), " ").c_str());
    if (!repo.incomplete.empty())
      std::printf("%-40s %zu partial download(s) in blobs/ (resumed by the next pull)\n", "", repo.incomplete.size());
  }
  std::printf("%zu model(s), %s on disk\n", repos.size(), hub::human_bytes(total).c_str());
}

}  // namespace

void add_cache_command(CLI::App& app) {
  CLI::App* cache = app.add_subcommand("cache", "list or remove models in the Hugging Face Hub cache (shared with huggingface_hub)");
  cache->require_subcommand(1);
  {
    auto json = std::make_shared<bool>(false);
    CLI::App* cmd = cache->add_subcommand("list", "models in the cache: commits, refs, size, ONNX files");
    cmd->add_flag("--json", *json, "print one JSON object");
    cmd->callback([json] { list_cache(*json); });
  }
  {
    auto id = std::make_shared<std::string>();
    CLI::App* cmd = cache->add_subcommand("rm", "remove a model (org/name) or one revision of it (org/name@revision) from the cache");
    cmd->add_option("ID", *id, "org/name or org/name@revision")->required();
    cmd->callback([id] {
      const hub::RepoRef ref = hub::parse_repo_ref(*id);
      const hub::HubConfig cfg = hub::config_from_environment();
      const hub::Removal r = hub::remove_from_cache(cfg.cache_dir, ref);
      std::string commits;
      for (const auto& c : r.commits) commits += (commits.empty() ? "" : ", ") + c.substr(0, 12);
      std::printf("removed %s%s: %zu snapshot(s) (%s), %d blob(s), %s freed\n", ref.str().c_str(),
                  r.whole_repo ? " (the whole model)" : "", r.commits.size(), commits.empty() ? "none" : commits.c_str(), r.blobs,
                  hub::human_bytes(r.bytes).c_str());
    });
  }
}

}  // namespace ecoinfer::cli
