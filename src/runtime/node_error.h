#pragma once
// Errors raised while a node runs (a kernel, a shape rule, an allocation over the size
// limit, oneDNN) reach the user naming the model file and the node, whatever layer threw.
#include "graph/graph.h"

namespace ecoinfer {

// Call inside a catch block: rethrows the exception in flight as an Error whose message
// starts with the graph's source file and the node (each left out when already named).
[[noreturn]] void rethrow_in_node(const Graph& g, const Node& n);

}  // namespace ecoinfer
