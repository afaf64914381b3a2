// train_config_test.cpp - where each training setting comes from: the document, else the
// resource's defaults that the executor passes in EngineOptions.
#include "executor/train_config.h"

#include <gtest/gtest.h>

namespace dlaaw::executor {
namespace {

using kernels::KernelChoice;
using kernels::MemoryPath;

nnworkflow::WorkflowDocument document(std::optional<std::string> memory,
                                      std::optional<std::string> kernel) {
  nnworkflow::WorkflowDocument d;
  d.training.epochs = 7;
  d.training.batches = 3;
  d.training.seed = 42;
  d.memory = std::move(memory);
  d.training.kernel = std::move(kernel);
  return d;
}

EngineOptions resource_defaults(MemoryPath memory, KernelChoice kernel) {
  EngineOptions options;
  options.memory = memory;
  options.kernel = kernel;
  options.threads = 3;
  return options;
}

TEST(TrainConfigTest, TheDocumentsChoiceWinsOverTheResourcesDefault) {
  const auto config =
      train_config(document("zero_copy", "block"), 100,
                   resource_defaults(MemoryPath::Managed, KernelChoice::Cooperative));
  EXPECT_EQ(config.memory, MemoryPath::ZeroCopy);
  EXPECT_EQ(config.kernel, KernelChoice::Block);
  EXPECT_EQ(config.epochs, 7);
  EXPECT_EQ(config.batches, 3);
  EXPECT_EQ(config.seed, 42u);
  EXPECT_EQ(config.threads, 3);
}

TEST(TrainConfigTest, AutoOrNothingInTheDocumentTakesTheResourcesDefault) {
  const EngineOptions defaults = resource_defaults(MemoryPath::Managed, KernelChoice::Cooperative);
  for (const auto& [memory, kernel] :
       {std::pair<std::optional<std::string>, std::optional<std::string>>{"auto", "auto"},
        {std::nullopt, std::nullopt}}) {
    const auto config = train_config(document(memory, kernel), 100, defaults);
    EXPECT_EQ(config.memory, MemoryPath::Managed) << memory.value_or("(none)");
    EXPECT_EQ(config.kernel, KernelChoice::Cooperative) << kernel.value_or("(none)");
  }
  const auto plain = train_config(document(std::nullopt, std::nullopt), 100, EngineOptions{});
  EXPECT_EQ(plain.memory, MemoryPath::Auto) << "no default anywhere: the backend decides";
  EXPECT_EQ(plain.kernel, KernelChoice::Auto);
}

TEST(TrainConfigTest, TheWatchdogComesFromTheOptionsWhenSet) {
  EngineOptions options;
  EXPECT_EQ(train_config(document(std::nullopt, std::nullopt), 100, options).watchdog_seconds,
            kernels::TrainConfig{}.watchdog_seconds)
      << "0 keeps the kernels' default";
  options.watchdog_seconds = 2.5;
  EXPECT_EQ(train_config(document(std::nullopt, std::nullopt), 100, options).watchdog_seconds, 2.5);
}

}  // namespace
}  // namespace dlaaw::executor
