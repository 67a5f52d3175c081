#pragma once
// The conformance allowlist (tests/conformance/allowlist.txt): groups of case patterns, each
// group under a header that says what kind of exception it is and why.
//
//   [out-of-scope] training ops: ecoinfer runs inference only
//   node/test_adagrad*
//   [backlog] 3-D convolution: classifiers are 2-D
//   pytorch-converted/test_Conv3d*
//   [tolerance rtol=1e-3 atol=1e-5] float32 sums of 1,000 terms
//   node/test_reduce_log_sum_exp*
//
// `out-of-scope` cases may stay unsupported for good and are left out of the pass rate;
// `backlog` cases may be unsupported for now and count as not passing; `tolerance` groups
// widen the comparison for cases whose float32 accumulation differs from numpy's float64.
// Patterns are shell globs (fnmatch) over "suite/case".
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "conformance/conformance.h"

namespace ecoinfer::conformance {

struct AllowGroup {
  enum class Kind { out_of_scope, backlog, tolerance } kind = Kind::backlog;
  std::string reason;
  Tolerance tol;  // for Kind::tolerance
  std::vector<std::string> patterns;
  int line = 0;   // of the header, for messages
};

struct Allowlist {
  std::vector<AllowGroup> groups;
  // The first unsupported-allowing group (out-of-scope or backlog) whose patterns match `id`.
  const AllowGroup* exception_for(const std::string& id) const;
  // The tolerance for `id`: a tolerance group's, else ONNX's default.
  Tolerance tolerance_for(const std::string& id) const;
};

// Parses the file; errors name the file and line.
Allowlist read_allowlist(const std::filesystem::path& file);
Allowlist parse_allowlist(const std::string& text, const std::string& origin);

bool glob_match(const std::string& pattern, const std::string& id);

}  // namespace ecoinfer::conformance
