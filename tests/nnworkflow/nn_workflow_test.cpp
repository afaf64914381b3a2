// nn_workflow_test.cpp - the Listing 1 C++ API builds the same document as the JSON form.
#include "nnworkflow/nn_workflow.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "nnworkflow/workflow_json.h"

namespace dlaaw::nnworkflow {
namespace {

class BankNet : public NNWorkflow {
 public:
  BankNet() : NNWorkflow("bank") { use_catalog("bank_marketing"); }
  void design() override {
    Sequential(Linear(16, 8), ReLU(), Linear(8, 5), ReLU(), Linear(5, 3), ReLU(), Linear(3, 1),
               Sigmoid());
  }
};

TEST(NNWorkflowTest, DesignBuildsTheDocument) {
  BankNet net;
  net.training().epochs = 1000;
  net.training().batches = 6;
  net.kfold(6).seed(3);
  const WorkflowDocument d = net.document();
  EXPECT_EQ(d.network.size(), 8u);
  EXPECT_EQ(d.network[2], Linear(8, 5));
  EXPECT_EQ(d.plan.type, PlanType::KFold);
  EXPECT_EQ(*d.plan.k, 6);
  EXPECT_EQ(d.training.effective_seed(), 3u);
  EXPECT_EQ(workflow_from_json(workflow_to_json(d)), d);
  EXPECT_EQ(net.document(), d) << "design() must run once";
}

TEST(NNWorkflowTest, AnInvalidDesignIsRefused) {
  class Broken : public NNWorkflow {
   public:
    Broken() : NNWorkflow("broken") { use_catalog("pima"); }
    void design() override { Sequential(Linear(8, 4), ReLU(), Linear(3, 1), Sigmoid()); }
  } net;
  net.training().epochs = 10;
  EXPECT_THROW(net.document(), InvalidInput);
}

}  // namespace
}  // namespace dlaaw::nnworkflow
