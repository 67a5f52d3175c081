#include "runtime/node_error.h"

#include <new>

namespace ecoinfer {

namespace {
std::string in_context(const Graph& g, const Node& n, const std::string& what) {
  std::string prefix;
  if (!g.source.empty() && what.find(g.source) == std::string::npos) prefix += g.source + ": ";
  if (what.find(n.describe()) == std::string::npos) prefix += n.describe() + ": ";
  return prefix + what;
}
}  // namespace

void rethrow_in_node(const Graph& g, const Node& n) {
  try {
    throw;
  } catch (const Error& e) {
    throw Error(in_context(g, n, e.what()));
  } catch (const std::bad_alloc&) {
    throw Error(in_context(g, n, "out of memory"));
  } catch (const std::exception& e) {
    // oneDNN's dnnl::error and library exceptions carry no context of their own.
    throw Error(in_context(g, n, e.what()));
  }
}

}  // namespace ecoinfer
