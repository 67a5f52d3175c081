#pragma once
// Input checks shared by every test: a sample must be large enough and finite. A
// failure throws ecoinfer::Error naming the function and the problem.
#include <cstddef>
#include <span>

namespace ecoinfer::stats {

// Throws unless x has at least min_n values and every value is finite.
// `what` names the caller and the sample in the message, e.g. "mann_whitney: sample a".
void check_sample(std::span<const double> x, std::size_t min_n, const char* what);

}  // namespace ecoinfer::stats
