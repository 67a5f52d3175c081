#pragma once
// Small graphs for tactic tests: Linear layers with given weights.
#include <gtest/gtest.h>

#include "graph/graph.h"
#include "model/model_folder.h"
#include "ops/registry.h"

namespace ecoinfer::test {

// x [*, K] -> MatMul(W_i) chain; weights given as [K, N] row-major.
inline ModelBundle linear_model(const std::vector<std::pair<Shape, std::vector<float>>>& weights, bool share_first = false) {
  ModelBundle m;
  Graph& g = m.graph;
  g.opset = 17;
  ValueInfo in;
  in.name = "x";
  in.has_shape = true;
  in.shape = {Dim{-1, "batch"}, Dim{weights.at(0).first.at(0), ""}};
  g.inputs.push_back(in);
  std::string prev = "x";
  for (size_t i = 0; i < weights.size(); ++i) {
    const std::string w = "w" + std::to_string(i);
    g.initializers[w] = Tensor::from<float>(weights[i].first, weights[i].second);
    Node n;
    n.name = "mm" + std::to_string(i);
    n.op_type = "MatMul";
    n.inputs = {prev, w};
    n.outputs = {"y" + std::to_string(i)};
    n.attrs["_opset"] = Attribute{Attribute::Kind::i, 17};
    g.nodes.push_back(n);
    prev = n.outputs[0];
  }
  if (share_first) {  // a second use of w0 (square weight assumed)
    Node n;
    n.name = "mm_shared";
    n.op_type = "MatMul";
    n.inputs = {prev, "w0"};
    n.outputs = {"y_shared"};
    n.attrs["_opset"] = Attribute{Attribute::Kind::i, 17};
    g.nodes.push_back(n);
    prev = n.outputs[0];
  }
  ValueInfo out;
  out.name = prev;
  g.outputs.push_back(out);
  verify_graph(g);
  return m;
}

// A tactic's mark with a value it does not know: the MatMul reference refuses the node with
// an Error naming the node and the attribute.
inline void expect_unknown_mark_is_an_error(const std::string& attr, const std::string& value) {
  Node n;
  n.name = "layer3";
  n.op_type = "MatMul";
  n.attrs[attr] = Attribute{Attribute::Kind::s, 0, 0, value};
  Tensor a = Tensor::from<float>({1, 1}, std::vector<float>{1.f}), b = a;
  OpContext c{n, {&a, &b}, 1, nullptr};
  try {
    find_op("", "MatMul")->reference(c);
    ADD_FAILURE() << "expected an Error for " << attr << " = " << value;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("layer3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(attr), std::string::npos) << e.what();
  }
}

}  // namespace ecoinfer::test
