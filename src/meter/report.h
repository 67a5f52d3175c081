#pragma once
// Readings as JSON (for tools) and as a small aligned table (for people). Unknown
// figures are null in JSON and "unavailable" in the table, never 0.
#include <nlohmann/json.hpp>
#include <string>

#include "meter/meter.h"

namespace ecoinfer::meter {

// series: include the sampled time series (columnar) under "series".
nlohmann::json to_json(const Reading& r, bool series = true);
std::string format_table(const Reading& r);
std::string format_energy(double joules);
std::string format_bytes(uint64_t bytes);

}  // namespace ecoinfer::meter
