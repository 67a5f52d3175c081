#pragma once
// `--limit N` on a dataset: a deterministic stratified subset, so that a class-folder
// dataset (stored class by class) is not cut down to its first classes.
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace ecoinfer {

struct Subset {
  std::vector<int64_t> items;  // dataset indices, ascending
  std::string description;     // what was taken, for the user
};

// N items with the same count per label as far as possible: labels take turns in ascending
// order, each giving its next item in dataset order, until N are taken (a label that runs
// out drops out; when N is not a multiple of the labels, the lower labels get one more).
// The first items of each class, not a random draw: the same N always gives the same images.
Subset stratified_subset(const Dataset& data, int64_t n);

}  // namespace ecoinfer
