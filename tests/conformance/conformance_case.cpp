#include <algorithm>
#include <cmath>
#include <cstring>
#include <regex>

#include "conformance/conformance.h"

#include <onnx/onnx_pb.h>

#include <fstream>
#include <sstream>
#include "onnx/onnx_import.h"
#include "ops/op_util.h"
#include "runtime/executor.h"

namespace ecoinfer::conformance {

namespace fs = std::filesystem;

std::string_view status_name(Status s) {
  switch (s) {
    case Status::pass: return "pass";
    case Status::wrong: return "wrong";
    case Status::unsupported: return "unsupported";
    case Status::crash: return "crash";
  }
  return "?";
}

std::vector<Case> discover_cases(const fs::path& root, const std::vector<std::string>& suites) {
  std::vector<Case> cases;
  for (const std::string& suite : suites) {
    const fs::path dir = root / suite;
    std::error_code ec;
    ECO_CHECK(fs::is_directory(dir, ec), "{}: no such folder (install Debian's libonnx-testdata: "
              "scripts/install-deps.sh)", dir.string());
    std::vector<Case> here;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_directory() && fs::exists(e.path() / "model.onnx"))
        here.push_back(Case{suite + "/" + e.path().filename().string(), e.path()});
    std::sort(here.begin(), here.end(), [](const Case& a, const Case& b) { return a.id < b.id; });
    ECO_CHECK(!here.empty(), "{}: holds no test cases", dir.string());
    cases.insert(cases.end(), here.begin(), here.end());
  }
  return cases;
}

namespace {

// Files `prefix`_0.pb, `prefix`_1.pb, ... of a data set in index order (the names carry the
// graph input/output position; sorting by text would put _10 before _2).
std::vector<fs::path> numbered_files(const fs::path& dir, const std::string& prefix) {
  std::vector<std::pair<int, fs::path>> found;
  const std::regex re(prefix + "_([0-9]+)\\.pb");
  for (const auto& e : fs::directory_iterator(dir)) {
    std::smatch m;
    const std::string name = e.path().filename().string();
    if (std::regex_match(name, m, re)) found.emplace_back(std::stoi(m[1].str()), e.path());
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> files;
  for (size_t i = 0; i < found.size(); ++i) {
    ECO_CHECK(found[i].first == static_cast<int>(i), "{}: {}_{}.pb is missing", dir.string(), prefix, i);
    files.push_back(found[i].second);
  }
  return files;
}

std::vector<fs::path> data_sets(const fs::path& case_dir) {
  std::vector<fs::path> sets;
  for (const auto& e : fs::directory_iterator(case_dir))
    if (e.is_directory() && e.path().filename().string().rfind("test_data_set_", 0) == 0) sets.push_back(e.path());
  std::sort(sets.begin(), sets.end());
  ECO_CHECK(!sets.empty(), "{}: no test_data_set_* folder", case_dir.string());
  return sets;
}

// A data set tensor for a graph value declared `declared`. ONNX stores bfloat16 test data as
// uint16 arrays (numpy has no bfloat16; onnx/backend/test/case/node/cast.py): the bits are
// the bfloat16 values, so a UINT16 tensor for a bfloat16 value is read as bfloat16.
Tensor load_data_tensor(const fs::path& file, DType declared) {
  std::ifstream in(file, std::ios::binary);
  ECO_CHECK(in.good(), "{}: cannot open", file.string());
  std::stringstream ss;
  ss << in.rdbuf();
  std::string bytes = ss.str();
  onnx::TensorProto tp;
  if (declared == DType::bf16 && tp.ParseFromString(bytes) && tp.data_type() == onnx::TensorProto::UINT16) {
    tp.set_data_type(onnx::TensorProto::BFLOAT16);
    bytes = tp.SerializeAsString();
  }
  return load_onnx_tensor_bytes(bytes, file.string());
}

// Element i of a floating tensor as double (float16 and bfloat16 widened exactly).
double float_at(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::f32: return t.data<float>()[i];
    case DType::f64: return t.data<double>()[i];
    case DType::f16: return ops::half_to_float(static_cast<const uint16_t*>(t.raw())[i]);
    case DType::bf16: return ops::bf16_to_float(static_cast<const uint16_t*>(t.raw())[i]);
    default: fail("float_at: {} is not a floating type", dtype_name(t.dtype()));
  }
}

bool close(double got, double want, const Tolerance& tol) {
  if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got);
  if (std::isinf(want) || std::isinf(got)) return got == want;
  return std::fabs(got - want) <= tol.atol + tol.rtol * std::fabs(want);
}

}  // namespace

std::string compare_output(const Tensor& got, const Tensor& want, const Tolerance& tol) {
  if (got.dtype() != want.dtype())
    return fmt::format("type {}, expected {}", dtype_name(got.dtype()), dtype_name(want.dtype()));
  if (got.shape() != want.shape())
    return fmt::format("shape {}, expected {}", shape_str(got.shape()), shape_str(want.shape()));
  const int64_t n = want.numel();
  if (dtype_is_float(want.dtype())) {
    for (int64_t i = 0; i < n; ++i) {
      const double g = float_at(got, i), w = float_at(want, i);
      if (!close(g, w, tol))
        return fmt::format("element {} is {:.9g}, expected {:.9g} (|diff| {:.3g} > atol {:.0e} + rtol {:.0e} * |expected|)",
                           i, g, w, std::fabs(g - w), tol.atol, tol.rtol);
    }
    return {};
  }
  // Integers and booleans: bit-exact, reported as integers.
  const size_t size = dtype_size(want.dtype());
  const auto* pg = static_cast<const uint8_t*>(got.raw());
  const auto* pw = static_cast<const uint8_t*>(want.raw());
  for (int64_t i = 0; i < n; ++i)
    if (std::memcmp(pg + i * size, pw + i * size, size) != 0) {
      const auto gv = got.to_i64_vector(), wv = want.to_i64_vector();
      return fmt::format("element {} is {}, expected {}", i, gv[i], wv[i]);
    }
  return {};
}

Result run_case(const Case& c, const Tolerance& tol) {
  try {
    Graph g = load_onnx(c.dir / "model.onnx");
    for (const fs::path& set : data_sets(c.dir)) {
      std::vector<Tensor> inputs, expected;
      const auto input_files = numbered_files(set, "input"), output_files = numbered_files(set, "output");
      ECO_CHECK(input_files.size() == g.inputs.size() && output_files.size() == g.outputs.size(),
                "{}: {} inputs and {} outputs for the graph's {} and {}", set.string(), input_files.size(),
                output_files.size(), g.inputs.size(), g.outputs.size());
      for (size_t i = 0; i < input_files.size(); ++i) inputs.push_back(load_data_tensor(input_files[i], g.inputs[i].dtype));
      for (size_t i = 0; i < output_files.size(); ++i)
        expected.push_back(load_data_tensor(output_files[i], g.outputs[i].dtype));
      for (const bool reference : {false, true}) {
        const char* kernels = reference ? "reference kernels" : "fast kernels";
        auto exec = make_executor(g, ExecutorKind::eager, RunOptions{.threads = 1, .reference_only = reference});
        std::vector<Tensor> out = exec->run(inputs);
        ECO_CHECK(out.size() == expected.size(), "{} outputs, the graph declares {}", out.size(), expected.size());
        for (size_t o = 0; o < out.size(); ++o)
          if (std::string why = compare_output(out[o], expected[o], tol); !why.empty())
            return Result{Status::wrong, fmt::format("{}: output {} '{}': {}", kernels, o, g.outputs[o].name, why)};
      }
    }
    return Result{};
  } catch (const Error& e) {
    return Result{Status::unsupported, e.what()};
  } catch (const std::exception& e) {
    return Result{Status::crash, fmt::format("uncaught exception (not an ecoinfer::Error): {}", e.what())};
  }
}

}  // namespace ecoinfer::conformance
