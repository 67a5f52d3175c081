#pragma once
// Where a study ran: machine, operating system and software, recorded with the results so
// that figures from different machines are never mistaken for one sample.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace ecoinfer::study {

// host, cpu_model, cpu_vendor, cpu_count, sockets, governor, kernel, os, ram_total_bytes,
// gpus, ecoinfer_version, git_hash, onednn_version, compiler, slurm (when set).
nlohmann::json environment_json();
// This machine's host name.
std::string host_name();
// "job 123 array 123_4" when running under Slurm, else "".
std::string slurm_job();
// The hottest temperature sensor (hwmon CPU/GPU sensors, then thermal zones) in °C, or
// nullopt where the machine exposes none.
std::optional<double> max_temperature_c();
std::string ecoinfer_version();
std::string ecoinfer_git_hash();

}  // namespace ecoinfer::study
