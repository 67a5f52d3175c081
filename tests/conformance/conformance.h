#pragma once
// ONNX's backend conformance cases (Debian's libonnx-testdata) read directly: each case is a
// folder with model.onnx and test_data_set_*/{input,output}_*.pb (serialized TensorProtos).
// Every input is fed as given, every output is checked, with the fast kernels and with the
// reference kernels (docs/conformance.md).
#include <filesystem>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace ecoinfer::conformance {

enum class Status { pass, wrong, unsupported, crash };
std::string_view status_name(Status s);

struct Case {
  std::string id;  // "suite/case", e.g. "node/test_relu"
  std::filesystem::path dir;
};

// The cases of `suites` (sub-folders of `root`), sorted by name within each suite. A suite
// folder that does not exist is an error (the test data must be installed).
std::vector<Case> discover_cases(const std::filesystem::path& root, const std::vector<std::string>& suites);

// ONNX's backend tests (onnx/backend/test/runner): numpy.testing.assert_allclose with
// rtol 1e-3, atol 1e-7 for floating outputs; exact equality for integers and booleans.
struct Tolerance {
  double rtol = 1e-3;
  double atol = 1e-7;
};

// "" when `got` matches `want` (dtype, shape, every element: |got - want| <= atol + rtol |want|,
// NaN matches NaN, an infinity matches the same infinity); else what differs, with the first
// offending element.
std::string compare_output(const Tensor& got, const Tensor& want, const Tolerance& tol);

struct Result {
  Status status = Status::pass;
  std::string detail;  // why, for anything but pass
};

// Loads the case and runs every data set with fast kernels and with reference kernels
// (eager executor, 1 thread). An ecoinfer::Error is `unsupported` (its message is the
// reason); any other exception is `crash`; a mismatch is `wrong`. Signals are the caller's
// business (the runner isolates cases in a child process).
Result run_case(const Case& c, const Tolerance& tol);

}  // namespace ecoinfer::conformance
