#pragma once
// The four real models of ../shared/models with their test sets, and the 64 preprocessed test
// images each folder keeps (inputs_first64.f32: the input of reference.json's logits_first64).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>

#include "core/tensor.h"
#include "data/preprocessor_config.h"

namespace ecoinfer::test {

struct SharedModel {
  const char* folder;  // under ../shared/models
  const char* data;    // its test set under ../shared/data
};
inline constexpr SharedModel kSharedModels[] = {{"resnet20_cifar10", "cifar10-test"},
                                                {"resnet32_cifar10", "cifar10-test"},
                                                {"vit_cifar10", "cifar10-test"},
                                                {"mnist_cnn", "mnist"}};

// Parameterised tests name their cases (and ctest its entries) by folder, not raw bytes.
inline void PrintTo(const SharedModel& m, std::ostream* os) { *os << m.folder; }
inline std::string shared_model_name(const ::testing::TestParamInfo<SharedModel>& info) { return info.param.folder; }

// The model folder's inputs_first64.f32 as a [64, C, H, W] tensor.
inline Tensor read_inputs_first64(const std::filesystem::path& model_dir, const Preprocessing& pre) {
  const auto file = model_dir / "inputs_first64.f32";
  const int64_t per = int64_t(pre.channels) * pre.height * pre.width;
  std::ifstream in(file, std::ios::binary);
  EXPECT_TRUE(in.good()) << file;
  Tensor t = Tensor::empty(DType::f32, {64, pre.channels, pre.height, pre.width});
  in.read(static_cast<char*>(t.raw()), 64 * per * 4);
  EXPECT_EQ(in.gcount(), 64 * per * 4) << file;
  return t;
}

}  // namespace ecoinfer::test
