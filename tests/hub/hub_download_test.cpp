// The Hub client against a local Hub (tests/hub/fake_hub.*) serving ../shared/models:
// huggingface_hub's cache layout, a cache Python laid out, resume with Range, sha256
// refusal, retries, offline mode, the Hub unreachable, disk space, and the cache commands'
// library side. No network beyond 127.0.0.1.
#include <gtest/gtest.h>

#include <onnx/onnx_pb.h>

#include <fstream>

#include "hub/cache.h"
#include "hub/fake_hub.h"
#include "hub/hub_client.h"
#include "hub/sha256.h"
#include "model/model_folder.h"
#include "model/model_source.h"
#include "onnx/onnx_import.h"
#include "runtime/executor.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

fs::path resnet20_folder() { return shared_dir() / "models/resnet20_cifar10"; }

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << s;
}

// Waits in tests are short: the faults are deterministic, nothing needs a real backoff.
hub::HubConfig config_for(const FakeHub& h, const fs::path& cache, std::string token = "") {
  hub::HubConfig c;
  c.endpoint = h.endpoint();
  c.cache_dir = cache;
  c.token = std::move(token);
  c.retry_wait_s = 0.01;
  c.retry_wait_max_s = 0.05;
  c.progress = false;
  c.metadata_timeout_s = 60;  // generous: the machine may be loaded
  c.download_timeout_s = 60;
  return c;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

class HubDownload : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(resnet20_folder() / "model.onnx")) GTEST_SKIP() << "no " << resnet20_folder();
    files = model_repo_files(resnet20_folder());
    onnx = files["model.onnx"].content;
    sha = hub::sha256_bytes(onnx);
    commit = hub.add_repo("org/resnet20", files);
  }
  HubModel fetch(const std::string& id, hub::HubConfig cfg, const std::string& onnx_file = "") {
    hub::HubClient client(std::move(cfg));
    return fetch_hub_model(client, hub::parse_repo_ref(id), onnx_file);
  }

  FakeHub hub{"hf_test_token"};
  TempDir tmp;
  fs::path cache = fs::path(tmp.path()) / "hub";
  std::map<std::string, FakeFile> files;
  std::string onnx, sha, commit;
};

// Acceptance 2: blobs named by blob id, snapshot links relative to them, refs/main, one
// lock per blob, nothing else (no partial file left).
TEST_F(HubDownload, WritesHuggingFaceHubCacheLayout) {
  const HubModel m = fetch("org/resnet20", config_for(hub, cache));
  const std::string cfg_id = git_blob_id(files["config.json"].content);
  const std::string pre_id = git_blob_id(files["preprocessor_config.json"].content);
  const std::string snap = "models--org--resnet20/snapshots/" + commit + "/";
  std::vector<std::string> want = {".locks/",
                                   ".locks/models--org--resnet20/",
                                   ".locks/models--org--resnet20/" + cfg_id + ".lock",
                                   ".locks/models--org--resnet20/" + pre_id + ".lock",
                                   ".locks/models--org--resnet20/" + sha + ".lock",
                                   "models--org--resnet20/",
                                   "models--org--resnet20/blobs/",
                                   "models--org--resnet20/blobs/" + cfg_id,
                                   "models--org--resnet20/blobs/" + pre_id,
                                   "models--org--resnet20/blobs/" + sha,
                                   "models--org--resnet20/refs/",
                                   "models--org--resnet20/refs/main",
                                   "models--org--resnet20/snapshots/",
                                   snap.substr(0, snap.size() - 1) + "/",
                                   snap + "config.json -> ../../blobs/" + cfg_id,
                                   snap + "model.onnx -> ../../blobs/" + sha,
                                   snap + "preprocessor_config.json -> ../../blobs/" + pre_id};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(tree(cache), want);
  EXPECT_EQ(read_bytes(cache / "models--org--resnet20/refs/main"), commit);  // no newline, as Python writes it
  EXPECT_EQ(read_bytes(cache / snap / "model.onnx"), onnx);
  EXPECT_EQ(hub::sha256_file(cache / "models--org--resnet20/blobs" / sha), sha);
  EXPECT_EQ(m.onnx_file, "model.onnx");
  ASSERT_EQ(m.files.size(), 3u);
  for (const auto& f : m.files) EXPECT_TRUE(f.downloaded) << f.path;

  // A second fetch finds everything in place: one API call, no HEAD, no download.
  const int api = hub.count("GET", "/api/models/"), heads = hub.count("HEAD", "/resolve/"), cdn = hub.count("GET", "/blobs/");
  const HubModel again = fetch("org/resnet20", config_for(hub, cache));
  for (const auto& f : again.files) EXPECT_FALSE(f.downloaded) << f.path;
  EXPECT_EQ(hub.count("GET", "/api/models/"), api + 1);
  EXPECT_EQ(hub.count("HEAD", "/resolve/"), heads);
  EXPECT_EQ(hub.count("GET", "/blobs/"), cdn);
}

// Optimum's layout: the ONNX file under onnx/, so its link climbs one folder more.
TEST_F(HubDownload, NestedFilesLinkRelativeToTheirFolder) {
  hub.add_repo("org/optimum-style", model_repo_files(resnet20_folder(), "onnx/"));
  const HubModel m = fetch("org/optimum-style", config_for(hub, cache));
  EXPECT_EQ(m.onnx_file, "onnx/model.onnx");
  const fs::path link = m.snapshot.dir / "onnx/model.onnx";
  EXPECT_EQ(fs::read_symlink(link), fs::path("../../../blobs/" + sha));
  EXPECT_EQ(read_bytes(link), onnx);
}

// Acceptance 2: a cache laid out by hand as huggingface_hub leaves it is used as is.
TEST_F(HubDownload, ReadsACacheLaidOutAsPythonLeavesItWithoutDownloading) {
  const fs::path repo = cache / "models--org--resnet20";
  for (const auto& [path, f] : files) {
    const std::string blob = f.lfs ? hub::sha256_bytes(f.content) : git_blob_id(f.content);
    write_bytes(repo / "blobs" / blob, f.content);
    fs::create_directories(repo / "snapshots" / commit);
    fs::create_symlink("../../blobs/" + blob, repo / "snapshots" / commit / path);
  }
  write_bytes(repo / "refs/main", commit);
  const HubModel m = fetch("org/resnet20", config_for(hub, cache));
  for (const auto& f : m.files) EXPECT_FALSE(f.downloaded) << f.path;
  EXPECT_EQ(hub.count("HEAD", "/resolve/"), 0);
  EXPECT_EQ(hub.count("GET", "/resolve/"), 0);
  EXPECT_EQ(hub.count("GET", "/blobs/"), 0);
  // And the model loads from there exactly as from its folder.
  const ModelBundle hubm = load_model(m.snapshot.dir);
  const ModelBundle local = load_model(resnet20_folder());
  EXPECT_EQ(hubm.labels, local.labels);
  EXPECT_EQ(hubm.graph.nodes.size(), local.graph.nodes.size());
  // Offline: not even the API is asked.
  const size_t before = hub.requests().size();
  hub::HubConfig off = config_for(hub, cache);
  off.offline = true;
  EXPECT_EQ(fetch("org/resnet20", off).snapshot.commit, commit);
  EXPECT_EQ(hub.requests().size(), before);
}

// Acceptance 3: a connection cut halfway resumes with a Range request from where it stopped.
TEST_F(HubDownload, DroppedConnectionResumesWithRange) {
  const size_t half = onnx.size() / 2;
  hub.drop_next(sha, half);
  fetch("org/resnet20", config_for(hub, cache));
  std::vector<std::string> ranges;
  for (const auto& r : hub.requests())
    if (r.server == "cdn") ranges.push_back(r.range);
  EXPECT_EQ(ranges, (std::vector<std::string>{"", "bytes=" + std::to_string(half) + "-"}));
  const fs::path blob = cache / "models--org--resnet20/blobs" / sha;
  EXPECT_EQ(hub::sha256_file(blob), sha);
  EXPECT_FALSE(fs::exists(blob.string() + ".incomplete"));
}

// Acceptance 3: a partial file an earlier (killed) process left is resumed, not restarted.
TEST_F(HubDownload, PartialFileOfAnEarlierProcessResumes) {
  const fs::path partial = cache / "models--org--resnet20/blobs" / (sha + ".incomplete");
  write_bytes(partial, onnx.substr(0, 1000));
  fetch("org/resnet20", config_for(hub, cache));
  std::vector<std::string> ranges;
  for (const auto& r : hub.requests())
    if (r.server == "cdn") ranges.push_back(r.range);
  EXPECT_EQ(ranges, (std::vector<std::string>{"bytes=1000-"}));
  EXPECT_EQ(hub::sha256_file(cache / "models--org--resnet20/blobs" / sha), sha);
  EXPECT_FALSE(fs::exists(partial));
}

// Acceptance 3: bytes that do not hash to the blob id are refused; snapshots/ holds
// nothing and no blob or partial file stays. The next try downloads it right.
TEST_F(HubDownload, WrongSha256IsRefusedAndLeavesNothing) {
  hub.corrupt_next(sha);
  const std::string err = error_of([&] { fetch("org/resnet20", config_for(hub, cache)); });
  EXPECT_NE(err.find("sha256"), std::string::npos) << err;
  EXPECT_NE(err.find("nothing was added to the cache"), std::string::npos) << err;
  const fs::path repo = cache / "models--org--resnet20";
  for (const std::string& entry : tree(repo)) {
    EXPECT_EQ(entry.rfind("snapshots/", 0) == 0 && entry != "snapshots/", false) << entry;
    EXPECT_EQ(entry.find(sha), std::string::npos) << entry;
  }
  const HubModel m = fetch("org/resnet20", config_for(hub, cache));
  EXPECT_EQ(hub::sha256_file(m.snapshot.dir / "model.onnx"), sha);
}

// A 503 is retried with backoff, on the API and on a download.
TEST_F(HubDownload, ServiceUnavailableThenSuccess) {
  hub.fail_next("/api/models/org/resnet20", 503, 2);
  hub.fail_next(sha, 503, 1);
  const HubModel m = fetch("org/resnet20", config_for(hub, cache));
  EXPECT_EQ(hub.count("GET", "/api/models/org/resnet20"), 3);
  EXPECT_EQ(hub.count("GET", "/blobs/" + sha), 2);
  EXPECT_EQ(hub::sha256_file(m.snapshot.dir / "model.onnx"), sha);
  // Retries are bounded: a Hub that keeps failing is an error naming the status.
  hub.fail_next("/api/models/org/resnet20", 503, 100);
  hub::HubConfig c = config_for(hub, fs::path(tmp.path()) / "other-cache");
  c.max_retries = 2;
  const std::string err = error_of([&] { fetch("org/resnet20", c); });
  EXPECT_NE(err.find("HTTP 503"), std::string::npos) << err;
}

// The token goes to the Hub, never to the CDN a large file redirects to.
TEST_F(HubDownload, TokenGoesToTheHubOnly) {
  hub.add_repo("org/gated", files, Access::gated);
  fetch("org/gated", config_for(hub, cache, "hf_test_token"));
  int hub_with_token = 0, cdn = 0;
  for (const auto& r : hub.requests()) {
    if (r.server == "hub") hub_with_token += r.token;
    if (r.server == "cdn") {
      ++cdn;
      EXPECT_FALSE(r.token) << r.path;
    }
  }
  EXPECT_GT(hub_with_token, 0);
  EXPECT_EQ(cdn, 1);
}

// HF_HUB_OFFLINE: the cache alone; what is missing is named.
TEST_F(HubDownload, OfflineUsesTheCacheAndNamesWhatIsMissing) {
  hub::HubConfig off = config_for(hub, cache);
  off.offline = true;
  std::string err = error_of([&] { fetch("org/resnet20", off); });
  EXPECT_NE(err.find("HF_HUB_OFFLINE"), std::string::npos) << err;
  EXPECT_NE(err.find("ecoinfer pull org/resnet20"), std::string::npos) << err;
  EXPECT_TRUE(hub.requests().empty());
  fetch("org/resnet20", config_for(hub, cache));
  EXPECT_EQ(fetch("org/resnet20", off).snapshot.commit, commit);
  err = error_of([&] { fetch("org/resnet20@v2", off); });
  EXPECT_NE(err.find("refs/v2"), std::string::npos) << err;
  // A file the snapshot lacks (another ONNX file than the one fetched) is named too.
  fs::remove(cache / "models--org--resnet20/snapshots" / commit / "config.json");
  err = error_of([&] {
    hub::HubClient c(off);
    const hub::Snapshot s = c.resolve(hub::parse_repo_ref("org/resnet20"));
    c.fetch(s, "config.json");
  });
  EXPECT_NE(err.find("config.json"), std::string::npos) << err;
  EXPECT_NE(err.find("not in the cache"), std::string::npos) << err;
}

// The Hub unreachable: a cached revision is used with a note; otherwise a clear error.
TEST_F(HubDownload, UnreachableHubFallsBackToTheCache) {
  fetch("org/resnet20", config_for(hub, cache));
  hub::HubConfig c = config_for(hub, cache);
  hub.stop_hub();
  EXPECT_EQ(fetch("org/resnet20", c).snapshot.commit, commit);
  c.cache_dir = fs::path(tmp.path()) / "empty-cache";
  c.max_retries = 1;
  const std::string err = error_of([&] { fetch("org/resnet20", c); });
  EXPECT_NE(err.find("could not be reached"), std::string::npos) << err;
  EXPECT_NE(err.find("not in the cache"), std::string::npos) << err;
}

// Disk full: refused before downloading when the size is known not to fit; a write that
// fails with ENOSPC (here /dev/full) says the disk is full.
TEST_F(HubDownload, DiskFullIsReported) {
  auto big = files;
  big["model.onnx"].advertised_size = uint64_t(1) << 60;
  hub.add_repo("org/huge", big);
  std::string err = error_of([&] { fetch("org/huge", config_for(hub, cache)); });
  EXPECT_NE(err.find("not enough disk space"), std::string::npos) << err;
  EXPECT_EQ(hub.count("GET", "/blobs/"), 0);
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const fs::path blobs = cache / "models--org--resnet20/blobs";
  fs::create_directories(blobs);
  fs::create_symlink("/dev/full", blobs / (sha + ".incomplete"));
  err = error_of([&] { fetch("org/resnet20", config_for(hub, cache)); });
  EXPECT_NE(err.find("disk full"), std::string::npos) << err;
}

// An ONNX file whose weights are external data beside it (Optimum's model.onnx_data):
// locate_model fetches both, and the snapshot's links into blobs/ are accepted as inside
// the model's folder (the repository's cache folder), which a plain load refuses.
TEST_F(HubDownload, ExternalDataBesideTheOnnxFileIsFetchedAndLoads) {
  onnx::ModelProto mp;
  mp.set_ir_version(8);
  mp.add_opset_import()->set_version(17);
  onnx::GraphProto* g = mp.mutable_graph();
  g->set_name("add");
  auto value = [](onnx::ValueInfoProto* v, const char* name) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    t->mutable_shape()->add_dim()->set_dim_value(4);
  };
  value(g->add_input(), "x");
  value(g->add_output(), "y");
  onnx::NodeProto* n = g->add_node();
  n->set_op_type("Add");
  n->add_input("x");
  n->add_input("w");
  n->add_output("y");
  onnx::TensorProto* w = g->add_initializer();
  w->set_name("w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(4);
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto* loc = w->add_external_data();
  loc->set_key("location");
  loc->set_value("model.onnx_data");
  const float weights[4] = {1, 2, 3, 4};
  hub.add_repo("org/external-data", {{"onnx/model.onnx", FakeFile{mp.SerializeAsString(), true, {}}},
                                     {"onnx/model.onnx_data", FakeFile{std::string(reinterpret_cast<const char*>(weights), 16), true, {}}},
                                     {"onnx/model_fp16.onnx_data", FakeFile{"not fetched", true, {}}}});
  ::setenv("HF_ENDPOINT", hub.endpoint().c_str(), 1);
  ::setenv("HF_HUB_CACHE", cache.c_str(), 1);
  ::setenv("HF_HUB_DISABLE_PROGRESS_BARS", "1", 1);
  ModelLocation l;
  try {
    l = locate_model("org/external-data");
  } catch (...) {
    for (const char* v : {"HF_ENDPOINT", "HF_HUB_CACHE", "HF_HUB_DISABLE_PROGRESS_BARS"}) ::unsetenv(v);
    throw;
  }
  for (const char* v : {"HF_ENDPOINT", "HF_HUB_CACHE", "HF_HUB_DISABLE_PROGRESS_BARS"}) ::unsetenv(v);
  EXPECT_EQ(l.onnx, l.folder / "onnx/model.onnx");
  EXPECT_EQ(l.data_root, cache / "models--org--external-data");
  EXPECT_EQ(l.hub_id.substr(0, 18), "org/external-data@");
  EXPECT_FALSE(fs::exists(l.folder / "onnx/model_fp16.onnx_data"));
  const Graph graph = load_onnx(l.onnx, l.data_root);
  const Tensor y = make_executor(graph, ExecutorKind::eager, RunOptions{})->run({Tensor::from<float>({4}, std::vector<float>{1, 1, 1, 1})}).at(0);
  EXPECT_EQ(y.to_f32_vector(), std::vector<float>({2, 3, 4, 5}));
  const std::string err = error_of([&] { load_onnx(l.onnx); });
  EXPECT_NE(err.find("outside the model folder"), std::string::npos) << err;
}

// The cache commands' library side: listing, removing one revision (shared blobs stay),
// removing a model.
TEST_F(HubDownload, CacheListAndRemove) {
  auto v2 = files;
  v2["model.onnx"].content = read_bytes(shared_dir() / "models/resnet32_cifar10/model.onnx");
  const std::string commit2 = hub.add_repo("org/resnet20", v2, Access::open, "v2");
  fetch("org/resnet20", config_for(hub, cache));
  fetch("org/resnet20@v2", config_for(hub, cache));
  auto repos = hub::scan_cache(cache);
  ASSERT_EQ(repos.size(), 1u);
  EXPECT_EQ(repos[0].id, "org/resnet20");
  ASSERT_EQ(repos[0].revisions.size(), 2u);
  EXPECT_EQ(repos[0].blobs, 4);  // two ONNX files, the configs shared
  for (const auto& r : repos[0].revisions) {
    EXPECT_EQ(r.files.size(), 3u);
    EXPECT_EQ(r.refs, std::vector<std::string>{r.commit == commit ? "main" : "v2"});
  }
  const hub::Removal rm = hub::remove_from_cache(cache, hub::parse_repo_ref("org/resnet20@v2"));
  EXPECT_FALSE(rm.whole_repo);
  EXPECT_EQ(rm.blobs, 1);
  EXPECT_EQ(rm.commits, std::vector<std::string>{commit2});
  repos = hub::scan_cache(cache);
  ASSERT_EQ(repos[0].revisions.size(), 1u);
  EXPECT_EQ(repos[0].blobs, 3);
  EXPECT_EQ(read_bytes(cache / "models--org--resnet20/snapshots" / commit / "model.onnx"), onnx);
  EXPECT_THROW(hub::remove_from_cache(cache, hub::parse_repo_ref("org/resnet20@v2")), Error);
  const hub::Removal all = hub::remove_from_cache(cache, hub::parse_repo_ref("org/resnet20"));
  EXPECT_TRUE(all.whole_repo);
  EXPECT_TRUE(hub::scan_cache(cache).empty());
  EXPECT_FALSE(fs::exists(cache / ".locks/models--org--resnet20"));
  EXPECT_THROW(hub::remove_from_cache(cache, hub::parse_repo_ref("org/resnet20")), Error);
}

}  // namespace
}  // namespace ecoinfer::test
