#include "model/model_source.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "core/error.h"

namespace ecoinfer {

namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// The .onnx files of a local folder, as paths relative to it (two levels deep: model.onnx,
// onnx/model.onnx, onnx/x/model.onnx).
std::vector<std::string> local_onnx_files(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it.depth() >= 2) it.disable_recursion_pending();
    std::error_code ec2;
    if (it->path().extension() == ".onnx" && it->is_regular_file(ec2))
      out.push_back(it->path().lexically_relative(dir).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string choose_onnx_file(const std::vector<std::string>& files, const std::string& requested, const std::string& where,
                             const std::string& hub_id) {
  std::vector<std::string> onnx;
  for (const auto& f : files)
    if (ends_with(f, ".onnx")) onnx.push_back(f);
  const auto has = [&](const std::string& f) { return std::find(onnx.begin(), onnx.end(), f) != onnx.end(); };
  if (!requested.empty()) {
    std::string want = requested;
    while (want.rfind("./", 0) == 0) want = want.substr(2);
    if (has(want)) return want;
    fail("{} has no ONNX file '{}' (--onnx-file); {}", where, requested,
         onnx.empty() ? std::string("it has no ONNX file at all") : "its ONNX files: " + joined(onnx));
  }
  for (const char* f : {"model.onnx", "onnx/model.onnx"})
    if (has(f)) return f;
  if (onnx.empty()) {
    if (hub_id.empty()) fail("{}: the model folder has no ONNX file (model.onnx or onnx/model.onnx)", where);
    fail("{} has no ONNX file. Export one with Hugging Face Optimum (pip install 'optimum[exporters]'): "
         "optimum-cli export onnx --model {} DIR, then run ecoinfer on DIR",
         where, hub_id);
  }
  fail("{} has {} and none is model.onnx or onnx/model.onnx: {}; choose one with --onnx-file", where,
       onnx.size() == 1 ? "one ONNX file" : "several ONNX files", joined(onnx));
}

std::vector<std::string> hub_model_files(const std::vector<std::string>& files, const std::string& onnx_file) {
  std::vector<std::string> out;
  for (const auto& f : files) {
    const bool data = f.rfind(onnx_file + "_data", 0) == 0 || f.rfind(onnx_file + ".data", 0) == 0;
    if (data || f == "config.json" || f == "preprocessor_config.json") out.push_back(f);
  }
  return out;
}

HubModel fetch_hub_model(hub::HubClient& client, const hub::RepoRef& ref, const std::string& onnx_file) {
  HubModel m;
  m.snapshot = client.resolve(ref);
  const std::string where = fmt::format("'{}' (revision {}, commit {}{})", ref.id, ref.revision, m.snapshot.commit.substr(0, 12),
                                        m.snapshot.cache_only_reason.empty() ? "" : ", files in the cache");
  m.onnx_file = choose_onnx_file(m.snapshot.files, onnx_file, where, ref.id);
  m.files.push_back(client.fetch(m.snapshot, m.onnx_file));
  for (const auto& f : hub_model_files(m.snapshot.files, m.onnx_file)) m.files.push_back(client.fetch(m.snapshot, f));
  return m;
}

bool names_hub_model(const std::string& name) {
  std::error_code ec;
  return !fs::exists(fs::symlink_status(name, ec)) && hub::is_repo_id(name) && !ends_with(name, ".onnx");
}

ModelLocation locate_model(const std::string& name, const std::string& onnx_file) {
  ModelLocation loc;
  std::error_code ec;
  if (names_hub_model(name)) {
    // Resolved once per process: the commands and the study load a model several times,
    // and every load must see the same commit (a branch may move meanwhile) without asking
    // the Hub again inside a measurement.
    static std::mutex mu;
    static std::map<std::pair<std::string, std::string>, ModelLocation> resolved;
    std::lock_guard lk(mu);
    if (auto it = resolved.find({name, onnx_file}); it != resolved.end()) return it->second;
    hub::HubClient client(hub::config_from_environment());
    const hub::RepoRef ref = hub::parse_repo_ref(name);
    HubModel m;
    try {
      m = fetch_hub_model(client, ref, onnx_file);
    } catch (const Error& e) {
      // `demo/resnet20_cifar1` beside an existing demo/ is a mistyped path more likely than a Hub id.
      const std::string first = ref.id.substr(0, ref.id.find('/'));
      if (fs::is_directory(first, ec))
        fail("{}: no such model folder or file here (though {}/ exists), and as a Hugging Face Hub id: {}", name, first, e.what());
      throw;
    }
    loc.folder = m.snapshot.dir;
    loc.onnx = m.snapshot.dir / m.onnx_file;
    loc.data_root = m.snapshot.repo_dir;
    loc.hub_id = ref.id + "@" + m.snapshot.commit;
    resolved[{name, onnx_file}] = loc;
    return loc;
  }
  const fs::path path(name);
  ECO_CHECK(fs::exists(path, ec), "{}: no such model file or folder{}", name,
            hub::is_repo_id(name) ? "" : " (nor a Hugging Face Hub id, org/name[@revision])");
  if (fs::is_directory(path, ec)) {
    loc.folder = path;
    loc.onnx = path / choose_onnx_file(local_onnx_files(path), onnx_file, path.string());
  } else {
    ECO_CHECK(onnx_file.empty(), "{}: --onnx-file chooses among the ONNX files of a model folder or Hub repository; this is a file",
              name);
    loc.onnx = path;
  }
  loc.data_root = loc.onnx.parent_path().empty() ? fs::path(".") : loc.onnx.parent_path();
  return loc;
}

}  // namespace ecoinfer
