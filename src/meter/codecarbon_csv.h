#pragma once
// A row of CodeCarbon's emissions.csv (version 2 columns) so that existing CodeCarbon
// tooling reads ecoinfer's measurements. Energies in kWh, power in W, duration in s,
// emissions in kg CO2eq. Figures that are unknown are left empty, never written as 0.
// Emissions use a carbon intensity that is itself an estimate: 475 gCO2eq/kWh (the
// world average CodeCarbon falls back to) unless ECOINFER_CARBON_INTENSITY_G_PER_KWH
// or the caller says otherwise.
#include <string>
#include <vector>

#include "meter/meter.h"

namespace ecoinfer::meter {

inline constexpr double kDefaultCarbonIntensityGPerKwh = 475.0;

struct CsvContext {
  std::string project_name = "ecoinfer";
  std::string run_id;     // "" -> a random UUID
  std::string timestamp;  // "" -> now, local time, YYYY-MM-DDTHH:MM:SS
  double carbon_intensity_g_per_kwh = kDefaultCarbonIntensityGPerKwh;
};

// The environment's intensity (ECOINFER_CARBON_INTENSITY_G_PER_KWH) or the default.
double carbon_intensity_g_per_kwh();

const std::vector<std::string>& codecarbon_columns();
std::vector<std::string> codecarbon_row(const Reading& r, const CsvContext& ctx);
std::string csv_line(const std::vector<std::string>& fields);
// Appends one row; writes the header first when the file is new or empty, and
// refuses a file whose header is not the v2 one.
void append_codecarbon_csv(const std::string& path, const Reading& r, const CsvContext& ctx);
std::string random_uuid();

}  // namespace ecoinfer::meter
