#include "onnx/onnx_export.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "onnx/onnx_import.h"

namespace ecoinfer {

namespace {

void to_tensor_proto(const std::string& name, const Tensor& t, onnx::TensorProto* tp) {
  tp->set_name(name);
  tp->set_data_type(dtype_to_onnx(t.dtype()));
  for (int64_t d : t.shape()) tp->add_dims(d);
  if (t.nbytes()) tp->set_raw_data(t.raw(), t.nbytes());
}

void to_value_info(const ValueInfo& v, onnx::ValueInfoProto* vp) {
  vp->set_name(v.name);
  auto* tt = vp->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(dtype_to_onnx(v.dtype));
  if (!v.has_shape) return;
  auto* shape = tt->mutable_shape();
  for (const Dim& d : v.shape) {
    auto* dp = shape->add_dim();
    if (d.known()) dp->set_dim_value(d.value);
    else if (!d.symbol.empty()) dp->set_dim_param(d.symbol);
  }
}

void to_attribute(const std::string& name, const Attribute& a, onnx::AttributeProto* ap) {
  ap->set_name(name);
  switch (a.kind) {
    case Attribute::Kind::i: ap->set_type(onnx::AttributeProto::INT); ap->set_i(a.i); break;
    case Attribute::Kind::f: ap->set_type(onnx::AttributeProto::FLOAT); ap->set_f(a.f); break;
    case Attribute::Kind::s: ap->set_type(onnx::AttributeProto::STRING); ap->set_s(a.s); break;
    case Attribute::Kind::ints:
      ap->set_type(onnx::AttributeProto::INTS);
      for (int64_t v : a.ints) ap->add_ints(v);
      break;
    case Attribute::Kind::floats:
      ap->set_type(onnx::AttributeProto::FLOATS);
      for (float v : a.floats) ap->add_floats(v);
      break;
    case Attribute::Kind::strings:
      ap->set_type(onnx::AttributeProto::STRINGS);
      for (const auto& v : a.strings) ap->add_strings(v);
      break;
    case Attribute::Kind::tensor:
      ap->set_type(onnx::AttributeProto::TENSOR);
      to_tensor_proto("", a.t, ap->mutable_t());
      break;
  }
}

}  // namespace

std::string save_onnx_bytes(const Graph& g) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("ecoinfer");
  auto* def = m.add_opset_import();
  def->set_domain("");
  def->set_version(g.opset);
  std::set<std::string> domains;
  for (const Node& n : g.nodes)
    if (!n.domain.empty()) domains.insert(n.domain);
  for (const std::string& d : domains) {
    auto* op = m.add_opset_import();
    op->set_domain(d);
    op->set_version(1);
  }
  auto* gp = m.mutable_graph();
  gp->set_name(g.name.empty() ? "ecoinfer" : g.name);
  // Initializers in name order so that the file is deterministic.
  std::vector<std::string> names;
  for (auto& [name, t] : g.initializers) names.push_back(name);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) to_tensor_proto(name, g.initializers.at(name), gp->add_initializer());
  for (const ValueInfo& v : g.inputs) to_value_info(v, gp->add_input());
  for (const ValueInfo& v : g.outputs) to_value_info(v, gp->add_output());
  for (const Node& n : g.nodes) {
    auto* np = gp->add_node();
    np->set_name(n.name);
    np->set_op_type(n.op_type);
    if (!n.domain.empty()) np->set_domain(n.domain);
    for (const auto& i : n.inputs) np->add_input(i);
    for (const auto& o : n.outputs) np->add_output(o);
    for (const auto& [k, a] : n.attrs)
      if (!k.empty() && k[0] != '_') to_attribute(k, a, np->add_attribute());
  }
  std::string bytes;
  ECO_CHECK(m.SerializeToString(&bytes), "cannot serialize the model (over 2 GiB?)");
  return bytes;
}

void save_onnx(const Graph& g, const std::filesystem::path& file) {
  const std::string bytes = save_onnx_bytes(g);
  std::ofstream f(file, std::ios::binary | std::ios::trunc);
  ECO_CHECK(f.good(), "{}: cannot open for writing", file.string());
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ECO_CHECK(f.good(), "{}: write failed", file.string());
}

}  // namespace ecoinfer
