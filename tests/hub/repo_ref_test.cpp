// Hub ids, cache folder names and the paths the Hub may send, checked before they touch the disk.
#include <gtest/gtest.h>

#include "core/error.h"
#include "hub/hub_config.h"
#include "hub/repo_ref.h"
#include "model/model_source.h"

namespace ecoinfer::hub {
namespace {

TEST(HubRepoRef, ParsesIdAndRevision) {
  RepoRef r = parse_repo_ref("google/vit-base-patch16-224");
  EXPECT_EQ(r.id, "google/vit-base-patch16-224");
  EXPECT_EQ(r.revision, "main");
  EXPECT_FALSE(r.revision_given);
  EXPECT_EQ(r.str(), "google/vit-base-patch16-224");
  r = parse_repo_ref("org/name@v1.0");
  EXPECT_EQ(r.id, "org/name");
  EXPECT_EQ(r.revision, "v1.0");
  EXPECT_EQ(r.str(), "org/name@v1.0");
  EXPECT_EQ(parse_repo_ref("org/name@refs/pr/1").revision, "refs/pr/1");
}

TEST(HubRepoRef, RefusesWhatHuggingFaceHubRefuses) {
  for (const char* bad : {"name", "a/b/c", "org/", "/name", "org/-name", "org/name.", "org/na--me", "org/na..me",
                          "org/name.git", "org/na me", "org/name@", "org/name@../x", "org/name@a//b", "org/name@/abs"}) {
    EXPECT_FALSE(is_repo_id(bad)) << bad;
    EXPECT_THROW(parse_repo_ref(bad), Error) << bad;
  }
  try {
    parse_repo_ref("org/na me");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("org/name@revision"), std::string::npos) << e.what();
  }
}

TEST(HubRepoRef, CacheFolderNamesAsHuggingFaceHub) {
  EXPECT_EQ(repo_folder_name("julien-c/EsperBERTo-small"), "models--julien-c--EsperBERTo-small");
  EXPECT_EQ(repo_id_from_folder("models--julien-c--EsperBERTo-small"), "julien-c/EsperBERTo-small");
  EXPECT_EQ(repo_id_from_folder("models--gpt2"), "gpt2");
  EXPECT_EQ(repo_id_from_folder("datasets--org--set"), "");
  EXPECT_EQ(repo_id_from_folder(".locks"), "");
}

TEST(HubRepoRef, SafeRelativePaths) {
  EXPECT_TRUE(is_safe_relative_path("onnx/model.onnx"));
  EXPECT_TRUE(is_safe_relative_path("main"));
  for (const char* bad : {"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a\\b", "a\nb", "a/"})
    EXPECT_FALSE(is_safe_relative_path(bad)) << bad;
}

TEST(HubRepoRef, CommitIds) {
  EXPECT_TRUE(is_commit_id("0123456789abcdef0123456789abcdef01234567"));
  EXPECT_FALSE(is_commit_id("0123456789ABCDEF0123456789abcdef01234567"));
  EXPECT_FALSE(is_commit_id("main"));
}

TEST(HubConfig, ReadsHuggingFaceHubEnvironment) {
  EXPECT_TRUE(env_flag_is_true("1"));
  EXPECT_TRUE(env_flag_is_true("yes"));
  EXPECT_TRUE(env_flag_is_true("True"));
  EXPECT_FALSE(env_flag_is_true("0"));
  EXPECT_FALSE(env_flag_is_true(nullptr));
  ::setenv("HF_HOME", "/tmp/ecoinfer-hf-home-test", 1);
  ::unsetenv("HF_HUB_CACHE");
  ::unsetenv("HUGGINGFACE_HUB_CACHE");
  ::setenv("HF_ENDPOINT", "http://127.0.0.1:9/", 1);
  ::setenv("HF_HUB_OFFLINE", "1", 1);
  HubConfig c = config_from_environment();
  EXPECT_EQ(c.cache_dir, std::filesystem::path("/tmp/ecoinfer-hf-home-test/hub"));
  EXPECT_EQ(c.endpoint, "http://127.0.0.1:9");
  EXPECT_TRUE(c.offline);
  ::setenv("HF_HUB_CACHE", "/tmp/elsewhere", 1);
  EXPECT_EQ(config_from_environment().cache_dir, std::filesystem::path("/tmp/elsewhere"));
  ::setenv("HF_ENDPOINT", "ftp://x", 1);
  EXPECT_THROW(config_from_environment(), Error);
  for (const char* v : {"HF_HOME", "HF_HUB_CACHE", "HF_ENDPOINT", "HF_HUB_OFFLINE"}) ::unsetenv(v);
}

TEST(HubModelChoice, TakesModelOnnxElseListsTheChoices) {
  using ecoinfer::choose_onnx_file;
  EXPECT_EQ(choose_onnx_file({"config.json", "model.onnx", "onnx/model.onnx"}, "", "r"), "model.onnx");
  EXPECT_EQ(choose_onnx_file({"onnx/model.onnx", "onnx/model_quantized.onnx"}, "", "r"), "onnx/model.onnx");
  EXPECT_EQ(choose_onnx_file({"onnx/model.onnx", "onnx/model_quantized.onnx"}, "onnx/model_quantized.onnx", "r"),
            "onnx/model_quantized.onnx");
  try {
    choose_onnx_file({"onnx/model_fp16.onnx", "onnx/model_quantized.onnx"}, "", "'org/x'", "org/x");
    FAIL();
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("onnx/model_fp16.onnx, onnx/model_quantized.onnx"), std::string::npos) << m;
    EXPECT_NE(m.find("--onnx-file"), std::string::npos) << m;
  }
  try {
    choose_onnx_file({"config.json", "pytorch_model.bin"}, "", "'org/x'", "org/x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("optimum-cli export onnx --model org/x"), std::string::npos) << e.what();
  }
  EXPECT_THROW(choose_onnx_file({"model.onnx"}, "other.onnx", "r"), Error);
}

TEST(HubModelChoice, FetchesExternalDataAndConfigs) {
  const auto files = ecoinfer::hub_model_files({"README.md", "config.json", "onnx/model.onnx", "onnx/model.onnx_data",
                                                "onnx/model_fp16.onnx", "onnx/model_fp16.onnx_data", "preprocessor_config.json"},
                                               "onnx/model.onnx");
  EXPECT_EQ(files, (std::vector<std::string>{"config.json", "onnx/model.onnx_data", "preprocessor_config.json"}));
}

}  // namespace
}  // namespace ecoinfer::hub
