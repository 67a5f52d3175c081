// PyTorch parity fixtures (tests/fixtures/parity, made by tools/export_parity_fixtures.py):
// every architecture family imports and matches torch's logits.
#include <gtest/gtest.h>

#include <cmath>

#include "data/npy.h"
#include "onnx/onnx_import.h"
#include "runtime/executor.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {



class ParityFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(ParityFixture, MatchesPyTorchWithin1e4Relative) {
  const auto dir = source_dir() / "tests/fixtures/parity" / GetParam();
  Graph g = load_onnx(dir / "model.onnx");
  Tensor x = read_npy(dir / "input.npy");
  Tensor want = read_npy(dir / "output.npy");
  for (bool reference_only : {false, true}) {
    SCOPED_TRACE(reference_only ? "reference kernels" : "fast kernels");
    EagerExecutor exec(g, RunOptions{2, reference_only});
    Tensor y = exec.run({x}).at(0);
    ASSERT_EQ(y.shape(), want.shape());
    const double err = scaled_max_error(y, want);
    EXPECT_LE(err, 1e-4);
    RecordProperty(reference_only ? "rel_err_reference" : "rel_err_fast", std::to_string(err));
  }
  // The batch dimension is dynamic: a batch of 1 gives the first row.
  Tensor x1 = Tensor::empty(DType::f32, [&] { Shape s = x.shape(); s[0] = 1; return s; }());
  std::memcpy(x1.raw(), x.raw(), x1.nbytes());
  EagerExecutor exec(g, RunOptions{1, false});
  Tensor y1 = exec.run({x1}).at(0);
  Tensor want1 = Tensor::empty(DType::f32, y1.shape());
  std::memcpy(want1.raw(), want.raw(), want1.nbytes());
  EXPECT_LE(scaled_max_error(y1, want1), 1e-4);
}

INSTANTIATE_TEST_SUITE_P(Families, ParityFixture, ::testing::ValuesIn(parity_fixture_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ecoinfer::test
