#include <algorithm>
#include <cctype>

#include "ops/tensor_util.h"

namespace ecoinfer::ops {
namespace {

// An einsum equation resolved against the operands' shapes: every label (a letter, or one
// axis of the ellipsis) gets an id and a size; each operand and the output list their axes'
// labels. Ellipsis axes broadcast numpy-style (right-aligned, size 1 stretches).
struct EinsumPlan {
  std::vector<int64_t> size;                 // per label id
  std::vector<std::vector<int>> operand;     // per operand: label id of each axis
  std::vector<int> output;                   // label id of each output axis
  std::vector<int> summed;                   // labels not in the output
};

EinsumPlan plan_einsum(const Node& n, const std::vector<Shape>& shapes) {
  std::string eq;
  for (char ch : n.attr_string("equation", "")) if (ch != ' ') eq += ch;
  const size_t arrow = eq.find("->");
  const std::string lhs = eq.substr(0, arrow);
  std::vector<std::string> terms;
  for (size_t start = 0;;) {
    const size_t comma = lhs.find(',', start);
    terms.push_back(lhs.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  ECO_CHECK(terms.size() == shapes.size(), "{}: equation '{}' has {} operands, {} given", n.describe(), eq, terms.size(),
            shapes.size());
  auto letter_id = [&](char ch) {
    ECO_CHECK(std::isalpha(static_cast<unsigned char>(ch)), "{}: '{}' in equation '{}' is not a letter", n.describe(), ch, eq);
    return std::islower(static_cast<unsigned char>(ch)) ? ch - 'a' : 26 + (ch - 'A');
  };
  EinsumPlan p;
  p.size.assign(52, -1);
  int ellipsis_rank = 0;
  std::vector<int> counts(52, 0);
  for (size_t i = 0; i < terms.size(); ++i) {
    const std::string& t = terms[i];
    const size_t dots = t.find("...");
    const int letters = static_cast<int>(t.size()) - (dots == std::string::npos ? 0 : 3);
    const int rank = static_cast<int>(shapes[i].size());
    const int ell = dots == std::string::npos ? 0 : rank - letters;
    ECO_CHECK(ell >= 0 && (dots != std::string::npos || letters == rank), "{}: term '{}' does not fit operand {} of shape {}",
              n.describe(), t, i, shape_str(shapes[i]));
    ellipsis_rank = std::max(ellipsis_rank, ell);
  }
  p.size.resize(52 + static_cast<size_t>(ellipsis_rank), 1);
  for (size_t i = 0; i < terms.size(); ++i) {
    const std::string& t = terms[i];
    const Shape& s = shapes[i];
    std::vector<int> axes;
    size_t axis = 0;
    for (size_t k = 0; k < t.size();) {
      if (t.compare(k, 3, "...") == 0) {
        const int ell = static_cast<int>(s.size()) - (static_cast<int>(t.size()) - 3);
        for (int e = 0; e < ell; ++e, ++axis) {
          const int id = 52 + ellipsis_rank - ell + e;
          ECO_CHECK(p.size[id] == 1 || s[axis] == 1 || p.size[id] == s[axis], "{}: ellipsis dimensions do not broadcast",
                    n.describe());
          if (s[axis] != 1) p.size[id] = s[axis];
          axes.push_back(id);
        }
        k += 3;
        continue;
      }
      const int id = letter_id(t[k]);
      ECO_CHECK(p.size[id] < 0 || p.size[id] == s[axis], "{}: label '{}' has sizes {} and {}", n.describe(), t[k],
                p.size[id], s[axis]);
      p.size[id] = s[axis];
      ++counts[id];
      axes.push_back(id);
      ++axis;
      ++k;
    }
    p.operand.push_back(axes);
  }
  if (arrow != std::string::npos) {
    const std::string rhs = eq.substr(arrow + 2);
    for (size_t k = 0; k < rhs.size();) {
      if (rhs.compare(k, 3, "...") == 0) {
        for (int e = 0; e < ellipsis_rank; ++e) p.output.push_back(52 + e);
        k += 3;
        continue;
      }
      const int id = letter_id(rhs[k++]);
      ECO_CHECK(p.size[id] >= 0, "{}: output label '{}' is in no operand", n.describe(), rhs[k - 1]);
      p.output.push_back(id);
    }
  } else {  // implicit output: the ellipsis, then the letters used once, alphabetically
    for (int e = 0; e < ellipsis_rank; ++e) p.output.push_back(52 + e);
    for (int id = 0; id < 52; ++id)
      if (counts[id] == 1) p.output.push_back(id);
  }
  for (int id = 0; id < static_cast<int>(p.size.size()); ++id) {
    const bool used = id >= 52 || p.size[id] >= 0;
    if (used && std::find(p.output.begin(), p.output.end(), id) == p.output.end()) p.summed.push_back(id);
  }
  return p;
}

// Every output element sums, over all values of the summed labels, the product of the
// operands' elements at those label values (double for floats, wrapping int64 for integers).
std::vector<Tensor> einsum_ref(OpContext& c) {
  std::vector<Shape> shapes;
  for (size_t i = 0; i < c.num_inputs(); ++i) shapes.push_back(c.in(i).shape());
  const EinsumPlan p = plan_einsum(c.node, shapes);
  Shape out_shape;
  for (int id : p.output) out_shape.push_back(p.size[id]);
  check_output_size(c.node, c.in(0).dtype(), out_shape);
  for (size_t i = 1; i < c.num_inputs(); ++i)
    ECO_CHECK(c.in(i).dtype() == c.in(0).dtype(), "{}: operand types differ", c.node.describe());
  // Element strides of each operand per label (0 where an ellipsis axis of size 1 broadcasts).
  std::vector<std::vector<int64_t>> stride(c.num_inputs(), std::vector<int64_t>(p.size.size(), 0));
  for (size_t i = 0; i < c.num_inputs(); ++i) {
    const auto st = contiguous_strides(shapes[i]);
    for (size_t a = 0; a < p.operand[i].size(); ++a)
      if (shapes[i][a] != 1 || p.size[p.operand[i][a]] == 1) stride[i][p.operand[i][a]] += st[a];
  }
  int64_t inner = 1;
  for (int id : p.summed) inner *= p.size[id];
  Tensor y = Tensor::empty(c.in(0).dtype(), out_shape);
  visit_dtype<NumericTypes>(y.dtype(), c.node, "operand", [&](auto t) {
    using T = decltype(t);
    using Acc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;
    std::vector<int64_t> value(p.size.size(), 0);
    for (int64_t o = 0; o < y.numel(); ++o) {
      for (int64_t r = o, k = static_cast<int64_t>(p.output.size()) - 1; k >= 0; --k) {
        value[p.output[k]] = r % p.size[p.output[k]];
        r /= p.size[p.output[k]];
      }
      Acc acc{0};
      for (int64_t s = 0; s < inner; ++s) {
        for (int64_t r = s, k = static_cast<int64_t>(p.summed.size()) - 1; k >= 0; --k) {
          value[p.summed[k]] = r % p.size[p.summed[k]];
          r /= p.size[p.summed[k]];
        }
        Acc prod{1};
        for (size_t i = 0; i < c.num_inputs(); ++i) {
          int64_t off = 0;
          for (size_t id = 0; id < p.size.size(); ++id) off += value[id] * stride[i][id];
          prod = wrapping_mul(prod, static_cast<Acc>(c.in(i).data<T>()[off]));
        }
        acc = wrapping_add(acc, prod);
      }
      y.data<T>()[o] = static_cast<T>(acc);
    }
    return 0;
  });
  return {y};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "Einsum", .min_inputs = 1, .max_inputs = 64, .reference = einsum_ref});
}  // namespace ecoinfer::ops
