#include <gtest/gtest.h>

#include "ops/registry.h"

using namespace ecoinfer;

TEST(Registry, KnowsCoreOps) {
  EXPECT_NE(find_op("", "Add"), nullptr);
  EXPECT_NE(find_op("ai.onnx", "Relu"), nullptr);
  EXPECT_EQ(find_op("", "NoSuchOp"), nullptr);
}
