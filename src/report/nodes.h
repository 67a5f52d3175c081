#pragma once
// Where the runs of a study ran: one row per node with its node type (CPU model, logical CPUs,
// GPUs: study/environment.h) and the Slurm jobs that ran there. Energy from different
// machines is not one sample, so a study whose runs come from more than one node type is
// flagged at the top of the report, and its runs are compared per node (docs/report.md).
#include <string>
#include <vector>

#include "report/study_data.h"

namespace ecoinfer::report {

// The node type of runs stored without one (schema 1 runs on a host other than the one that
// started the study): unknown, so never pooled silently with a known type.
inline constexpr const char* kUnknownNodeType = "unknown (not recorded)";

struct NodeSummary {
  std::string node, node_type;
  std::size_t runs = 0;
  std::vector<std::string> slurm_jobs;  // "ARRAYJOB_TASK", or the job id outside arrays; sorted
};

struct NodeView {
  std::vector<NodeSummary> nodes;       // by node name
  std::vector<std::string> node_types;  // distinct, sorted
  bool mixed() const { return node_types.size() > 1; }
};

NodeView nodes_of(const StudyData& d);

// The warning of a study whose runs come from more than one node type.
std::string mixed_nodes_warning_text(const NodeView& v);

}  // namespace ecoinfer::report
