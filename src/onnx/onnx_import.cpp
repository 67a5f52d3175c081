#include "onnx/onnx_import.h"

#include <google/protobuf/io/coded_stream.h>
#include <onnx/onnx_pb.h>

#include <charconv>
#include <cstring>
#include <fstream>

#include "ops/registry.h"

namespace ecoinfer {

namespace fs = std::filesystem;

// core/dtype.h spells ONNX's TensorProto codes without including ONNX; they must agree.
static_assert(kOnnxFloat == onnx::TensorProto::FLOAT && kOnnxUint8 == onnx::TensorProto::UINT8 &&
              kOnnxInt8 == onnx::TensorProto::INT8 && kOnnxInt16 == onnx::TensorProto::INT16 &&
              kOnnxInt32 == onnx::TensorProto::INT32 && kOnnxInt64 == onnx::TensorProto::INT64 &&
              kOnnxBool == onnx::TensorProto::BOOL && kOnnxFloat16 == onnx::TensorProto::FLOAT16 &&
              kOnnxDouble == onnx::TensorProto::DOUBLE && kOnnxBfloat16 == onnx::TensorProto::BFLOAT16);

namespace {

struct Ctx {
  std::string origin;
  fs::path base_dir;
  fs::path data_root;  // external data must resolve inside it; empty: base_dir
};

// A non-negative decimal integer from an external_data entry (ONNX stores them as strings).
int64_t external_int(const Ctx& c, const onnx::TensorProto& tp, const std::string& key, const std::string& text) {
  int64_t v = -1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  ECO_CHECK(!text.empty() && ec == std::errc() && ptr == end && v >= 0,
            "{}: initializer '{}': external data field '{}' must be a non-negative integer below 2^63, got '{}'",
            c.origin, tp.name(), key, text);
  return v;
}

// The external data file, resolved through symbolic links: it must be a regular file (not
// a FIFO, device or folder, which could hang or flood the reader) whose real path lies
// inside the model folder's real path (a link to /etc/passwd must not be read).
fs::path external_file(const Ctx& c, const onnx::TensorProto& tp, const std::string& location) {
  ECO_CHECK(!location.empty(), "{}: initializer '{}' has external data without a location", c.origin, tp.name());
  ECO_CHECK(!c.base_dir.empty(), "{}: initializer '{}' refers to external data '{}' but the model was not loaded from a file",
            c.origin, tp.name(), location);
  ECO_CHECK(location.find('\0') == std::string::npos, "{}: initializer '{}': external data location holds a NUL byte",
            c.origin, tp.name());
  const fs::path rel(location);
  ECO_CHECK(!rel.is_absolute() && rel.lexically_normal().string().rfind("..", 0) != 0,
            "{}: initializer '{}': external data path '{}' must stay inside the model folder", c.origin, tp.name(), location);
  const fs::path p = c.base_dir / rel;
  std::error_code ec;
  const fs::path& root = c.data_root.empty() ? c.base_dir : c.data_root;
  const fs::path base_real = fs::canonical(root, ec);
  ECO_CHECK(!ec, "{}: cannot resolve the model folder {}: {}", c.origin, root.string(), ec.message());
  const fs::path real = fs::canonical(p, ec);
  ECO_CHECK(!ec, "{}: initializer '{}': external data file {} cannot be resolved: {}", c.origin, tp.name(), p.string(),
            ec.message());
  const std::string inside = real.lexically_relative(base_real).string();
  ECO_CHECK(!inside.empty() && inside.rfind("..", 0) != 0,
            "{}: initializer '{}': external data file {} resolves to {}, outside the model folder {}", c.origin,
            tp.name(), p.string(), real.string(), base_real.string());
  const fs::file_status st = fs::status(real, ec);
  ECO_CHECK(!ec && fs::is_regular_file(st), "{}: initializer '{}': external data {} is not a regular file{}", c.origin,
            tp.name(), p.string(), fs::is_directory(st) ? " (it is a folder)" : "");
  return real;
}

std::string read_external(const Ctx& c, const onnx::TensorProto& tp, size_t want) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (auto& kv : tp.external_data()) {
    if (kv.key() == "location") location = kv.value();
    else if (kv.key() == "offset") offset = external_int(c, tp, "offset", kv.value());
    else if (kv.key() == "length") length = external_int(c, tp, "length", kv.value());
  }
  const fs::path p = external_file(c, tp, location);
  std::error_code ec;
  const auto size = fs::file_size(p, ec);
  ECO_CHECK(!ec, "{}: initializer '{}': cannot read the size of {}: {}", c.origin, tp.name(), p.string(), ec.message());
  const int64_t file_size = static_cast<int64_t>(size);
  if (length < 0) length = static_cast<int64_t>(want);
  int64_t end = 0;
  ECO_CHECK(!__builtin_add_overflow(offset, length, &end) && end <= file_size,
            "{}: initializer '{}': external data range offset {} + length {} is outside {} ({} bytes)", c.origin,
            tp.name(), offset, length, p.string(), file_size);
  ECO_CHECK(static_cast<size_t>(length) == want, "{}: initializer '{}': external data holds {} bytes, shape needs {}",
            c.origin, tp.name(), length, want);
  std::ifstream f(p, std::ios::binary);
  ECO_CHECK(f.good(), "{}: initializer '{}': cannot open external data file {}", c.origin, tp.name(), p.string());
  std::string buf(static_cast<size_t>(length), '\0');
  f.seekg(offset);
  f.read(buf.data(), length);
  ECO_CHECK(f.good(), "{}: initializer '{}': short read from {} (the file changed while reading?)", c.origin, tp.name(),
            p.string());
  return buf;
}

template <typename Dst, typename Src>
void copy_typed(Tensor& t, const Src& field, const std::string& what) {
  ECO_CHECK(static_cast<int64_t>(field.size()) == t.numel(), "{}: holds {} values, shape {} needs {}", what,
            field.size(), shape_str(t.shape()), t.numel());
  Dst* d = static_cast<Dst*>(t.raw());
  for (int i = 0; i < field.size(); ++i) d[i] = static_cast<Dst>(field.Get(i));
}

Tensor convert_tensor(const Ctx& c, const onnx::TensorProto& tp, const std::string& what) {
  ECO_CHECK(!tp.has_segment(), "{}: segmented tensors are not supported", what);
  DType dt = dtype_from_onnx(tp.data_type(), what);
  Shape shape(tp.dims().begin(), tp.dims().end());
  for (int64_t d : shape) ECO_CHECK(d >= 0, "{}: negative dimension in {}", what, shape_str(shape));
  // Guard the product before allocating: a corrupt file can claim absurd sizes.
  long double total = 1;
  for (int64_t d : shape) total *= static_cast<long double>(d);
  ECO_CHECK(total <= static_cast<long double>(int64_t{1} << 34), "{}: shape {} is too large", what, shape_str(shape));
  const int64_t numel = shape_numel(shape);
  const size_t want = static_cast<size_t>(numel) * dtype_size(dt);
  // Check the data against the claimed shape before allocating: a corrupt file must not
  // make us allocate gigabytes for a tensor it does not hold.
  if (tp.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string buf = read_external(c, tp, want);
    Tensor t = Tensor::empty(dt, shape);
    std::memcpy(t.raw(), buf.data(), want);
    return t;
  }
  if (tp.has_raw_data()) {
    ECO_CHECK(tp.raw_data().size() == want, "{}: raw_data holds {} bytes, shape {} of {} needs {}", what,
              tp.raw_data().size(), shape_str(shape), dtype_name(dt), want);
    Tensor t = Tensor::empty(dt, shape);
    if (want) std::memcpy(t.raw(), tp.raw_data().data(), want);
    return t;
  }
  int64_t have = 0;
  switch (dt) {
    case DType::f32: have = tp.float_data_size(); break;
    case DType::f64: have = tp.double_data_size(); break;
    case DType::i64: have = tp.int64_data_size(); break;
    default: have = tp.int32_data_size(); break;
  }
  ECO_CHECK(have == numel, "{}: holds {} values, shape {} needs {}", what, have, shape_str(shape), numel);
  Tensor t = Tensor::empty(dt, shape);
  switch (dt) {
    case DType::f32: copy_typed<float>(t, tp.float_data(), what); break;
    case DType::f64: copy_typed<double>(t, tp.double_data(), what); break;
    case DType::i64: copy_typed<int64_t>(t, tp.int64_data(), what); break;
    case DType::i32: copy_typed<int32_t>(t, tp.int32_data(), what); break;
    case DType::i16: copy_typed<int16_t>(t, tp.int32_data(), what); break;
    case DType::i8: copy_typed<int8_t>(t, tp.int32_data(), what); break;
    case DType::u8: copy_typed<uint8_t>(t, tp.int32_data(), what); break;
    case DType::boolean: copy_typed<bool>(t, tp.int32_data(), what); break;
    case DType::f16:
    case DType::bf16: copy_typed<uint16_t>(t, tp.int32_data(), what); break;
  }
  return t;
}

ValueInfo convert_value_info(const Ctx& c, const onnx::ValueInfoProto& vi) {
  ValueInfo v;
  v.name = vi.name();
  if (!vi.has_type()) return v;
  ECO_CHECK(vi.type().has_tensor_type(), "{}: value '{}' is not a tensor (sequences and maps are not supported)",
            c.origin, vi.name());
  const auto& tt = vi.type().tensor_type();
  v.dtype = dtype_from_onnx(tt.elem_type(), fmt::format("{}: value '{}'", c.origin, vi.name()));
  if (tt.has_shape()) {
    v.has_shape = true;
    for (auto& d : tt.shape().dim()) {
      Dim dim;
      if (d.has_dim_value()) {
        // A negative size is no size at all: reject it rather than show it as dynamic.
        ECO_CHECK(d.dim_value() >= 0, "{}: value '{}' declares dimension {} of size {}; sizes must be >= 0 (leave the "
                  "dimension symbolic if it is dynamic)", c.origin, vi.name(), v.shape.size(), d.dim_value());
        dim.value = d.dim_value();
      }
      if (d.has_dim_param()) dim.symbol = d.dim_param();
      v.shape.push_back(dim);
    }
  }
  return v;
}

Attribute convert_attribute(const Ctx& c, const onnx::AttributeProto& a, const std::string& node_desc) {
  Attribute r;
  const std::string what = fmt::format("{}: {} attribute '{}'", c.origin, node_desc, a.name());
  switch (a.type()) {
    case onnx::AttributeProto::INT: r.kind = Attribute::Kind::i; r.i = a.i(); break;
    case onnx::AttributeProto::FLOAT: r.kind = Attribute::Kind::f; r.f = a.f(); break;
    case onnx::AttributeProto::STRING: r.kind = Attribute::Kind::s; r.s = a.s(); break;
    case onnx::AttributeProto::INTS:
      r.kind = Attribute::Kind::ints;
      r.ints.assign(a.ints().begin(), a.ints().end());
      break;
    case onnx::AttributeProto::FLOATS:
      r.kind = Attribute::Kind::floats;
      r.floats.assign(a.floats().begin(), a.floats().end());
      break;
    case onnx::AttributeProto::STRINGS:
      r.kind = Attribute::Kind::strings;
      r.strings.assign(a.strings().begin(), a.strings().end());
      break;
    case onnx::AttributeProto::TENSOR:
      r.kind = Attribute::Kind::tensor;
      r.t = convert_tensor(c, a.t(), what);
      break;
    default: fail("{}: attribute type {} (graphs, sparse tensors, type protos) is not supported", what, static_cast<int>(a.type()));
  }
  return r;
}

// Constant nodes become initializers so that every later stage sees constants one way.
bool constant_to_initializer(const Ctx& c, const onnx::NodeProto& n, Graph& g) {
  if (n.op_type() != "Constant" || !(n.domain().empty() || n.domain() == "ai.onnx")) return false;
  const std::string desc = fmt::format("{}: Constant node '{}'", c.origin, n.name());
  ECO_CHECK(n.output_size() == 1 && n.attribute_size() == 1, "{}: must have one output and one attribute", desc);
  const auto& a = n.attribute(0);
  Tensor t;
  if (a.name() == "value") t = convert_tensor(c, a.t(), desc);
  else if (a.name() == "value_float") t = Tensor::scalar<float>(a.f());
  else if (a.name() == "value_int") t = Tensor::scalar<int64_t>(a.i());
  else if (a.name() == "value_floats") t = Tensor::from<float>({a.floats_size()}, std::vector<float>(a.floats().begin(), a.floats().end()));
  else if (a.name() == "value_ints") t = Tensor::from<int64_t>({a.ints_size()}, std::vector<int64_t>(a.ints().begin(), a.ints().end()));
  else fail("{}: attribute '{}' is not supported", desc, a.name());
  ECO_CHECK(!g.initializers.count(n.output(0)), "{}: output '{}' is already defined", desc, n.output(0));
  g.initializers[n.output(0)] = std::move(t);
  return true;
}

Graph convert_model(const Ctx& c, const onnx::ModelProto& m) {
  Graph g;
  ECO_CHECK(m.has_graph(), "{}: the file holds no graph (is it an ONNX model?)", c.origin);
  g.producer = m.producer_name();
  for (auto& op : m.opset_import())
    if (op.domain().empty() || op.domain() == "ai.onnx") g.opset = op.version();
  ECO_CHECK(g.opset != 0 || m.opset_import_size() == 0, "{}: no default-domain opset is imported", c.origin);
  if (g.opset == 0) g.opset = 1;
  // Opsets 1-6 differ in a few ops, handled where they read `_opset`: legacy broadcast of
  // binary ops (broadcast/axis attributes), PRelu's per-channel slope, Upsample (docs/conformance.md).
  ECO_CHECK(g.opset >= 1 && g.opset <= 21, "{}: opset {} is not supported (ecoinfer reads opsets 1 to 21, tested on 6 to 17)",
            c.origin, g.opset);
  const auto& gp = m.graph();
  g.name = gp.name();
  for (auto& init : gp.initializer()) {
    ECO_CHECK(!init.name().empty(), "{}: an initializer has no name", c.origin);
    g.initializers[init.name()] = convert_tensor(c, init, fmt::format("{}: initializer '{}'", c.origin, init.name()));
  }
  ECO_CHECK(gp.sparse_initializer_size() == 0, "{}: sparse initializers are not supported", c.origin);
  for (auto& in : gp.input())
    if (!g.initializers.count(in.name())) g.inputs.push_back(convert_value_info(c, in));
  for (auto& out : gp.output()) g.outputs.push_back(convert_value_info(c, out));
  for (auto& vi : gp.value_info()) g.value_info[vi.name()] = convert_value_info(c, vi);
  int index = 0;
  for (auto& np : gp.node()) {
    ++index;
    if (constant_to_initializer(c, np, g)) continue;
    Node n;
    n.name = np.name().empty() ? fmt::format("{}_{}", np.op_type(), index) : np.name();
    n.op_type = np.op_type();
    n.domain = np.domain() == "ai.onnx" ? "" : np.domain();
    ECO_CHECK(!n.op_type.empty(), "{}: node #{} has no op_type", c.origin, index);
    n.inputs.assign(np.input().begin(), np.input().end());
    n.outputs.assign(np.output().begin(), np.output().end());
    for (auto& a : np.attribute()) n.attrs[a.name()] = convert_attribute(c, a, n.describe());
    // Ops whose semantics changed across opsets (Softmax < 13, Squeeze axes, ...) read this.
    if (n.domain.empty()) n.attrs["_opset"] = Attribute{Attribute::Kind::i, g.opset};
    g.nodes.push_back(std::move(n));
  }
  ECO_CHECK(!g.outputs.empty(), "{}: the graph declares no outputs", c.origin);
  try {
    verify_graph(g);
  } catch (const Error& e) {
    fail("{}: {}", c.origin, e.what());
  }
  return g;
}

// The whole file, checked to exist, be regular, non-empty and under protobuf's 2 GiB limit
// (`too_large_hint` ends that message); errors name the file.
std::string read_protobuf_file(const fs::path& file, std::string_view too_large_hint) {
  std::error_code ec;
  ECO_CHECK(fs::exists(file, ec), "{}: no such file", file.string());
  ECO_CHECK(fs::is_regular_file(file, ec), "{}: not a regular file", file.string());
  // Size before reading: protobuf cannot parse more than 2 GiB, so do not read it.
  const auto size = fs::file_size(file, ec);
  ECO_CHECK(!ec, "{}: cannot read the file size: {}", file.string(), ec.message());
  ECO_CHECK(size <= INT32_MAX, "{}: the file is {} bytes{}", file.string(), size, too_large_hint);
  ECO_CHECK(size > 0, "{}: the file is empty", file.string());
  std::ifstream f(file, std::ios::binary);
  ECO_CHECK(f.good(), "{}: cannot open for reading", file.string());
  std::string bytes(static_cast<size_t>(size), '\0');
  f.read(bytes.data(), static_cast<std::streamsize>(size));
  ECO_CHECK(f.gcount() == static_cast<std::streamsize>(size), "{}: short read (the file changed while reading?)",
            file.string());
  return bytes;
}

}  // namespace

Graph load_onnx_bytes(const void* data, size_t size, const std::string& origin, const fs::path& base_dir,
                      const fs::path& data_root) {
  onnx::ModelProto m;
  google::protobuf::io::CodedInputStream in(static_cast<const uint8_t*>(data), static_cast<int>(std::min<size_t>(size, INT32_MAX)));
  in.SetTotalBytesLimit(INT32_MAX);
  ECO_CHECK(size <= INT32_MAX, "{}: files over 2 GiB must keep their weights as external data", origin);
  ECO_CHECK(m.ParseFromCodedStream(&in) && in.ConsumedEntireMessage(),
            "{}: not a valid ONNX model (the protobuf is truncated or corrupt)", origin);
  return convert_model(Ctx{origin, base_dir, data_root}, m);
}

Tensor load_onnx_tensor_bytes(const std::string& bytes, const std::string& origin) {
  onnx::TensorProto tp;
  ECO_CHECK(tp.ParseFromString(bytes), "{}: not a serialized ONNX TensorProto (truncated or corrupt)", origin);
  return convert_tensor(Ctx{origin, {}}, tp, origin);
}

Tensor load_onnx_tensor(const fs::path& file) {
  return load_onnx_tensor_bytes(read_protobuf_file(file, ", over protobuf's 2 GiB limit"), file.string());
}

Graph load_onnx(const fs::path& file, const fs::path& data_root) {
  std::string bytes = read_protobuf_file(file, "; files over 2 GiB must keep their weights as external data");
  Graph g = load_onnx_bytes(bytes.data(), bytes.size(), file.string(), file.parent_path().empty() ? fs::path(".") : file.parent_path(),
                            data_root);
  g.source = file.string();
  return g;
}

}  // namespace ecoinfer
