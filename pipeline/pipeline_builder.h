// pipeline_builder.h - the C++ API of pipelines, beside the paper's Listings 1 and 2: tasks built
// in code give the same PipelineDocument as the JSON document.
//
//   Pipeline p("two-stage");
//   p.add(Task::dataset("young").catalog("pima").drop_empty().filter("Age", "<", 40.0)
//             .split_train_test(0.2, 1).min_max_scale());
//   p.add(Task::train("nn2").needs("young").workflow(PimaNet{}));   // an NNWorkflow (Listing 1)
//   p.add(Task::dataset("older").catalog("pima").drop_empty().filter("Age", ">=", 40.0));
//   p.add(Task::evaluate("transfer").needs("nn2", "older"));
//   PipelineDocument document = p.document();   // validated as a pipeline file is
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "nnworkflow/nn_workflow.h"
#include "nnworkflow/sweep_document.h"
#include "pipeline/pipeline_document.h"

namespace dlaaw::pipeline {

// One task. A setter of another kind's settings (e.g. catalog() on a train task) throws
// InvalidInput "tasks.nn2: catalog() is for dataset tasks, not train".
class Task {
 public:
  static Task dataset(std::string name);
  static Task train(std::string name);
  static Task evaluate(std::string name);
  static Task predict(std::string name);
  static Task compare(std::string name);
  static Task sweep(std::string name);

  // Appends to `needs`.
  template <typename... Names>
  Task& needs(Names&&... names) {
    (spec_.needs.emplace_back(std::forward<Names>(names)), ...);
    return *this;
  }
  Task& on(std::string resource);

  // dataset: the source.
  Task& catalog(std::string name);
  Task& file(std::string path, std::optional<std::string> label = std::nullopt,
             std::optional<std::string> positive = std::nullopt);
  // dataset: steps, appended in order.
  Task& drop_empty();
  Task& select(std::vector<std::string> columns);
  Task& drop(std::vector<std::string> columns);
  // `test` is "==", "!=", "<", "<=", ">" or ">=" (else InvalidInput).
  Task& filter(std::string column, std::string_view test, double value);
  Task& filter(std::string column, std::string_view test, std::string value);
  Task& filter_in(std::string column, std::vector<FilterValue> values);
  Task& ordinal(std::vector<std::string> columns,
                std::map<std::string, std::vector<std::string>> categories = {});
  Task& one_hot(std::vector<std::string> columns,
                std::map<std::string, std::vector<std::string>> categories = {});
  Task& split_train_test(double test_fraction, std::uint64_t seed = 1);
  Task& split_kfold(int k, std::uint64_t seed = 1);
  Task& min_max_scale();

  // train: the network (its own dataset is replaced by the needed dataset task's output).
  // NNWorkflow::document() runs here, so its errors are thrown here.
  Task& workflow(nnworkflow::NNWorkflow& network);
  Task& workflow(nnworkflow::NNWorkflow&& network) { return workflow(network); }
  Task& workflow(nnworkflow::WorkflowDocument document);
  // evaluate, predict.
  Task& threshold(double value);
  // sweep: its members are trained on the needed dataset task's output.
  Task& members(nnworkflow::SweepDocument sweep);

  const TaskSpec& spec() const { return spec_; }

 private:
  explicit Task(TaskSpec spec) : spec_(std::move(spec)) {}
  static Task of(std::string name, decltype(TaskSpec::settings) settings);
  template <typename Settings>
  Settings& settings(const char* setter);
  Task& step(Step step);

  TaskSpec spec_;
};

class Pipeline {
 public:
  explicit Pipeline(std::string name);

  Pipeline& describe(std::string description);
  // The resource of the tasks that name none.
  Pipeline& resource(std::string name);
  Pipeline& add(const Task& task);

  // The document; throws InvalidInput as validate_pipeline does.
  PipelineDocument document() const;

 private:
  PipelineDocument document_;
};

}  // namespace dlaaw::pipeline
