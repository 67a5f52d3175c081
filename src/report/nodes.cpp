#include "report/nodes.h"

#include <map>
#include <set>

#include <fmt/format.h>

namespace ecoinfer::report {

NodeView nodes_of(const StudyData& d) {
  std::map<std::string, NodeSummary> by_node;
  std::map<std::string, std::set<std::string>> jobs;
  std::set<std::string> types;
  for (const RunRow& r : d.runs) {
    const std::string node = r.node.empty() ? std::string("unknown") : r.node;
    const std::string type = r.node_type.empty() ? std::string(kUnknownNodeType) : r.node_type;
    NodeSummary& s = by_node[node + '\n' + type];  // one node that changed hardware is two rows
    s.node = node;
    s.node_type = type;
    ++s.runs;
    types.insert(type);
    if (!r.slurm_array_job_id.empty())
      jobs[node + '\n' + type].insert(r.slurm_array_job_id + "_" + r.slurm_array_task_id);
    else if (!r.slurm_job_id.empty())
      jobs[node + '\n' + type].insert(r.slurm_job_id);
  }
  NodeView v;
  for (auto& [key, s] : by_node) {
    s.slurm_jobs.assign(jobs[key].begin(), jobs[key].end());
    v.nodes.push_back(std::move(s));
  }
  v.node_types.assign(types.begin(), types.end());
  return v;
}

std::string mixed_nodes_warning_text(const NodeView& v) {
  std::string list;
  for (const std::string& t : v.node_types) list += (list.empty() ? "" : "; ") + t;
  return fmt::format("The runs come from {} node types ({}). Energy and time measured on different machines are not one "
                     "sample: the statistics of this report pool them. Compare tactics within one node type (\"Runs by "
                     "node\"), or run the study on one node type (sbatch --constraint or a partition of identical nodes).",
                     v.node_types.size(), list);
}

}  // namespace ecoinfer::report
