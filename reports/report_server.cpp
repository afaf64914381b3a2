// report_server.cpp - routes and the error policy of the report server: bad parameters are 400,
// unknown ids 404, an unreachable database 503, never a 500 for input.
#include "reports/report_server.h"

#include <httplib.h>

#include <filesystem>
#include <functional>
#include <map>

#include "common/errors.h"
#include "queue/event_stream.h"
#include "queue/redis_client.h"
#include "reports/html.h"
#include "reports/pages.h"
#include "reports/pipeline_page.h"
#include "reports/query_params.h"
#include "reports/report_data.h"
#include "reports/report_downloads.h"
#include "reports/report_server_security.h"
#include "reports/request_deadline_server.h"
#include "reports/run_filter_params.h"
#include "tracker/database.h"
#include "tracker/pipeline_store.h"
#include "tracker/run_annotations.h"
#include "tracker/run_queries.h"

namespace dlaaw::reports {
namespace {

using nlohmann::json;

// An error with its HTTP status.
struct HttpError {
  int status;
  std::string message;
};

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

// Wraps a handler with the error policy, by error type: NotFound 404, other bad input 400, an
// unreachable service 503, anything else 500. `html` picks the error body's format.
httplib::Server::Handler handle(bool html, Handler h) {
  return [html, h](const httplib::Request& req, httplib::Response& res) {
    int status = 200;
    std::string message;
    try {
      h(req, res);
      return;
    } catch (const HttpError& e) {
      status = e.status, message = e.message;
    } catch (const NotFound& e) {
      status = 404, message = e.what();
    } catch (const InvalidInput& e) {
      status = 400, message = e.what();
    } catch (const ServiceUnavailable& e) {
      status = 503, message = e.what();
    } catch (const std::exception& e) {
      status = 500, message = e.what();
    }
    res.status = status;
    if (html) {
      res.set_content(error_page(status, message), "text/html; charset=utf-8");
    } else {
      res.set_content(json({{"error", message}, {"status", status}}).dump(), "application/json");
    }
  };
}

void send_json(httplib::Response& res, const json& j) {
  res.set_content(j.dump(), "application/json");
}

void send_html(httplib::Response& res, const std::string& h) {
  res.set_content(h, "text/html; charset=utf-8");
}

// Where the data comes from. Every handler opens its own read-only connection: SQLite handles are
// per thread, and the tracker may be writing meanwhile (WAL lets both go on).
struct Sources {
  std::string db_path;
  std::string redis_url;

  void with_db(const std::function<void(tracker::SqliteDb&)>& body) const {
    body(*tracker::open_for_reading(db_path));
  }
  // Calls `body` with a connection, or with nullptr when no Redis was given or it is away (the
  // report still shows the database).
  void with_redis(const std::function<void(queue::RedisClient*)>& body) const {
    if (redis_url.empty()) return body(nullptr);
    std::unique_ptr<queue::RedisClient> redis;
    try {
      redis = std::make_unique<queue::RedisClient>(queue::parse_redis_url(redis_url),
                                                   std::chrono::milliseconds(1000));
    } catch (const ServiceUnavailable&) {
      return body(nullptr);
    }
    body(redis.get());
  }
};

// The run ids a compare page or API call names: an experiment's runs or a list. Fills `view`'s
// title and source; false when neither was given.
bool compared_runs(const httplib::Request& req, tracker::SqliteDb& db,
                   std::vector<std::int64_t>& ids, CompareView& view) {
  if (auto e = text_param(req.params, "experiment")) {
    auto [experiment, runs] = tracker::experiment_runs(db, *e);
    view.title = "Compare: experiment " + experiment["name"].get<std::string>();
    view.experiment = *e;
    ids = runs;
    return true;
  }
  if (auto r = text_param(req.params, "runs")) {
    ids = id_list(*r);
    view.title = "Compare: runs " + *r;
    view.runs = *r;
    return true;
  }
  return false;
}

// The compare page's scale and scatter axes (x=, y=: run_quantities() names).
CompareView compare_view(const httplib::Request& req) {
  CompareView v;
  v.log_scale = log_scale_param(req.params);
  for (auto [name, field] : {std::pair{"x", &v.x}, std::pair{"y", &v.y}}) {
    if (auto q = text_param(req.params, name)) {
      if (!find_run_quantity(*q)) {
        std::string names;
        for (const auto& rq : run_quantities()) names += (names.empty() ? "" : ", ") + rq.name;
        throw HttpError{
            400, std::string(name) + ": unknown quantity \"" + *q + "\" (one of " + names + ")"};
      }
      *field = *q;
    }
  }
  return v;
}

// A parameter table is worth reading for a handful of runs, not for a whole sweep.
constexpr std::size_t kMaxParameterColumns = 12;

void install_pages(httplib::Server& s, const Sources& src) {
  s.Get("/", handle(true, [src](const httplib::Request&, httplib::Response& res) {
          json live;
          src.with_redis([&](queue::RedisClient* r) { live = live_state(r); });
          json latest = json::array(), pipelines = json::array();
          if (std::filesystem::exists(src.db_path)) {
            src.with_db([&](tracker::SqliteDb& db) {
              tracker::RunFilter f;
              f.limit = 20;
              latest = tracker::list_runs(db, f);
              pipelines = recent_pipelines(db);
            });
          }
          send_html(res, dashboard_page(live, latest, pipelines));
        }));
  s.Get("/runs", handle(true, [src](const httplib::Request& req, httplib::Response& res) {
          auto f = run_filter(req.params);
          const int per_page = 50;
          const int page_number = int_param(req.params, "page", 1, 1, 1000000);
          f.limit = per_page;
          f.offset = (page_number - 1) * per_page;
          src.with_db([&](tracker::SqliteDb& db) {
            const json rows = tracker::list_runs(db, f);
            send_html(res, runs_page(rows, tracker::count_runs(db, f), f, page_number, per_page));
          });
        }));
  s.Get(
      R"(/runs/([^/]+))", handle(true, [src](const httplib::Request& req, httplib::Response& res) {
        const auto id = parse_id(req.matches[1], "run");
        src.with_db(
            [&](tracker::SqliteDb& db) { send_html(res, run_page(tracker::run_details(db, id))); });
      }));
  s.Get("/experiments", handle(true, [src](const httplib::Request& req, httplib::Response& res) {
          const auto tag = text_param(req.params, "tag");
          std::vector<tracker::TagFilter> tags;
          if (tag) tags.push_back(tracker::parse_tag_filter(*tag, "tag"));
          src.with_db([&](tracker::SqliteDb& db) {
            send_html(res, experiments_page(tracker::list_experiments(db, tags), tag.value_or("")));
          });
        }));
  s.Get("/compare", handle(true, [src](const httplib::Request& req, httplib::Response& res) {
          CompareView view = compare_view(req);
          src.with_db([&](tracker::SqliteDb& db) {
            std::vector<std::int64_t> ids;
            if (!compared_runs(req, db, ids, view)) {
              send_html(res, experiments_page(tracker::list_experiments(db), ""));
              return;
            }
            const json parameters = ids.size() >= 2 && ids.size() <= kMaxParameterColumns
                                        ? tracker::compare_runs(db, ids)
                                        : json();
            send_html(res, compare_page(view, comparison(db, ids), parameters));
          });
        }));
  s.Get(R"(/pipelines/([^/]+))",
        handle(true, [src](const httplib::Request& req, httplib::Response& res) {
          const std::string name = req.matches[1];
          tracker::PipelineView view;
          src.with_db([&](tracker::SqliteDb& db) { view = tracker::pipeline_view(db, name); });
          std::map<std::string, queue::ProgressEvent> progress;
          if (view.state == "running") {
            src.with_redis([&](queue::RedisClient* r) {
              if (r) progress = queue::latest_progress(*r);
            });
          }
          send_html(res, pipeline_page(view, progress));
        }));
}

// The JSON API of one run: the run, its provenance, its model.
void install_run_api(httplib::Server& s, const Sources& src) {
  s.Get(R"(/api/runs/([^/]+))",
        handle(false, [src](const httplib::Request& req, httplib::Response& res) {
          const auto id = parse_id(req.matches[1], "run");
          src.with_db([&](tracker::SqliteDb& db) { send_json(res, tracker::run_details(db, id)); });
        }));
  s.Get(R"(/api/runs/([^/]+)/provenance)",
        handle(false, [src](const httplib::Request& req, httplib::Response& res) {
          const auto id = parse_id(req.matches[1], "run");
          src.with_db([&](tracker::SqliteDb& db) { send_json(res, tracker::provenance(db, id)); });
        }));
  s.Get(R"(/api/runs/([^/]+)/model)",
        handle(false, [src](const httplib::Request& req, httplib::Response& res) {
          const auto id = parse_id(req.matches[1], "run");
          src.with_db([&](tracker::SqliteDb& db) {
            tracker::run_record(db, id);  // 404 for an unknown run before "no model"
            send_json(res, tracker::artifact(db, id, "model"));
          });
        }));
}

// JSON API: everything the pages show, and /metrics.
void install_api(httplib::Server& s, const Sources& src) {
  s.Get("/api/runs", handle(false, [src](const httplib::Request& req, httplib::Response& res) {
          auto f = run_filter(req.params);
          f.limit = int_param(req.params, "limit", 100, 1, 1000);
          f.offset = int_param(req.params, "offset", 0, 0, 100000000);
          src.with_db([&](tracker::SqliteDb& db) {
            send_json(res,
                      {{"total", tracker::count_runs(db, f)}, {"runs", tracker::list_runs(db, f)}});
          });
        }));
  install_run_api(s, src);
  s.Get("/api/experiments",
        handle(false, [src](const httplib::Request& req, httplib::Response& res) {
          const auto tags = parse_tag_filters(param_values(req.params, "tag"));
          src.with_db(
              [&](tracker::SqliteDb& db) { send_json(res, tracker::list_experiments(db, tags)); });
        }));
  s.Get(R"(/api/experiments/([^/]+))",
        handle(false, [src](const httplib::Request& req, httplib::Response& res) {
          const std::string key = req.matches[1];
          if (key.size() > 200) throw HttpError{400, "experiment: too long"};
          src.with_db([&](tracker::SqliteDb& db) {
            auto [experiment, ids] = tracker::experiment_runs(db, key);
            send_json(res, {{"experiment", experiment}, {"comparison", comparison(db, ids)}});
          });
        }));
  s.Get("/api/compare", handle(false, [src](const httplib::Request& req, httplib::Response& res) {
          const auto runs = text_param(req.params, "runs");
          if (!runs) throw HttpError{400, "runs: missing (give run ids separated by commas)"};
          const auto ids = id_list(*runs);
          src.with_db([&](tracker::SqliteDb& db) {
            json out = ids.size() >= 2 ? tracker::compare_runs(db, ids) : json::object();
            out["comparison"] = comparison(db, ids);
            send_json(res, out);
          });
        }));
  s.Get("/api/dashboard", handle(false, [src](const httplib::Request&, httplib::Response& res) {
          json out;
          src.with_redis([&](queue::RedisClient* r) { out = live_state(r); });
          out["pipelines"] = json::array();
          if (std::filesystem::exists(src.db_path))
            src.with_db([&](tracker::SqliteDb& db) { out["pipelines"] = recent_pipelines(db); });
          send_json(res, out);
        }));
  s.Get("/metrics", handle(false, [src](const httplib::Request&, httplib::Response& res) {
          src.with_db([&](tracker::SqliteDb& db) {
            src.with_redis([&](queue::RedisClient* r) {
              res.set_content(prometheus_metrics(db, r), "text/plain; version=0.0.4");
            });
          });
        }));
}

void send_download(httplib::Response& res, const Download& d) {
  res.set_header("Content-Disposition", "attachment; filename=\"" + d.filename + "\"");
  res.set_content(d.body, d.content_type);
}

// Sweeps as objects: a page and its JSON.
void install_sweeps(httplib::Server& s, const Sources& src) {
  const auto overview = [src](const httplib::Request& req) {
    const std::string name = req.matches[1];
    if (name.size() > 200) throw HttpError{400, "sweep: too long"};
    json out;
    src.with_db([&](tracker::SqliteDb& db) {
      src.with_redis([&](queue::RedisClient* r) { out = sweep_overview(db, r, name); });
    });
    return out;
  };
  s.Get(R"(/sweeps/([^/]+))",
        handle(true, [overview](const httplib::Request& req, httplib::Response& res) {
          send_html(res, sweep_page(overview(req)));
        }));
  s.Get(R"(/api/sweeps/([^/]+))",
        handle(false, [overview](const httplib::Request& req, httplib::Response& res) {
          send_json(res, overview(req));
        }));
}

// Downloads (issue 16): the runs table, a comparison, a run's predictions; .csv or .json.
void install_downloads(httplib::Server& s, const Sources& src) {
  s.Get(R"(/runs\.(csv|json))",
        handle(false, [src](const httplib::Request& req, httplib::Response& res) {
          const auto format = parse_download_format(req.matches[1]);
          const auto f = run_filter(req.params);
          src.with_db(
              [&](tracker::SqliteDb& db) { send_download(res, runs_download(db, f, format)); });
        }));
  s.Get(R"(/compare\.(csv|json))",
        handle(false, [src](const httplib::Request& req, httplib::Response& res) {
          const auto format = parse_download_format(req.matches[1]);
          src.with_db([&](tracker::SqliteDb& db) {
            std::vector<std::int64_t> ids;
            CompareView view;
            if (!compared_runs(req, db, ids, view))
              throw HttpError{400, "give experiment=NAME or runs=ID,ID,..."};
            send_download(res,
                          comparison_download(db, ids, view.experiment.value_or("runs"), format));
          });
        }));
  s.Get(R"(/runs/([^/]+)/predictions\.(csv|json))",
        handle(false, [src](const httplib::Request& req, httplib::Response& res) {
          const auto id = parse_id(req.matches[1], "run");
          const auto format = parse_download_format(req.matches[2]);
          src.with_db([&](tracker::SqliteDb& db) {
            send_download(res, predictions_download(db, id, format));
          });
        }));
}

void install_error_handler(httplib::Server& s) {
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const std::string message = res.status == 404 ? "nothing at " + req.path : "request failed";
    if (is_api_path(req.path)) {
      res.set_content(json({{"error", message}, {"status", res.status}}).dump(),
                      "application/json");
    } else {
      res.set_content(error_page(res.status, message), "text/html; charset=utf-8");
    }
  });
}

}  // namespace

ReportServer::ReportServer(ServeOptions options)
    : options_(std::move(options)),
      server_(
          std::make_unique<RequestDeadlineServer>(std::chrono::seconds(kRequestDeadlineSeconds))) {
  if (!is_loopback(options_.bind) && options_.token.empty()) {
    throw InvalidInput("serve: --bind " + options_.bind +
                       " is not a loopback address, so anyone who reaches the port would read "
                       "every run: give a token with --token-file FILE or DLAAW_REPORT_TOKEN");
  }
  server_->set_tcp_nodelay(true);  // small responses: without it Nagle adds ~40 ms
  secure_server(*server_, options_.token);
  install_routes();
}

ReportServer::~ReportServer() = default;

int ReportServer::bind() {
  int port = options_.port;
  if (port == 0) {
    port = server_->bind_to_any_port(options_.bind.c_str());
  } else if (!server_->bind_to_port(options_.bind.c_str(), port)) {
    port = -1;
  }
  if (port <= 0) {
    throw ServiceUnavailable("serve: cannot listen on " + options_.bind + ":" +
                             std::to_string(options_.port) + " (in use? try --port)");
  }
  return port;
}

void ReportServer::run() { server_->listen_after_bind(); }
void ReportServer::stop() { server_->stop(); }

void ReportServer::install_routes() {
  const Sources sources{options_.db_path, options_.redis_url};
  install_pages(*server_, sources);
  install_api(*server_, sources);
  install_downloads(*server_, sources);
  install_sweeps(*server_, sources);
  install_error_handler(*server_);
}

}  // namespace dlaaw::reports
