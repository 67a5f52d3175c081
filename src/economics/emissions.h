#pragma once
// Emissions of energy at a carbon intensity, with the intensity's source carried along
// so every report can print where the number comes from.
#include <string>

namespace ecoinfer::economics {

struct CarbonIntensity {
  double g_per_kwh = 475.0;  // g CO2e per kWh
  std::string source = "world average used by CodeCarbon (475 g CO2e/kWh)";
};

// Grams CO2e of energy_j measured joules at the facility's PUE: facility kWh × intensity.
double emissions_g(double energy_j, const CarbonIntensity& intensity, double pue = 1.0);

}  // namespace ecoinfer::economics
