// kernel_plan_test.cpp - which CUDA kernel runs a request, how networks are refused, the names.
#include "kernels/cuda/kernel_plan.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/errors.h"
#include "kernels/cuda/model_layout.h"
#include "kernels/model_spec.h"

namespace dlaaw::kernels::cuda {
namespace {

KernelSupport nano() {  // sm_53: no cooperative launch
  KernelSupport s;
  s.block = true;
  s.note = "compute capability 5.3 has no grid-wide barrier (needs 6.0)";
  return s;
}

KernelSupport h100() {  // 132 SMs, 4 cooperative training blocks each
  KernelSupport s;
  s.block = true;
  s.cooperative = true;
  s.cooperative_resident_blocks = 528;
  return s;
}

// The status and message plan_kernel throws, or OK and "".
std::pair<int32_t, std::string> refusal(int32_t kernel, const KernelSupport& s, int models,
                                        int64_t rows, int batches) {
  try {
    plan_kernel(kernel, s, models, rows, batches);
    return {DLAAW_GPU_OK, ""};
  } catch (const GpuError& e) {
    return {e.code(), e.what()};
  }
}

TEST(KernelPlanTest, AutoNeverPicksTheCooperativeKernelWhereItCannotRun) {
  for (int64_t rows : {455, 36169, 720000}) {
    const KernelPlan plan = plan_kernel(DLAAW_GPU_KERNEL_AUTO, nano(), 6, rows, 6);
    EXPECT_EQ(plan.kernel, DLAAW_GPU_KERNEL_BLOCK) << rows << " rows";
    EXPECT_EQ(plan.blocks_per_model, 1);
  }
}

TEST(KernelPlanTest, CooperativeWhereItCannotRunIsInvalidInputSayingWhatToUse) {
  const auto [code, message] = refusal(DLAAW_GPU_KERNEL_COOPERATIVE, nano(), 1, 36169, 6);
  EXPECT_EQ(code, DLAAW_GPU_INVALID_INPUT);
  EXPECT_NE(message.find("compute capability 5.3"), std::string::npos) << message;
  EXPECT_NE(message.find("use \"kernel\": \"block\""), std::string::npos) << message;
}

TEST(KernelPlanTest, AutoTakesTheBlockKernelForSmallBatchesAndSpreadsLargeOnes) {
  const KernelPlan small = plan_kernel(DLAAW_GPU_KERNEL_AUTO, h100(), 1, 455, 6);
  EXPECT_EQ(small.kernel, DLAAW_GPU_KERNEL_BLOCK);
  const KernelPlan large = plan_kernel(DLAAW_GPU_KERNEL_AUTO, h100(), 1, 36169, 6);
  EXPECT_EQ(large.kernel, DLAAW_GPU_KERNEL_COOPERATIVE);
  EXPECT_EQ(large.blocks_per_model, 24);  // 6029 rows per batch, 256 per block
  const KernelPlan folds = plan_kernel(DLAAW_GPU_KERNEL_AUTO, h100(), 3, 12000, 6);
  EXPECT_EQ(folds.kernel, DLAAW_GPU_KERNEL_COOPERATIVE);
  EXPECT_EQ(folds.blocks_per_model, 8);
}

TEST(KernelPlanTest, ChosenKernelsAreHonoured) {
  const KernelPlan block = plan_kernel(DLAAW_GPU_KERNEL_BLOCK, h100(), 2, 36169, 6);
  EXPECT_EQ(block.kernel, DLAAW_GPU_KERNEL_BLOCK);
  EXPECT_EQ(block.blocks_per_model, 1);
  const KernelPlan cooperative = plan_kernel(DLAAW_GPU_KERNEL_COOPERATIVE, h100(), 1, 455, 6);
  EXPECT_EQ(cooperative.kernel, DLAAW_GPU_KERNEL_COOPERATIVE);
  EXPECT_EQ(cooperative.blocks_per_model, 1);
}

TEST(KernelPlanTest, BlocksPerModelStayWithinWhatIsResident) {
  KernelSupport s = h100();
  s.cooperative_resident_blocks = 10;
  const KernelPlan plan = plan_kernel(DLAAW_GPU_KERNEL_AUTO, s, 3, 36169, 6);
  EXPECT_EQ(plan.kernel, DLAAW_GPU_KERNEL_COOPERATIVE);
  EXPECT_EQ(plan.blocks_per_model, 3);  // 10 / 3, not the 24 it would like
  EXPECT_LE(plan.blocks_per_model * 3, s.cooperative_resident_blocks);
}

TEST(KernelPlanTest, MoreModelsThanResidentBlocksNeedTheBlockKernel) {
  KernelSupport s = h100();
  s.cooperative_resident_blocks = 4;
  EXPECT_EQ(plan_kernel(DLAAW_GPU_KERNEL_AUTO, s, 6, 36169, 6).kernel, DLAAW_GPU_KERNEL_BLOCK);
  const auto [code, message] = refusal(DLAAW_GPU_KERNEL_COOPERATIVE, s, 6, 36169, 6);
  EXPECT_EQ(code, DLAAW_GPU_INVALID_INPUT);
  EXPECT_NE(message.find("holds 4 training blocks"), std::string::npos) << message;
}

TEST(KernelPlanTest, NoUsableKernelIsUnavailableWithTheReason) {
  KernelSupport none;
  none.note = "this library has no code for compute capability 8.0";
  const auto [code, message] = refusal(DLAAW_GPU_KERNEL_AUTO, none, 1, 100, 6);
  EXPECT_EQ(code, DLAAW_GPU_UNAVAILABLE);
  EXPECT_NE(message.find("no code for compute capability 8.0"), std::string::npos) << message;
  EXPECT_EQ(refusal(DLAAW_GPU_KERNEL_BLOCK, none, 1, 100, 6).first, DLAAW_GPU_INVALID_INPUT);
  EXPECT_EQ(refusal(7, h100(), 1, 100, 6).first, DLAAW_GPU_INVALID_INPUT);
}

std::pair<int32_t, std::string> layout_refusal(const std::vector<dlaaw_gpu_layer>& layers,
                                               int64_t parameters) {
  const dlaaw_gpu_model model{layers.data(), static_cast<int32_t>(layers.size())};
  try {
    layout_model(&model, parameters);
    return {DLAAW_GPU_OK, ""};
  } catch (const GpuError& e) {
    return {e.code(), e.what()};
  }
}

TEST(ModelLayoutTest, LaysOutWeightsThenBiasesLayerByLayer) {
  const std::vector<dlaaw_gpu_layer> layers{{16, 8, 1}, {8, 5, 1}, {5, 3, 1}, {3, 1, 0}};
  const dlaaw_gpu_model model{layers.data(), 4};
  const ModelLayout m = layout_model(&model, 203);
  EXPECT_EQ(m.parameters, 203);
  EXPECT_EQ(m.inputs, 16);
  const std::vector<int> offsets{0, 136, 181, 199};  // ModelSpec::weight_offset
  for (int l = 0; l < 4; ++l) EXPECT_EQ(m.weight_offset[l], offsets[l]) << "layer " << l;
}

TEST(ModelLayoutTest, RefusesWhatTheKernelsCannotTrainAsInvalidInput) {
  // 32 wide and two layers, but 1089 parameters: over kMaxParameters.
  auto [code, message] = layout_refusal({{32, 32, 1}, {32, 1, 0}}, 1089);
  EXPECT_EQ(code, DLAAW_GPU_INVALID_INPUT);
  EXPECT_NE(message.find("1089 parameters"), std::string::npos) << message;
  EXPECT_NE(message.find("use the cpu backend"), std::string::npos) << message;
  std::tie(code, message) = layout_refusal({{40, 2, 1}, {2, 1, 0}}, 85);
  EXPECT_EQ(code, DLAAW_GPU_INVALID_INPUT);
  EXPECT_NE(message.find("40 units"), std::string::npos) << message;
  std::vector<dlaaw_gpu_layer> deep(kMaxLayers, {2, 2, 1});
  deep.push_back({2, 1, 0});
  EXPECT_EQ(layout_refusal(deep, 51).first, DLAAW_GPU_INVALID_INPUT);  // 9 layers
  std::tie(code, message) = layout_refusal({{4, 5, 1}, {3, 1, 0}}, 29);
  EXPECT_NE(message.find("layer 1 takes 3 inputs but the previous gives 5"), std::string::npos)
      << message;
  std::tie(code, message) = layout_refusal({{4, 5, 9}, {5, 1, 0}}, 31);
  EXPECT_NE(message.find("unknown activation code 9"), std::string::npos) << message;
  std::tie(code, message) = layout_refusal({{4, 1, 0}}, 4);
  EXPECT_NE(message.find("5 parameters, but 4 were given"), std::string::npos) << message;
}

TEST(KernelNamesTest, ParseWhatTheyPrintAndRefuseTheRest) {
  for (KernelChoice k : {KernelChoice::Auto, KernelChoice::Cooperative, KernelChoice::Block}) {
    EXPECT_EQ(kernel_choice_from_name(name_of(k)), k);
  }
  for (MemoryPath m :
       {MemoryPath::Auto, MemoryPath::Device, MemoryPath::ZeroCopy, MemoryPath::Managed}) {
    EXPECT_EQ(memory_path_from_name(name_of(m)), m);
  }
  EXPECT_EQ(name_of(MemoryPath::ZeroCopy), "zero_copy");
  try {
    kernel_choice_from_name("grid");
    FAIL() << "kernel \"grid\" was accepted";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("auto, cooperative or block"), std::string::npos);
  }
  EXPECT_THROW(memory_path_from_name("pinned"), InvalidInput);
}

}  // namespace
}  // namespace dlaaw::kernels::cuda
