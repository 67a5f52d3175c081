#include "ops/weight_format.h"

#include "core/error.h"

namespace ecoinfer::ops {

bool uses_sparse_weight(const Node& n) {
  auto it = n.attrs.find(kWeightFormatAttr);
  if (it == n.attrs.end()) return false;
  ECO_CHECK(it->second.kind == Attribute::Kind::s && (it->second.s == "sparse" || it->second.s == "dense"),
            "{}: attribute {} must be the string \"sparse\" or \"dense\"", n.describe(), kWeightFormatAttr);
  return it->second.s == "sparse";
}

std::string weight_format_of(const Node& n) {
  auto it = n.attrs.find(kWeightFormatAttr);
  if (it == n.attrs.end()) return "dense";
  return it->second.kind == Attribute::Kind::s ? it->second.s : "?";
}

}  // namespace ecoinfer::ops
