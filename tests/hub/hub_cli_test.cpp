// The Hub through the CLI, against a local Hub (tests/hub/fake_hub.*): eval by Hub id equals
// eval of the local folder and then works offline, concurrent pulls, cache list/rm, the
// errors a user sees, and the token never written anywhere.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>
#include <nlohmann/json.hpp>

#include "hub/cache.h"
#include "hub/fake_hub.h"
#include "hub/file_lock.h"
#include "hub/sha256.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

fs::path resnet20_folder() { return shared_dir() / "models/resnet20_cifar10"; }
const std::string kData = (source_dir() / "demo/cifar10-1000").string();

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class HubCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(resnet20_folder() / "model.onnx")) GTEST_SKIP() << "no " << resnet20_folder();
    files = model_repo_files(resnet20_folder());
    sha = hub::sha256_bytes(files["model.onnx"].content);
    commit = hub.add_repo("org/resnet20", files);
  }

  // The environment of every command: this Hub, this cache, no token or offline setting
  // inherited from the machine (HF_HOME is the test's, so no login token file is read).
  std::string env(const std::string& extra = "") const {
    return "env -u HF_TOKEN -u HUGGING_FACE_HUB_TOKEN -u HF_HUB_OFFLINE -u TRANSFORMERS_OFFLINE -u HF_HUB_CACHE "
           "-u HUGGINGFACE_HUB_CACHE -u HF_TOKEN_PATH HF_HOME=" + home.string() + " HF_ENDPOINT=" + hub.endpoint() +
           " " + extra + " ";
  }
  CommandResult cli(const std::string& args, const std::string& extra_env = "", bool merge_stderr = true) const {
    return run_command(env(extra_env) + cli_path().string() + " " + args, merge_stderr);
  }

  FakeHub hub{"hf_TestSecretToken_9f8e7d6c"};
  TempDir tmp;
  fs::path home = fs::path(tmp.path()) / "hf-home";
  fs::path cache = home / "hub";  // HF_HOME/hub, huggingface_hub's default under HF_HOME
  std::map<std::string, FakeFile> files;
  std::string sha, commit;
};

double top1_of(const CommandResult& r) {
  EXPECT_EQ(r.status, 0) << r.out;
  try {
    return nlohmann::json::parse(r.out).at("top1").get<double>();
  } catch (...) {
    ADD_FAILURE() << "not JSON: " << r.out;
    return -1;
  }
}

// Acceptance 1: eval through the Hub id gives the local folder's top-1; then the Hub goes
// away and HF_HUB_OFFLINE=1 works from the cache alone.
TEST_F(HubCli, EvalByHubIdMatchesTheLocalFolderThenWorksOffline) {
  const std::string eval = " --data " + kData + " --limit 200 --batch 50 --threads 1 --json";
  const double local = top1_of(cli("eval " + resnet20_folder().string() + eval, "", false));
  const double via_hub = top1_of(cli("eval org/resnet20" + eval, "", false));
  EXPECT_EQ(via_hub, local);
  EXPECT_GT(local, 0.5);
  EXPECT_EQ(read_bytes(cache / "models--org--resnet20/refs/main"), commit);
  hub.stop_hub();
  const double offline = top1_of(cli("eval org/resnet20" + eval, "HF_HUB_OFFLINE=1", false));
  EXPECT_EQ(offline, local);
  // The commit pins it too, and inspect takes the id like every MODEL.
  const CommandResult r = cli("inspect org/resnet20@" + commit + " --json", "HF_HUB_OFFLINE=1", false);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["parameters"].get<int64_t>(), 271098);
}

// Acceptance 3: two pulls at once both succeed; the blob is downloaded once and the cache
// holds it once.
TEST_F(HubCli, ConcurrentPullsBothSucceedWithOneBlob) {
  hub.throttle(512 * 1024);  // ~2 s for ResNet-20's 1.1 MB, so that the two overlap
  const std::string pull = env() + cli_path().string() + " pull org/resnet20";
  const fs::path o1 = fs::path(tmp.path()) / "pull1.txt", o2 = fs::path(tmp.path()) / "pull2.txt";
  const CommandResult r = run_command("(" + pull + " > " + o1.string() + " 2>&1; echo $? >> " + o1.string() + ") & (" + pull +
                                      " > " + o2.string() + " 2>&1; echo $? >> " + o2.string() + ") & wait");
  ASSERT_EQ(r.status, 0) << r.out;
  const std::string out1 = read_bytes(o1), out2 = read_bytes(o2);
  EXPECT_EQ(out1.substr(out1.size() - 2), "0\n") << out1;
  EXPECT_EQ(out2.substr(out2.size() - 2), "0\n") << out2;
  EXPECT_EQ(hub.count("GET", "/blobs/" + sha), 1) << out1 << out2;
  std::vector<std::string> blobs;
  for (const auto& e : fs::directory_iterator(cache / "models--org--resnet20/blobs")) blobs.push_back(e.path().filename().string());
  EXPECT_EQ(blobs.size(), 3u);
  for (const auto& b : blobs) EXPECT_EQ(b.find(".incomplete"), std::string::npos) << b;
  EXPECT_EQ(hub::sha256_file(cache / "models--org--resnet20/blobs" / sha), sha);
}

// The per-blob lock is honoured, deterministically: while this test holds the blob's lock
// (as a Python download would, with the same flock), a pull waits and fetches nothing;
// released, it downloads the blob.
TEST_F(HubCli, PullWaitsForTheBlobLockAnotherProcessHolds) {
  const fs::path out = fs::path(tmp.path()) / "pull.txt", status = fs::path(tmp.path()) / "status.txt";
  std::thread pull;
  {
    hub::FileLock held(hub::blob_lock_path(cache, "org/resnet20", sha), "test");
    pull = std::thread([&] {
      run_command("(" + env() + cli_path().string() + " pull org/resnet20 > " + out.string() + " 2>&1; echo $? > " +
                  status.string() + ")");
    });
    bool waiting = false;
    for (int i = 0; i < 1200 && !waiting; ++i) {  // up to 60 s on a loaded machine
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      waiting = read_bytes(out).find("waiting for another process") != std::string::npos;
    }
    EXPECT_TRUE(waiting) << read_bytes(out);
    EXPECT_EQ(hub.count("GET", "/blobs/"), 0);
    EXPECT_FALSE(fs::exists(status));
  }
  pull.join();
  EXPECT_EQ(read_bytes(status), "0\n") << read_bytes(out);
  EXPECT_EQ(hub.count("GET", "/blobs/" + sha), 1);
  EXPECT_EQ(hub::sha256_file(cache / "models--org--resnet20/blobs" / sha), sha);
}

TEST_F(HubCli, PullListRemove) {
  CommandResult r = cli("pull org/resnet20");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("model.onnx"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("downloaded"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(commit), std::string::npos) << r.out;
  r = cli("pull org/resnet20 --json", "", false);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["commit"], commit);
  for (const auto& f : j["files"]) EXPECT_FALSE(f["downloaded"].get<bool>()) << f;
  r = cli("cache list");
  ASSERT_EQ(r.status, 0) << r.out;
  for (const std::string& want : {std::string("org/resnet20"), commit.substr(0, 12), std::string("main"), std::string("model.onnx")})
    EXPECT_NE(r.out.find(want), std::string::npos) << want << "\n" << r.out;
  r = cli("cache list --json", "", false);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto list = nlohmann::json::parse(r.out);
  ASSERT_EQ(list["repositories"].size(), 1u);
  EXPECT_EQ(list["repositories"][0]["revisions"][0]["onnx_files"], nlohmann::json::array({"model.onnx"}));
  r = cli("cache rm org/resnet20");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("removed org/resnet20"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(cache / "models--org--resnet20"));
  r = cli("cache list");
  EXPECT_NE(r.out.find("no models"), std::string::npos) << r.out;
  r = cli("cache rm org/resnet20");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("not in the cache"), std::string::npos) << r.out;
}

// Acceptance 4: the messages a user can act on, as the CLI prints them.
TEST_F(HubCli, ErrorsSayWhatToDo) {
  hub.add_repo("org/private", files, Access::private_repo);
  hub.add_repo("org/gated", files, Access::gated);
  hub.add_repo("org/pytorch-only", {{"config.json", files["config.json"]}, {"pytorch_model.bin", FakeFile{"weights", true, {}}}});
  auto several = model_repo_files(resnet20_folder(), "onnx/");
  several["onnx/model_quantized.onnx"] = several["onnx/model.onnx"];
  several["onnx/model_fp16.onnx"] = several["onnx/model.onnx"];
  several.erase("onnx/model.onnx");
  hub.add_repo("org/several", several);
  fs::create_directories(fs::path(tmp.path()) / "models");  // the commands run in tmp.path
  struct Case {
    std::string args, env;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"pull org/unknown", "", {"repository 'org/unknown' was not found", "HTTP 404", "check the id"}},
      {"pull org/private", "", {"org/private", "HTTP 401", "set HF_TOKEN"}},
      {"pull org/gated", "", {"'org/gated' is a gated model", "HTTP 401", "set HF_TOKEN"}},
      {"pull org/gated", "HF_TOKEN=hf_SomeoneElsesToken", {"'org/gated' is a gated model", "HTTP 403", "HF_TOKEN"}},
      {"pull org/resnet20@v9", "", {"revision 'v9' does not exist in 'org/resnet20'", "HTTP 404"}},
      {"eval org/pytorch-only --data " + kData, "", {"has no ONNX file", "optimum-cli export onnx --model org/pytorch-only"}},
      {"inspect org/several", "", {"onnx/model_fp16.onnx, onnx/model_quantized.onnx", "--onnx-file"}},
      {"inspect org/several --onnx-file onnx/nope.onnx", "", {"no ONNX file 'onnx/nope.onnx'", "onnx/model_quantized.onnx"}},
      {"pull org/resnet20", "HF_HUB_OFFLINE=1", {"HF_HUB_OFFLINE", "not in the cache", "ecoinfer pull org/resnet20"}},
      {"pull not-an-id", "", {"not a Hugging Face Hub model id"}},
      // A mistyped local path (its first folder exists) says so before the Hub's answer.
      {"inspect models/resnet20", "", {"no such model folder or file here (though models/ exists)", "HTTP 404"}},
  };
  for (const Case& c : cases) {
    const CommandResult r = run_command("cd " + tmp.path() + " && " + env(c.env) + cli_path().string() + " " + c.args);
    EXPECT_EQ(r.status, 1) << c.args << "\n" << r.out;
    for (const std::string& w : c.want) EXPECT_NE(r.out.find(w), std::string::npos) << c.args << ": no '" << w << "' in\n" << r.out;
    EXPECT_EQ(r.out.find("hf_SomeoneElsesToken"), std::string::npos) << r.out;
  }
  // --onnx-file picks one of several.
  const CommandResult r = cli("inspect org/several --onnx-file onnx/model_quantized.onnx --json", "", false);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(nlohmann::json::parse(r.out)["onnx"].get<std::string>().find("onnx/model_quantized.onnx"), std::string::npos);
}

// Acceptance 5: the token opens a gated model, and appears in no output, log, cache file
// or study store.
TEST_F(HubCli, TokenNeverAppearsInOutputLogsOrTheStudyStore) {
  const std::string token = "hf_TestSecretToken_9f8e7d6c";
  hub.add_repo("org/gated", files, Access::gated);
  const std::string with_token = "HF_TOKEN=" + token;
  std::string all_output;
  for (const std::string& args : std::vector<std::string>{"pull org/gated", "inspect org/gated --json", "eval org/gated --data " + kData + " --limit 32 --threads 1",
        "study run --model org/gated --data " + kData + " --repetitions 1 --batch 16 --images 16 --min-seconds 0.5 --warmup 0 "
            "--cooldown 0 --idle-seconds 0 --accuracy-images 32 --threads 1 --out " + (fs::path(tmp.path()) / "study").string()}) {
    const CommandResult r = cli(args, with_token);
    EXPECT_EQ(r.status, 0) << args << "\n" << r.out;
    all_output += r.out;
  }
  // A refused token is not echoed either (another cache: the first one has the files, and
  // a cached snapshot needs no file request).
  const CommandResult refused = cli("pull org/gated", "HF_HOME=" + (fs::path(tmp.path()) / "other-home").string() + " HF_TOKEN=hf_WrongSecret_123");
  EXPECT_EQ(refused.status, 1) << refused.out;
  all_output += refused.out;
  EXPECT_EQ(all_output.find(token), std::string::npos) << all_output;
  EXPECT_EQ(all_output.find("hf_WrongSecret_123"), std::string::npos) << all_output;
  ASSERT_TRUE(fs::exists(fs::path(tmp.path()) / "study/results.sqlite"));
  int files_read = 0;
  for (const auto& e : fs::recursive_directory_iterator(tmp.path())) {
    if (!e.is_regular_file()) continue;
    const std::string bytes = read_bytes(e.path());
    ++files_read;
    EXPECT_EQ(bytes.find(token), std::string::npos) << e.path();
    EXPECT_EQ(bytes.find("hf_WrongSecret_123"), std::string::npos) << e.path();
  }
  EXPECT_GT(files_read, 5);
  // It was used: the Hub saw it, the CDN never did.
  int hub_with_token = 0;
  for (const auto& q : hub.requests()) {
    if (q.server == "hub") hub_with_token += q.token;
    else EXPECT_FALSE(q.token) << q.path;
  }
  EXPECT_GT(hub_with_token, 0);
}

}  // namespace
}  // namespace ecoinfer::test
