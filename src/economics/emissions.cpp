#include "economics/emissions.h"

#include <cmath>

#include "core/error.h"
#include "economics/cost.h"

namespace ecoinfer::economics {

double emissions_g(double energy_j, const CarbonIntensity& intensity, double pue) {
  ECO_CHECK(std::isfinite(intensity.g_per_kwh) && intensity.g_per_kwh >= 0,
            "economics: carbon intensity {} g/kWh must be finite and >= 0", intensity.g_per_kwh);
  return facility_kwh(energy_j, pue) * intensity.g_per_kwh;
}

}  // namespace ecoinfer::economics
