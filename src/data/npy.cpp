#include "data/npy.h"

#include <cstring>
#include <fstream>
#include <regex>

#include "data/checked_file.h"

namespace ecoinfer {

namespace {
struct Descr {
  DType dtype;
  size_t size;
};
Descr parse_descr(const std::string& d, const std::string& file) {
  // bfloat16 has no numpy type code: ml_dtypes' arrays save as 'bfloat16' when the header is
  // written from str(dtype), and as two-byte void ('<V2') by plain np.save; both read as bfloat16.
  static const std::pair<const char*, DType> table[] = {
      {"<f4", DType::f32},     {"<f8", DType::f64},     {"<i8", DType::i64},      {"<i4", DType::i32},
      {"<i2", DType::i16},     {"|u1", DType::u8},      {"|i1", DType::i8},       {"|b1", DType::boolean},
      {"<f2", DType::f16},     {"bfloat16", DType::bf16}, {"<V2", DType::bf16}, {"|V2", DType::bf16}};
  for (auto& [s, t] : table)
    if (d == s) return {t, dtype_size(t)};
  fail("{}: unsupported array dtype '{}' (expected little-endian float32, float64, float16, bfloat16, int64, int32, "
       "int16, uint8, int8, bool)", file, d);
}
}  // namespace

Tensor read_npy(const std::filesystem::path& file) {
  const std::string f = file.string();
  // The type is checked before reading and the data size against the file's size before
  // allocating: a header cannot make us allocate more than the file holds.
  CheckedFile in(file, kMaxNpyFileBytes, "NumPy .npy file");
  char magic[8] = {};
  ECO_CHECK(in.read_some(magic, 8) == 8 && std::memcmp(magic, "\x93NUMPY", 6) == 0, "{}: not a NumPy .npy file", f);
  const int major = static_cast<unsigned char>(magic[6]);
  uint32_t hlen = 0;
  size_t header_start = 10;
  if (major == 1) {
    unsigned char b[2];
    in.read_exact(b, 2);
    hlen = b[0] | (b[1] << 8);
  } else {
    ECO_CHECK(major == 2 || major == 3, "{}: unsupported .npy version {}", f, major);
    unsigned char b[4];
    in.read_exact(b, 4);
    hlen = b[0] | (b[1] << 8) | (b[2] << 16) | (uint32_t(b[3]) << 24);
    header_start = 12;
  }
  ECO_CHECK(hlen < (1u << 20), "{}: corrupt .npy header", f);
  std::string header(hlen, '\0');
  ECO_CHECK(in.read_some(header.data(), hlen) == hlen, "{}: truncated .npy header", f);
  std::smatch m;
  ECO_CHECK(std::regex_search(header, m, std::regex("'descr'\\s*:\\s*'([^']*)'")), "{}: .npy header has no descr", f);
  Descr d = parse_descr(m[1].str(), f);
  ECO_CHECK(std::regex_search(header, m, std::regex("'fortran_order'\\s*:\\s*(True|False)")),
            "{}: .npy header has no fortran_order", f);
  ECO_CHECK(m[1].str() == "False", "{}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray", f);
  ECO_CHECK(std::regex_search(header, m, std::regex("'shape'\\s*:\\s*\\(([^)]*)\\)")), "{}: .npy header has no shape", f);
  Shape shape;
  std::string dims = m[1].str();
  std::regex num("\\d+");
  uint64_t bytes = d.size;
  bool overflow = false;
  for (auto it = std::sregex_iterator(dims.begin(), dims.end(), num); it != std::sregex_iterator(); ++it) {
    ECO_CHECK(it->str().size() < 12, "{}: dimension {} is too large", f, it->str());
    shape.push_back(std::stoll(it->str()));
    const uint64_t dim = static_cast<uint64_t>(shape.back());
    if (dim != 0 && bytes > UINT64_MAX / dim) overflow = true;
    else bytes *= dim;
  }
  const uint64_t data_bytes = in.size() - header_start - hlen;
  ECO_CHECK(!overflow && bytes == data_bytes, "{}: holds {} data bytes, shape {} needs {}", f, data_bytes,
            shape_str(shape), overflow ? std::string("more than 2^64") : std::to_string(bytes));
  Tensor t = Tensor::empty(d.dtype, shape);
  in.read_exact(t.raw(), t.nbytes());
  return t;
}

void write_npy(const std::filesystem::path& file, const Tensor& t) {
  const char* descr = nullptr;
  switch (t.dtype()) {
    case DType::f32: descr = "<f4"; break;
    case DType::f64: descr = "<f8"; break;
    case DType::i64: descr = "<i8"; break;
    case DType::i32: descr = "<i4"; break;
    case DType::u8: descr = "|u1"; break;
    case DType::i8: descr = "|i1"; break;
    case DType::boolean: descr = "|b1"; break;
    case DType::i16: descr = "<i2"; break;
    case DType::f16: descr = "<f2"; break;
    case DType::bf16: descr = "bfloat16"; break;  // np.load reads it once ml_dtypes is imported
    default: fail("{}: cannot write a {} tensor as .npy", file.string(), dtype_name(t.dtype()));
  }
  std::string shape = "(";
  for (int i = 0; i < t.rank(); ++i) shape += (i ? ", " : "") + std::to_string(t.dim(i));
  shape += t.rank() == 1 ? ",)" : ")";
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", descr, shape);
  // Pad so that the data starts on a 64-byte boundary, newline-terminated.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::ofstream out(file, std::ios::binary);
  ECO_CHECK(out.good(), "{}: cannot open for writing", file.string());
  out.write("\x93NUMPY\x01\x00", 8);
  const uint16_t len = static_cast<uint16_t>(header.size());
  const char lb[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
  out.write(lb, 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(static_cast<const char*>(t.raw()), static_cast<std::streamsize>(t.nbytes()));
  ECO_CHECK(out.good(), "{}: write failed", file.string());
}

}  // namespace ecoinfer
