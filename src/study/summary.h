#pragma once
// The per-tactic summary printed at the end of a study: for each model and tactic chain,
// the median energy and time per image with the energy's source, accuracy and the
// optimization cost. The statistics and the recommendation are the report's (ecoinfer report).
#include <string>

#include "study/store.h"

namespace ecoinfer::study {

std::string summary_text(Store& store);

}  // namespace ecoinfer::study
