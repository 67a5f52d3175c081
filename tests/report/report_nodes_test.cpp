// Where the runs ran: the report lists the nodes with their node type and Slurm jobs, compares
// tactics per node when there is more than one, and warns at the top of both documents when
// the runs come from more than one node type (energy from different machines is not one sample).
#include <gtest/gtest.h>

#include "report/html_writer.h"
#include "report/markdown_writer.h"
#include "report/nodes.h"
#include "report/report_content.h"
#include "report/synthetic_store.h"
#include "report/tables.h"

namespace ecoinfer::report {
namespace {

namespace fs = std::filesystem;

test::SyntheticStudy small_study() {
  test::SyntheticStudy s;
  s.repetitions = 4;
  s.samples = false;
  s.models = {test::synthetic_model("m", {test::SyntheticTactic{"compile"}})};
  return s;
}

const Table* find_table(const ReportTables& t, const std::string& id) {
  for (const Table& x : t.appendix)
    if (x.id == id) return &x;
  return nullptr;
}

TEST(ReportNodes, OneNodeTypeIsListedAndNotFlagged) {
  const fs::path dir = test::report_test_dir("nodes_one");
  test::SyntheticStudy s = small_study();
  // A second node of the same type: two rows, one type, no warning.
  s.node_of[test::synthetic_run_id("m", "none", 1)] = {"otherhost", test::kSyntheticNodeType};
  test::write_synthetic_store(dir / "results.sqlite", s);
  const StudyData d = load_study(dir / "results.sqlite");
  const ReportContent c = build_report(d, d.report, {});
  ASSERT_EQ(c.nodes.nodes.size(), 2u);
  EXPECT_FALSE(c.nodes.mixed());
  EXPECT_EQ(c.nodes.nodes[0].node, "otherhost");
  EXPECT_EQ(c.nodes.nodes[0].runs, 1u);
  EXPECT_EQ(c.nodes.nodes[1].runs, 7u);
  const ReportTables t = tables_of(c);
  const Table* nodes = find_table(t, "nodes");
  ASSERT_NE(nodes, nullptr);
  EXPECT_EQ(nodes->rows[1], (std::vector<std::string>{"testhost", test::kSyntheticNodeType, "7", "none (not under Slurm)"}));
  EXPECT_NE(find_table(t, "runs-by-node"), nullptr);  // two nodes: compared per node
  EXPECT_EQ(markdown_page(c, t).find("more than one node type"), std::string::npos);
}

TEST(ReportNodes, TwoNodeTypesAreFlaggedInBothDocuments) {
  const fs::path dir = test::report_test_dir("nodes_two");
  test::SyntheticStudy s = small_study();
  for (int rep = 1; rep <= 4; ++rep)
    s.node_of[test::synthetic_run_id("m", "compile", rep)] = {"gpu01", "Other CPU (64 logical CPUs) + NVIDIA H200"};
  test::write_synthetic_store(dir / "results.sqlite", s);
  const StudyData d = load_study(dir / "results.sqlite");
  const ReportContent c = build_report(d, d.report, {});
  EXPECT_TRUE(c.nodes.mixed());
  EXPECT_EQ(c.nodes.node_types.size(), 2u);
  const ReportTables t = tables_of(c);
  const std::string md = markdown_page(c, t);
  EXPECT_NE(md.find("> **Warning: more than one node type.** The runs come from 2 node types (Other CPU (64 logical CPUs) + "
                    "NVIDIA H200; Synthetic CPU"),
            std::string::npos)
      << md.substr(0, 2000);
  // Before the first table: a reader sees it with the answer.
  EXPECT_LT(md.find("more than one node type"), md.find("## The answer"));
  const std::string html = html_page(c, t, "");
  EXPECT_NE(html.find("id=\"node-types-warning\""), std::string::npos);
  const Table* by_node = find_table(t, "runs-by-node");
  ASSERT_NE(by_node, nullptr);
  ASSERT_EQ(by_node->rows.size(), 2u);  // none on testhost, compile on gpu01
  EXPECT_EQ(by_node->rows[0][3], "compile");
  EXPECT_EQ(by_node->rows[0][4], "gpu01");
  EXPECT_EQ(by_node->rows[0][6], "4");
}

TEST(ReportNodes, RunsWithoutANodeTypeCountAsUnknownNotAsTheOthers) {
  test::SyntheticStudy s = small_study();
  const fs::path dir = test::report_test_dir("nodes_unknown");
  s.node_of[test::synthetic_run_id("m", "none", 2)] = {"oldhost", ""};
  test::write_synthetic_store(dir / "results.sqlite", s);
  const StudyData d = load_study(dir / "results.sqlite");
  const NodeView v = nodes_of(d);
  EXPECT_TRUE(v.mixed());
  EXPECT_NE(std::find(v.node_types.begin(), v.node_types.end(), kUnknownNodeType), v.node_types.end());
}

TEST(ReportNodes, SlurmArrayTasksAreListedPerNode) {
  const fs::path dir = test::report_test_dir("nodes_slurm");
  test::write_synthetic_store(dir / "results.sqlite", small_study());
  {
    study::Database db(dir / "results.sqlite", false);
    db.exec("UPDATE runs SET slurm_job_id = '12', slurm_array_job_id = '10', slurm_array_task_id = '1' WHERE repetition <= 2");
    db.exec("UPDATE runs SET slurm_job_id = '13', slurm_array_job_id = '10', slurm_array_task_id = '2' WHERE repetition > 2");
  }
  const StudyData d = load_study(dir / "results.sqlite");
  const NodeView v = nodes_of(d);
  ASSERT_EQ(v.nodes.size(), 1u);
  EXPECT_EQ(v.nodes[0].slurm_jobs, (std::vector<std::string>{"10_1", "10_2"}));
}

}  // namespace
}  // namespace ecoinfer::report
