// Hub ids in a study spec: kept as written (not made relative to the spec's folder), named
// after the repository, with an optional onnx_file; the example spec still parses.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "study/spec.h"

namespace ecoinfer::study {
namespace {

TEST(HubSpec, HubIdsStayAsWrittenAndAreNamedAfterTheRepository) {
  const StudySpec s = parse_spec(R"(
[[model]]
path = "org/resnet20@v2"
data = "data/cifar"
onnx_file = "onnx/model_quantized.onnx"

[[model]]
path = "models/cifar/resnet20"
data = "data/cifar"
)",
                                 "/work/specs/s.toml");
  ASSERT_EQ(s.models.size(), 2u);
  EXPECT_EQ(s.models[0].path, "org/resnet20@v2");
  EXPECT_EQ(s.models[0].name, "resnet20");
  EXPECT_EQ(s.models[0].onnx_file, "onnx/model_quantized.onnx");
  EXPECT_EQ(model_flags(s.models[0]).onnx_file, "onnx/model_quantized.onnx");
  EXPECT_EQ(s.models[0].data, "/work/specs/data/cifar");
  // Not a Hub id (three parts): resolved against the spec's folder as before.
  EXPECT_EQ(s.models[1].path, "/work/specs/models/cifar/resnet20");
  EXPECT_EQ(model_name_from_path("org/name"), "name");
  EXPECT_EQ(model_name_from_path("some/dir/model.onnx"), "model");
}

// A folder of that name beside the spec wins over the Hub.
TEST(HubSpec, ALocalFolderBesideTheSpecWins) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("ecoinfer_hub_spec_" + std::to_string(::getpid()));
  fs::create_directories(dir / "org/resnet20");
  const StudySpec s = parse_spec("[[model]]\npath = \"org/resnet20\"\ndata = \"d\"\n", dir / "s.toml");
  EXPECT_EQ(s.models[0].path, (dir / "org/resnet20").string());
  fs::remove_all(dir);
}

TEST(HubSpec, ExampleSpecStillParses) { EXPECT_NO_THROW(parse_spec(example_spec(), "/x/study.toml")); }

}  // namespace
}  // namespace ecoinfer::study
