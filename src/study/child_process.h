#pragma once
// Runs a program and captures what it prints: the Slurm commands (sbatch, squeue, sacct) that
// `ecoinfer study slurm` and `study status` talk to. No shell is involved: arguments are
// passed as they are.
#include <string>
#include <vector>

namespace ecoinfer::study {

struct ProgramOutput {
  bool started = false;  // false: the program was not found or could not be executed
  int exit_code = -1;    // its exit status; 128 + N when killed by signal N
  std::string out, err;  // stdout and stderr, complete
  std::string start_error;  // why it did not start
};

// Runs argv[0] (searched in PATH) with the given arguments and this process's environment,
// waits for it, and returns its status and output. stdin is /dev/null.
ProgramOutput run_program(const std::vector<std::string>& argv);

}  // namespace ecoinfer::study
