// .npy files of every element type the engine has round-trip unchanged; float16 and
// bfloat16 use the headers numpy and ml_dtypes write (issue 17). The expected headers are
// NumPy's own format ('<f2' for float16; ml_dtypes' bfloat16 as 'bfloat16' or, from plain
// np.save, two-byte void '<V2').
#include <gtest/gtest.h>

#include <fstream>

#include "data/npy.h"
#include "ops/case_util.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

class NpyTypes : public ::testing::Test {
 protected:
  // A version-1 .npy file with `descr` and two 2-byte elements.
  fs::path write_raw(const std::string& descr, uint16_t a, uint16_t b) {
    std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2,), }";
    header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    const fs::path p = dir_ / (descr + ".npy");
    std::ofstream out(p, std::ios::binary);
    out.write("\x93NUMPY\x01\x00", 8);
    const char len[2] = {static_cast<char>(header.size() & 0xff), static_cast<char>(header.size() >> 8)};
    out.write(len, 2);
    out << header;
    const uint16_t v[2] = {a, b};
    out.write(reinterpret_cast<const char*>(v), sizeof v);
    return p;
  }
  TempDir dir_;
};

TEST_F(NpyTypes, EveryTypeRoundTrips) {
  const std::vector<Tensor> tensors = {
      f32({2}, {1.5f, -2}), f64({1}, {3.25}), i64({2}, {kI64Min, 7}), i32({1}, {-9}), typed<int16_t>({2}, {-300, 5}),
      u8({2}, {0, 255}), i8({1}, {-128}), b8({3}, {1, 0, 1}), bits16(DType::f16, {2}, {0x3c00, 0xc000}),
      bits16(DType::bf16, {1, 2}, {0x3f80, 0x4049})};
  for (const Tensor& t : tensors) {
    SCOPED_TRACE(std::string(dtype_name(t.dtype())));
    const fs::path p = dir_ / "t.npy";
    write_npy(p, t);
    const Tensor r = read_npy(p);
    ASSERT_EQ(r.dtype(), t.dtype());
    ASSERT_EQ(r.shape(), t.shape());
    EXPECT_EQ(std::memcmp(r.raw(), t.raw(), t.nbytes()), 0);
  }
}

TEST_F(NpyTypes, HalfAndBfloat16HeadersAsNumpyAndMlDtypesWriteThem) {
  Tensor h = read_npy(write_raw("<f2", 0x3c00, 0x7c00));  // 1.0, +inf
  EXPECT_EQ(h.dtype(), DType::f16);
  for (const char* descr : {"bfloat16", "<V2", "|V2"}) {
    Tensor b = read_npy(write_raw(descr, 0x3f80, 0xc000));  // 1.0, -2.0
    EXPECT_EQ(b.dtype(), DType::bf16) << descr;
    EXPECT_EQ(static_cast<const uint16_t*>(b.raw())[1], 0xc000) << descr;
  }
  // The header written for bfloat16 is the one np.load understands once ml_dtypes is imported.
  write_npy(dir_ / "b.npy", bits16(DType::bf16, {1}, {0x3f80}));
  std::ifstream in(dir_ / "b.npy", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(bytes.find("'descr': 'bfloat16'"), std::string::npos) << bytes;
}

TEST_F(NpyTypes, UnknownTypesNameTheFileAndTheType) {
  try {
    read_npy(write_raw("<u2", 1, 2));
    FAIL() << "uint16 accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("<u2.npy"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'<u2'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ecoinfer::test
