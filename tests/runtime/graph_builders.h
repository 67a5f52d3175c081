#pragma once
// Small graphs by hand for the executor tests: a node named after its first output, and
// integer attributes.
#include <map>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace ecoinfer::test {

inline Node node(const std::string& op, std::vector<std::string> in, std::vector<std::string> out,
                 std::map<std::string, Attribute> attrs = {}) {
  Node n;
  n.op_type = op;
  n.name = out.at(0);
  n.inputs = std::move(in);
  n.outputs = std::move(out);
  n.attrs = std::move(attrs);
  return n;
}

inline Attribute ints(std::vector<int64_t> v) {
  Attribute a;
  a.kind = Attribute::Kind::ints;
  a.ints = std::move(v);
  return a;
}

inline Attribute one(int64_t v) {
  Attribute a;
  a.kind = Attribute::Kind::i;
  a.i = v;
  return a;
}

}  // namespace ecoinfer::test
