// annotation_commands.cpp - tags, notes, archiving and deleting runs from the command line.
#include "cli/annotation_commands.h"

#include <cstdio>
#include <memory>

#include "cli/exit_codes.h"
#include "common/errors.h"
#include "tracker/database.h"
#include "tracker/db_path.h"
#include "tracker/run_annotations.h"
#include "tracker/run_lifecycle.h"
#include "tracker/run_queries.h"

namespace dlaaw::cli {
namespace {

struct AnnotationArgs {
  std::string db;
  std::string target;  // a run id, or an experiment's name or id with --experiment
  bool experiment = false;
  std::vector<std::string> tags;
  std::vector<std::string> remove;
  std::string note;
};

std::int64_t run_id(const std::string& text) {
  try {
    std::size_t end = 0;
    const long long id = std::stoll(text, &end);
    if (end == text.size() && id > 0) return id;
  } catch (const std::exception&) {
  }
  throw InvalidInput("RUN: \"" + text + "\" is not a run id (give --experiment for an experiment)");
}

int tag(const AnnotationArgs& a) {
  std::vector<tracker::Tag> tags;
  for (const auto& t : a.tags) tags.push_back(tracker::parse_tag(t, "tag"));
  for (const auto& k : a.remove) tracker::parse_tag_filter(k, "--remove");  // checks the key
  if (tags.empty() && a.remove.empty()) throw InvalidInput("tag: give key=value or --remove KEY");
  auto db = tracker::open_for_editing(tracker::resolve_db_path(a.db));
  const std::string what = (a.experiment ? "experiment " : "run ") + a.target;
  int removed = 0;
  if (a.experiment) {
    if (!tags.empty()) tracker::tag_experiment(*db, a.target, tags);
    if (!a.remove.empty()) removed = tracker::untag_experiment(*db, a.target, a.remove);
  } else {
    const auto id = run_id(a.target);
    if (!tags.empty()) tracker::tag_run(*db, id, tags);
    if (!a.remove.empty()) removed = tracker::untag_run(*db, id, a.remove);
  }
  std::printf("%s: %zu tag(s) set, %d removed\n", what.c_str(), tags.size(), removed);
  return kSuccess;
}

int note(const AnnotationArgs& a) {
  auto db = tracker::open_for_editing(tracker::resolve_db_path(a.db));
  if (a.experiment) {
    tracker::note_experiment(*db, a.target, a.note);
  } else {
    tracker::note_run(*db, run_id(a.target), a.note);
  }
  std::printf("%s %s: note %s\n", a.experiment ? "experiment" : "run", a.target.c_str(),
              a.note.empty() ? "cleared" : "set");
  return kSuccess;
}

struct LifecycleArgs {
  std::string db;
  std::vector<std::int64_t> ids;
  std::string experiment, dataset, state, resource, archived;
  std::vector<std::string> tags;
  bool dry_run = false;
};

enum class Lifecycle { Archive, Restore, Delete };

// The runs a lifecycle command acts on: the ids given, or those matching the filter options.
// Each command has its own default for archived runs: archive looks at live ones, restore at
// archived ones, delete at both.
std::vector<std::int64_t> selected_runs(tracker::SqliteDb& db, const LifecycleArgs& a,
                                        Lifecycle what) {
  const bool filtered = !a.experiment.empty() || !a.dataset.empty() || !a.state.empty() ||
                        !a.resource.empty() || !a.tags.empty() || !a.archived.empty();
  if (!a.ids.empty() && filtered)
    throw InvalidInput("runs: give run ids or filter options, not both");
  if (!a.ids.empty()) {
    tracker::require_runs(db, a.ids);
    return a.ids;
  }
  if (!filtered) {
    throw InvalidInput(
        "runs: give run ids or at least one of --experiment, --dataset, --state, --resource, "
        "--tag, --archived (nothing is selected by default)");
  }
  tracker::RunFilter f;
  if (!a.experiment.empty()) f.experiment = a.experiment;
  if (!a.dataset.empty()) f.dataset = a.dataset;
  if (!a.state.empty()) f.state = a.state;
  if (!a.resource.empty()) f.resource = a.resource;
  for (const auto& t : a.tags) f.tags.push_back(tracker::parse_tag_filter(t, "--tag"));
  f.archived = what == Lifecycle::Archive   ? tracker::ArchivedRuns::Hidden
               : what == Lifecycle::Restore ? tracker::ArchivedRuns::Only
                                            : tracker::ArchivedRuns::Included;
  if (a.archived == "hide") f.archived = tracker::ArchivedRuns::Hidden;
  if (a.archived == "only") f.archived = tracker::ArchivedRuns::Only;
  if (a.archived == "include") f.archived = tracker::ArchivedRuns::Included;
  return tracker::matching_run_ids(db, f);
}

int lifecycle(const LifecycleArgs& a, Lifecycle what) {
  auto db_owner = tracker::open_for_editing(tracker::resolve_db_path(a.db));
  auto& db = *db_owner;
  const auto ids = selected_runs(db, a, what);
  const char* verb = what == Lifecycle::Archive   ? "archive"
                     : what == Lifecycle::Restore ? "restore"
                                                  : "delete";
  if (a.dry_run) {
    std::printf("would %s %zu run(s):", verb, ids.size());
    for (std::size_t i = 0; i < ids.size() && i < 50; ++i)
      std::printf(" %lld", static_cast<long long>(ids[i]));
    std::printf("%s\n", ids.size() > 50 ? " ..." : "");
    return kSuccess;
  }
  if (what == Lifecycle::Archive) {
    std::printf("archived %d run(s) of %zu selected\n", tracker::archive_runs(db, ids), ids.size());
  } else if (what == Lifecycle::Restore) {
    std::printf("restored %d run(s) of %zu selected\n", tracker::restore_runs(db, ids), ids.size());
  } else {
    const auto out = tracker::delete_runs(db, ids);
    std::printf(
        "deleted %d run(s) with their metrics, losses, models and predictions; database "
        "%ju -> %ju bytes (%s)\n",
        out.deleted, out.bytes_before, out.bytes_after, out.reclaimed_by.c_str());
    if (!out.executing.empty()) {
      std::printf("left %zu executing run(s) alone (cancel them first):", out.executing.size());
      for (const auto id : out.executing) std::printf(" %lld", static_cast<long long>(id));
      std::printf("\n");
    }
  }
  return kSuccess;
}

}  // namespace

void add_annotation_commands(CLI::App& app, int& exit_code) {
  auto t = std::make_shared<AnnotationArgs>();
  CLI::App* tag_cmd =
      app.add_subcommand("tag", "Set or remove key=value tags on a run or experiment");
  tag_cmd->add_option("target", t->target, "Run id (an experiment's name or id with --experiment)")
      ->required();
  tag_cmd->add_option("tags", t->tags,
                      "key=value tags to set (a key is set once: a new value "
                      "replaces the old)");
  tag_cmd->add_option("--remove", t->remove, "Remove the tag with this key (repeatable)");
  tag_cmd->add_flag("--experiment", t->experiment, "The target is an experiment");
  tag_cmd->add_option("--db", t->db, "Tracker database (default: $DLAAW_DB, else ./dlaaw.db)");
  tag_cmd->callback([t, &exit_code] { exit_code = run_guarded([&] { return tag(*t); }); });

  auto n = std::make_shared<AnnotationArgs>();
  CLI::App* note_cmd = app.add_subcommand("note", "Write a note on a run or experiment");
  note_cmd->add_option("target", n->target, "Run id (an experiment's name or id with --experiment)")
      ->required();
  note_cmd->add_option("text", n->note, "The note (\"\" clears it)")->required();
  note_cmd->add_flag("--experiment", n->experiment, "The target is an experiment");
  note_cmd->add_option("--db", n->db, "Tracker database (default: $DLAAW_DB, else ./dlaaw.db)");
  note_cmd->callback([n, &exit_code] { exit_code = run_guarded([&] { return note(*n); }); });
}

void add_run_lifecycle_commands(CLI::App& runs, int& exit_code) {
  const auto add = [&](const char* name, const char* help, Lifecycle what) {
    auto a = std::make_shared<LifecycleArgs>();
    CLI::App* cmd = runs.add_subcommand(name, help);
    cmd->add_option("ids", a->ids, "Run ids");
    cmd->add_option("--experiment", a->experiment, "Runs of this experiment");
    cmd->add_option("--dataset", a->dataset, "Runs on this dataset");
    cmd->add_option("--state", a->state, "Runs in this state");
    cmd->add_option("--resource", a->resource, "Runs on this resource");
    cmd->add_option("--tag", a->tags, "Runs with this tag (key or key=value; repeatable)");
    cmd->add_option("--archived", a->archived, "hide, only or include archived runs")
        ->check(CLI::IsMember({"hide", "only", "include"}));
    cmd->add_flag("--dry-run", a->dry_run, "Only say how many runs and which would change");
    cmd->add_option("--db", a->db, "Tracker database (default: $DLAAW_DB, else ./dlaaw.db)");
    cmd->callback(
        [a, what, &exit_code] { exit_code = run_guarded([&] { return lifecycle(*a, what); }); });
  };
  add("archive", "Hide runs from lists (dlaaw runs restore brings them back)", Lifecycle::Archive);
  add("restore", "Bring archived runs back", Lifecycle::Restore);
  add("delete",
      "Delete runs with their metrics, losses, models and predictions, and reclaim the space",
      Lifecycle::Delete);
}

}  // namespace dlaaw::cli
