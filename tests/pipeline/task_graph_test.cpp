// task_graph_test.cpp - topological order and descendants of the task DAG.
#include "pipeline/task_graph.h"

#include <gtest/gtest.h>

#include "common/errors.h"

namespace dlaaw::pipeline {
namespace {

// The six-task diamond of the issue: a feeds b and c, both feed d; e needs d; f needs a only.
TaskGraph diamond() {
  return TaskGraph(
      {{"d", {"b", "c"}}, {"a", {}}, {"b", {"a"}}, {"c", {"a"}}, {"e", {"d"}}, {"f", {"a"}}});
}

std::vector<std::string> names(const TaskGraph& g, const std::vector<std::size_t>& tasks) {
  std::vector<std::string> out;
  for (std::size_t t : tasks) out.push_back(g.name(t));
  return out;
}

TEST(TaskGraphTest, OrdersEveryTaskAfterWhatItNeedsTiesByDocumentOrder) {
  const auto g = diamond();
  EXPECT_EQ(names(g, g.topological_order()),
            (std::vector<std::string>{"a", "b", "c", "d", "e", "f"}));
}

TEST(TaskGraphTest, DescendantsAreTransitiveAndInTopologicalOrder) {
  const auto g = diamond();
  EXPECT_EQ(names(g, g.descendants(g.index("b"))), (std::vector<std::string>{"d", "e"}));
  EXPECT_EQ(names(g, g.descendants(g.index("a"))),
            (std::vector<std::string>{"b", "c", "d", "e", "f"}));
  EXPECT_TRUE(g.descendants(g.index("e")).empty());
  EXPECT_EQ(names(g, g.needs(g.index("d"))), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(names(g, g.dependents(g.index("a"))), (std::vector<std::string>{"b", "c", "f"}));
}

TEST(TaskGraphTest, RefusesBadGraphsWithOneLine) {
  EXPECT_THROW(TaskGraph({{"a", {}}, {"a", {}}}), InvalidInput);
  EXPECT_THROW(TaskGraph(std::vector<GraphNode>{{"a", {"b"}}}), InvalidInput);
  EXPECT_THROW(TaskGraph({{"a", {}}, {"b", {"a", "a"}}}), InvalidInput);
  try {
    TaskGraph({{"x", {}}, {"a", {"x", "c"}}, {"b", {"a"}}, {"c", {"b"}}});
    FAIL() << "a cycle is refused";
  } catch (const InvalidInput& e) {
    EXPECT_STREQ(e.what(), "tasks.a.needs: cycle a -> c -> b -> a (each task needs the next)");
  }
  EXPECT_THROW(diamond().index("z"), InvalidInput);
}

TEST(TaskGraphTest, ALongChainNeedsNoDeepRecursion) {
  std::vector<GraphNode> nodes;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    GraphNode node{"t", {}};
    node.name += std::to_string(i);
    if (i > 0) node.needs = {nodes.back().name};
    nodes.push_back(std::move(node));
  }
  const TaskGraph g(std::move(nodes));
  EXPECT_EQ(g.topological_order().size(), static_cast<std::size_t>(n));
  EXPECT_EQ(g.descendants(0).size(), static_cast<std::size_t>(n - 1));
}

}  // namespace
}  // namespace dlaaw::pipeline
