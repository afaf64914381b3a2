// pipeline_page.cpp - a pipeline's DAG drawn as SVG, and its task table.
#include "reports/pipeline_page.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "reports/html.h"
#include "reports/page_parts.h"

namespace dlaaw::reports {
namespace {

constexpr int kBoxWidth = 170, kBoxHeight = 46, kColumnGap = 60, kRowGap = 18, kMargin = 10;

const char* fill_of(const std::string& state) {
  static const std::map<std::string, const char*> kFill{
      {"pending", "#e5e7eb"},  {"queued", "#fde68a"},   {"running", "#93c5fd"},
      {"finished", "#86efac"}, {"cached", "#bbf7d0"},   {"failed", "#fca5a5"},
      {"skipped", "#d1d5db"},  {"cancelled", "#c4b5fd"}};
  const auto it = kFill.find(state);
  return it == kFill.end() ? "#ffffff" : it->second;
}

// Each task's depth: 0 without needs, else one more than its deepest need. Tasks arrive in
// document order, which a valid pipeline need not topologically sort, so repeat until stable.
std::map<std::string, int> depths(const tracker::PipelineView& p) {
  std::map<std::string, int> depth;
  for (const auto& t : p.tasks) depth[t.name] = 0;
  for (std::size_t round = 0; round < p.tasks.size(); ++round) {
    bool changed = false;
    for (const auto& t : p.tasks) {
      for (const auto& need : t.needs) {
        if (depth.count(need) && depth[need] + 1 > depth[t.name]) {
          depth[t.name] = depth[need] + 1;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return depth;
}

std::string seconds(const tracker::PipelineTaskRecord& t) {
  if (!t.started_at || !t.finished_at) return "";
  return number(static_cast<double>(*t.finished_at - *t.started_at) / 1000.0, 1) + " s";
}

using Progress = std::map<std::string, queue::ProgressEvent>;

// The latest progress of a running task's job, or nullptr.
const queue::ProgressEvent* progress_of(const tracker::PipelineTaskRecord& t,
                                        const Progress& progress) {
  if (t.state != "running" || t.job_id.empty()) return nullptr;
  const auto it = progress.find(t.job_id);
  return it == progress.end() ? nullptr : &it->second;
}

double done(const queue::ProgressEvent& e) {
  return training_done(e.fold, e.folds, e.epoch, e.epochs);
}

// " 42%" of a running task's training, for its box.
std::string percent_done(const queue::ProgressEvent& e) {
  return std::isnan(done(e)) ? "" : " " + number(done(e) * 100, 0) + "%";
}

// The run a task's box and row link to: its own job's, else (reused) the producing job's.
std::optional<std::int64_t> run_of(const tracker::PipelineTaskRecord& t) {
  return t.run_id ? t.run_id : t.source_run_id;
}

std::string dag_svg(const tracker::PipelineView& p, const Progress& progress) {
  const auto depth = depths(p);
  std::map<int, int> rows_at;
  std::map<std::string, std::pair<int, int>> at;  // task -> (x, y) of its box
  for (const auto& t : p.tasks) {
    const int d = depth.at(t.name);
    at[t.name] = {kMargin + d * (kBoxWidth + kColumnGap),
                  kMargin + rows_at[d]++ * (kBoxHeight + kRowGap)};
  }
  int width = 0, height = 0;
  for (const auto& [name, xy] : at) {
    width = std::max(width, xy.first + kBoxWidth + kMargin);
    height = std::max(height, xy.second + kBoxHeight + kMargin);
  }
  std::string svg = "<svg class=\"dag\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(width) + "\" height=\"" + std::to_string(height) + "\">";
  for (const auto& t : p.tasks) {
    for (const auto& need : t.needs) {
      if (!at.count(need)) continue;
      const auto [x1, y1] = at[need];
      const auto [x2, y2] = at[t.name];
      svg += "<line class=\"edge\" data-from=\"" + escape(need) + "\" data-to=\"" + escape(t.name) +
             "\" x1=\"" + std::to_string(x1 + kBoxWidth) + "\" y1=\"" +
             std::to_string(y1 + kBoxHeight / 2) + "\" x2=\"" + std::to_string(x2) + "\" y2=\"" +
             std::to_string(y2 + kBoxHeight / 2) + "\" stroke=\"#6b7280\"/>";
    }
  }
  for (const auto& t : p.tasks) {
    const auto [x, y] = at[t.name];
    std::string box = "<g class=\"task state-" + escape(t.state) + "\" data-task=\"" +
                      escape(t.name) + "\" data-state=\"" + escape(t.state) + "\">";
    box += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
           std::to_string(kBoxWidth) + "\" height=\"" + std::to_string(kBoxHeight) +
           "\" rx=\"6\" fill=\"" + fill_of(t.state) + "\" stroke=\"#374151\"/>";
    box += "<text x=\"" + std::to_string(x + 8) + "\" y=\"" + std::to_string(y + 18) +
           "\" font-weight=\"bold\">" + escape(t.name) + "</text>";
    const auto* running = progress_of(t, progress);
    box += "<text x=\"" + std::to_string(x + 8) + "\" y=\"" + std::to_string(y + 36) + "\">" +
           escape(t.kind) + " · " + escape(t.state) + (running ? percent_done(*running) : "") +
           "</text></g>";
    if (const auto run = run_of(t)) {
      box = "<a href=\"/runs/" + std::to_string(*run) + "\">" + box + "</a>";
    }
    svg += box;
  }
  return svg + "</svg>";
}

std::string run_link(const std::optional<std::int64_t>& run) {
  if (!run) return "";
  return "<a href=\"/runs/" + std::to_string(*run) + "\">" + std::to_string(*run) + "</a>";
}

// Where a reused task's output came from: the job that produced it and that job's run.
std::string source_cell(const tracker::PipelineTaskRecord& t) {
  if (t.state != "cached") return "<td class=\"source\"></td>";
  if (t.source_job_id.empty()) return "<td class=\"source\">reused</td>";
  std::string cell = "reused from job <code>" + escape(t.source_job_id) + "</code>";
  if (t.source_run_id) cell += " (run " + run_link(t.source_run_id) + ")";
  return "<td class=\"source\" data-job=\"" + escape(t.source_job_id) + "\">" + cell + "</td>";
}

std::string progress_cell(const tracker::PipelineTaskRecord& t, const Progress& progress) {
  const auto* e = progress_of(t, progress);
  if (!e) return "<td class=\"progress\"></td>";
  return "<td class=\"progress\">fold " + std::to_string(e->fold + 1) + "/" +
         std::to_string(e->folds) + ", epoch " + std::to_string(e->epoch) + "/" +
         std::to_string(e->epochs) + " " + progress_bar(done(*e)) + " loss " + number(e->loss, 4) +
         "</td>";
}

std::string task_table(const tracker::PipelineView& p, const Progress& progress) {
  std::string html =
      "<table id=\"tasks\"><tr><th>task</th><th>kind</th><th>state</th><th>needs</th>"
      "<th>time</th><th>progress</th><th>job</th><th>run</th><th>output</th><th>source</th>"
      "<th>error</th></tr>";
  for (const auto& t : p.tasks) {
    std::string needs;
    for (const auto& n : t.needs) needs += (needs.empty() ? "" : ", ") + escape(n);
    html += "<tr data-task=\"" + escape(t.name) + "\"><td>" + escape(t.name) + "</td><td>" +
            escape(t.kind) + "</td><td>" + escape(t.state) + "</td><td>" + needs + "</td><td>" +
            seconds(t) + "</td>" + progress_cell(t, progress) + "<td>" + escape(t.job_id) +
            "</td><td>" + run_link(t.run_id) + "</td><td><code>" +
            escape(t.output_sha256.substr(0, 12)) + "</code></td>" + source_cell(t) + "<td>" +
            escape(t.error) + "</td></tr>";
  }
  return html + "</table>";
}

}  // namespace

std::string pipeline_page(const tracker::PipelineView& p, const Progress& progress_by_job) {
  // page() writes the title as the heading.
  std::string body = "<p class=\"pipeline-state\">" + escape(p.state) + "</p>";
  if (!p.error.empty())
    body += "<p class=\"state-error\" id=\"driver-error\">its driver stopped: " + escape(p.error) +
            "</p>";
  body += dag_svg(p, progress_by_job) + task_table(p, progress_by_job);
  return page("Pipeline " + p.name, body, p.state == "running" ? 2 : 0);
}

}  // namespace dlaaw::reports
