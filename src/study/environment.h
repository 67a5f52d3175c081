#pragma once
// Where a study ran: machine, operating system and software, recorded with the results so
// that figures from different machines are never mistaken for one sample.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ecoinfer::study {

// host, cpu_model, cpu_vendor, cpu_count, sockets, governor, kernel, os, ram_total_bytes,
// gpus, ecoinfer_version, git_hash, onednn_version, compiler, slurm (when set).
nlohmann::json environment_json();
// This machine's host name.
std::string host_name();
// "job 123 array 123_4" when running under Slurm, else "".
std::string slurm_job();

// The Slurm ids of this process (SLURM_JOB_ID, SLURM_ARRAY_JOB_ID, SLURM_ARRAY_TASK_ID,
// SLURMD_NODENAME, SLURM_JOB_PARTITION); empty strings outside Slurm or outside an array.
struct SlurmIds {
  std::string job_id, array_job_id, array_task_id, node, partition;
};
SlurmIds slurm_ids();

// The machine a run ran on, as each run records it: energy from different machines is not one
// sample, so the report groups runs by node and flags a study that mixes node types.
struct NodeIdentity {
  std::string node;               // host name
  std::string cpu_model;          // "" when /proc/cpuinfo does not say
  int cpu_count = 0;              // logical CPUs of the machine (not of a Slurm allocation)
  std::vector<std::string> gpus;  // model of each GPU the meter found, metered or not

  // The GPU models, equal ones counted ("2x NVIDIA H200"); "" without GPUs.
  std::string gpu_model() const;
  // "<CPU model> (<N> logical CPUs)[ + <GPU models>]": nodes of one type are interchangeable
  // hardware, so their runs may be pooled.
  std::string node_type() const;
};
// This machine, with the GPU models the meter's probe found.
NodeIdentity this_node(std::vector<std::string> gpu_models);
// The hottest temperature sensor (hwmon CPU/GPU sensors, then thermal zones) in °C, or
// nullopt where the machine exposes none.
std::optional<double> max_temperature_c();
std::string ecoinfer_version();
std::string ecoinfer_git_hash();

}  // namespace ecoinfer::study
