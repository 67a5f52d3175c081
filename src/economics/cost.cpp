#include "economics/cost.h"

#include <cmath>

#include "core/error.h"

namespace ecoinfer::economics {

std::string_view basis_label(EnergyBasis b) { return b == EnergyBasis::total ? "total energy" : "energy above idle"; }

namespace {
void check_price(const EnergyPrice& p) {
  ECO_CHECK(std::isfinite(p.per_kwh) && p.per_kwh >= 0, "economics: price per kWh {} must be finite and >= 0", p.per_kwh);
  ECO_CHECK(std::isfinite(p.pue) && p.pue >= 1, "economics: PUE {} must be finite and >= 1", p.pue);
}
}  // namespace

double facility_kwh(double energy_j, double pue) {
  ECO_CHECK(std::isfinite(energy_j) && energy_j >= 0, "economics: energy {} J must be finite and >= 0", energy_j);
  ECO_CHECK(std::isfinite(pue) && pue >= 1, "economics: PUE {} must be finite and >= 1", pue);
  return energy_j * pue / kJoulesPerKwh;
}

double energy_cost(double energy_j, const EnergyPrice& price) {
  check_price(price);
  return facility_kwh(energy_j, price.pue) * price.per_kwh;
}

double cost_per_inference(double energy_per_inference_j, const EnergyPrice& price) {
  return energy_cost(energy_per_inference_j, price);
}

double optimization_cost(double preparation_energy_j, const EnergyPrice& price, double engineering_cost) {
  ECO_CHECK(std::isfinite(engineering_cost) && engineering_cost >= 0,
            "economics: engineering cost {} must be finite and >= 0", engineering_cost);
  return energy_cost(preparation_energy_j, price) + engineering_cost;
}

}  // namespace ecoinfer::economics
