// pipeline_builder.cpp - building pipeline documents from C++ code.
#include "pipeline/pipeline_builder.h"

#include "common/errors.h"
#include "nnworkflow/workflow_json.h"
#include "pipeline/pipeline_validation.h"
#include "pipeline/task_workflow.h"

namespace dlaaw::pipeline {
Task Task::of(std::string name, decltype(TaskSpec::settings) settings) {
  TaskSpec spec;
  spec.name = std::move(name);
  spec.settings = std::move(settings);
  return Task(std::move(spec));
}

Task Task::dataset(std::string name) { return of(std::move(name), DatasetSettings{}); }
Task Task::train(std::string name) { return of(std::move(name), TrainSettings{}); }
Task Task::evaluate(std::string name) { return of(std::move(name), EvaluateSettings{}); }
Task Task::predict(std::string name) { return of(std::move(name), PredictSettings{}); }
Task Task::compare(std::string name) { return of(std::move(name), CompareSettings{}); }
Task Task::sweep(std::string name) { return of(std::move(name), SweepSettings{}); }

template <typename Settings>
Settings& Task::settings(const char* setter) {
  auto* s = std::get_if<Settings>(&spec_.settings);
  if (!s) {
    const TaskKind wanted = static_cast<TaskKind>(decltype(spec_.settings)(Settings{}).index());
    throw InvalidInput("tasks." + spec_.name + ": " + setter + "() is for " +
                       std::string(task_kind_name(wanted)) + " tasks, not " +
                       std::string(task_kind_name(spec_.kind())));
  }
  return *s;
}

Task& Task::on(std::string resource) {
  spec_.resource = std::move(resource);
  return *this;
}

Task& Task::catalog(std::string name) {
  settings<DatasetSettings>("catalog").source =
      DatasetSource{std::move(name), std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  return *this;
}

Task& Task::file(std::string path, std::optional<std::string> label,
                 std::optional<std::string> positive) {
  settings<DatasetSettings>("file").source = DatasetSource{
      std::nullopt, std::move(path), std::move(label), std::move(positive), std::nullopt};
  return *this;
}

Task& Task::step(Step step) {
  settings<DatasetSettings>(std::string(step_op_name(step)).c_str())
      .steps.push_back(std::move(step));
  return *this;
}

Task& Task::drop_empty() { return step(DropEmpty{}); }
Task& Task::select(std::vector<std::string> columns) {
  return step(SelectColumns{std::move(columns)});
}
Task& Task::drop(std::vector<std::string> columns) { return step(DropColumns{std::move(columns)}); }

Task& Task::filter(std::string column, std::string_view test, double value) {
  const auto comparison = parse_comparison(test);
  if (!comparison || *comparison == Comparison::In) {
    throw InvalidInput("tasks." + spec_.name + ": filter(): unknown comparison \"" +
                       std::string(test) + "\" (use filter_in for in)");
  }
  return step(RowFilter{std::move(column), *comparison, {FilterValue{value, ""}}});
}

Task& Task::filter(std::string column, std::string_view test, std::string value) {
  const auto comparison = parse_comparison(test);
  if (!comparison || *comparison == Comparison::In) {
    throw InvalidInput("tasks." + spec_.name + ": filter(): unknown comparison \"" +
                       std::string(test) + "\" (use filter_in for in)");
  }
  return step(
      RowFilter{std::move(column), *comparison, {FilterValue{std::nullopt, std::move(value)}}});
}

Task& Task::filter_in(std::string column, std::vector<FilterValue> values) {
  return step(RowFilter{std::move(column), Comparison::In, std::move(values)});
}

Task& Task::ordinal(std::vector<std::string> columns,
                    std::map<std::string, std::vector<std::string>> categories) {
  return step(EncodeColumns{Encoding::Ordinal, std::move(columns), std::move(categories)});
}

Task& Task::one_hot(std::vector<std::string> columns,
                    std::map<std::string, std::vector<std::string>> categories) {
  return step(EncodeColumns{Encoding::OneHot, std::move(columns), std::move(categories)});
}

Task& Task::split_train_test(double test_fraction, std::uint64_t seed) {
  return step(SplitRows{{nnworkflow::PlanType::TrainTest, test_fraction, std::nullopt}, seed});
}

Task& Task::split_kfold(int k, std::uint64_t seed) {
  return step(SplitRows{{nnworkflow::PlanType::KFold, std::nullopt, k}, seed});
}

Task& Task::min_max_scale() { return step(MinMaxScale{}); }

Task& Task::workflow(nnworkflow::NNWorkflow& network) { return workflow(network.document()); }

Task& Task::workflow(nnworkflow::WorkflowDocument document) {
  document.dataset = {};
  settings<TrainSettings>("workflow").workflow = std::move(document);
  return *this;
}

Task& Task::threshold(double value) {
  if (auto* e = std::get_if<EvaluateSettings>(&spec_.settings)) {
    e->threshold = value;
  } else {
    settings<PredictSettings>("threshold").threshold = value;
  }
  return *this;
}

Task& Task::members(nnworkflow::SweepDocument sweep) {
  for (auto& w : sweep.workflows) w = normalize_task_workflow(w, spec_.name);
  settings<SweepSettings>("members").sweep = std::move(sweep);
  return *this;
}

Pipeline::Pipeline(std::string name) { document_.name = std::move(name); }

Pipeline& Pipeline::describe(std::string description) {
  document_.description = std::move(description);
  return *this;
}

Pipeline& Pipeline::resource(std::string name) {
  document_.resource = std::move(name);
  return *this;
}

Pipeline& Pipeline::add(const Task& task) {
  document_.tasks.push_back(task.spec());
  return *this;
}

PipelineDocument Pipeline::document() const {
  validate_pipeline(document_);
  return document_;
}

}  // namespace dlaaw::pipeline
