#include "data/stratified_subset.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace ecoinfer {

Subset stratified_subset(const Dataset& data, int64_t n) {
  std::map<int, std::vector<int64_t>> by_label;
  for (size_t i = 0; i < data.size(); ++i) by_label[data.label(i)].push_back(static_cast<int64_t>(i));
  Subset s;
  n = std::min<int64_t>(n, static_cast<int64_t>(data.size()));
  std::map<int, int64_t> taken;
  for (size_t round = 0; static_cast<int64_t>(s.items.size()) < n; ++round)
    for (auto& [label, items] : by_label) {
      if (static_cast<int64_t>(s.items.size()) == n) break;
      if (round >= items.size()) continue;
      s.items.push_back(items[round]);
      ++taken[label];
    }
  std::sort(s.items.begin(), s.items.end());
  int64_t lo = n, hi = 0;
  for (auto& [label, count] : taken) lo = std::min(lo, count), hi = std::max(hi, count);
  const std::string per_class = lo == hi ? fmt::format("{}", lo) : fmt::format("{}-{}", lo, hi);
  s.description = fmt::format("{} of {} images: the first {} of each of {} classes{}", n, data.size(), per_class,
                              taken.size(),
                              taken.size() < by_label.size()
                                  ? fmt::format(" ({} of the {} classes present: raise --limit to cover all)",
                                                taken.size(), by_label.size())
                                  : "");
  return s;
}

}  // namespace ecoinfer
