// report_server.cpp - routes, parameter validation and the error policy of the report server:
// bad parameters are 400, unknown ids 404, an unreachable database 503, never a 500 for input.
#include "reports/report_server.h"

#include <httplib.h>

#include <charconv>
#include <filesystem>
#include <functional>

#include "common/errors.h"
#include "queue/redis_client.h"
#include "reports/html.h"
#include "reports/pages.h"
#include "reports/report_data.h"
#include "reports/report_server_security.h"
#include "tracker/database.h"
#include "tracker/run_queries.h"

namespace dlaaw::reports {
namespace {

using nlohmann::json;

// An error with its HTTP status.
struct HttpError {
  int status;
  std::string message;
};

std::int64_t parse_id(const std::string& text, const std::string& what) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0)
    throw NotFound(what + " " + text + ": no such " + what);
  return v;
}

int int_param(const httplib::Request& req, const std::string& name, int fallback, int lo, int hi) {
  if (!req.has_param(name.c_str())) return fallback;
  const std::string text = req.get_param_value(name.c_str());
  int v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi) {
    throw HttpError{400, name + ": must be an integer from " + std::to_string(lo) + " to " +
                             std::to_string(hi) + ", got \"" + text + "\""};
  }
  return v;
}

std::optional<std::string> text_param(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  std::string v = req.get_param_value(name);
  if (v.empty()) return std::nullopt;
  if (v.size() > 200) throw HttpError{400, std::string(name) + ": too long"};
  return v;
}

tracker::RunFilter run_filter(const httplib::Request& req) {
  tracker::RunFilter f;
  f.experiment = text_param(req, "experiment");
  f.dataset = text_param(req, "dataset");
  f.state = text_param(req, "state");
  f.resource = text_param(req, "resource");
  if (auto sort = text_param(req, "sort")) f.sort = *sort;
  if (auto order = text_param(req, "order")) {
    if (*order != "asc" && *order != "desc")
      throw HttpError{400, "order: must be asc or desc, got \"" + *order + "\""};
    f.descending = *order == "desc";
  }
  return f;
}

std::vector<std::int64_t> id_list(const std::string& text) {
  std::vector<std::int64_t> ids;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string part =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec != std::errc() || end != part.data() + part.size() || v <= 0) {
      throw HttpError{400, "runs: \"" + part + "\" is not a run id (give ids separated by commas)"};
    }
    ids.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (ids.size() > 1000) throw HttpError{400, "runs: at most 1000 ids"};
  return ids;
}

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

// The run ids a compare page or API call names: an experiment's runs or a list. Sets `title` and
// `query` for the page; false when neither was given.
bool compared_runs(const httplib::Request& req, tracker::SqliteDb& db,
                   std::vector<std::int64_t>& ids, std::string& title, std::string& query) {
  if (auto e = text_param(req, "experiment")) {
    auto [experiment, runs] = tracker::experiment_runs(db, *e);
    title = "Compare: experiment " + experiment["name"].get<std::string>();
    ids = runs;
    query = "experiment=" + url_encode(*e);
    return true;
  }
  if (auto r = text_param(req, "runs")) {
    ids = id_list(*r);
    title = "Compare: runs " + *r;
    query = "runs=" + url_encode(*r);
    return true;
  }
  return false;
}

void install_pages(httplib::Server& s, const Sources& src) {
  s.Get("/", handle(true, [src](const httplib::Request&, httplib::Response& res) {
          json live;
          src.with_redis([&](queue::RedisClient* r) { live = live_state(r); });
          json latest = json::array();
          if (std::filesystem::exists(src.db_path)) {
            src.with_db([&](tracker::SqliteDb& db) {
              tracker::RunFilter f;
              f.limit = 20;
              latest = tracker::list_runs(db, f);
            });
          }
          send_html(res, dashboard_page(live, latest));
        }));
  s.Get("/runs", handle(true, [src](const httplib::Request& req, httplib::Response& res) {
          auto f = run_filter(req);
          const int per_page = 50;
          const int page_number = int_param(req, "page", 1, 1, 1000000);
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
  s.Get("/experiments", handle(true, [src](const httplib::Request&, httplib::Response& res) {
          src.with_db([&](tracker::SqliteDb& db) {
            send_html(res, experiments_page(tracker::list_experiments(db)));
          });
        }));
  s.Get("/compare", handle(true, [src](const httplib::Request& req, httplib::Response& res) {
          const bool log_scale = req.has_param("scale") && req.get_param_value("scale") == "log";
          if (req.has_param("scale") && !log_scale && req.get_param_value("scale") != "linear")
            throw HttpError{400, "scale: must be linear or log"};
          src.with_db([&](tracker::SqliteDb& db) {
            std::vector<std::int64_t> ids;
            std::string title, query;
            if (!compared_runs(req, db, ids, title, query)) {
              send_html(res, experiments_page(tracker::list_experiments(db)));
              return;
            }
            send_html(res, compare_page(title, comparison(db, ids), log_scale, query));
          });
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
          auto f = run_filter(req);
          f.limit = int_param(req, "limit", 100, 1, 1000);
          f.offset = int_param(req, "offset", 0, 0, 100000000);
          src.with_db([&](tracker::SqliteDb& db) {
            send_json(res,
                      {{"total", tracker::count_runs(db, f)}, {"runs", tracker::list_runs(db, f)}});
          });
        }));
  install_run_api(s, src);
  s.Get(
      "/api/experiments", handle(false, [src](const httplib::Request&, httplib::Response& res) {
        src.with_db([&](tracker::SqliteDb& db) { send_json(res, tracker::list_experiments(db)); });
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
          const auto runs = text_param(req, "runs");
          if (!runs) throw HttpError{400, "runs: missing (give run ids separated by commas)"};
          const auto ids = id_list(*runs);
          src.with_db([&](tracker::SqliteDb& db) {
            json out = ids.size() >= 2 ? tracker::compare_runs(db, ids) : json::object();
            out["comparison"] = comparison(db, ids);
            send_json(res, out);
          });
        }));
  s.Get("/api/dashboard", handle(false, [src](const httplib::Request&, httplib::Response& res) {
          src.with_redis([&](queue::RedisClient* r) { send_json(res, live_state(r)); });
        }));
  s.Get("/metrics", handle(false, [src](const httplib::Request&, httplib::Response& res) {
          src.with_db([&](tracker::SqliteDb& db) {
            src.with_redis([&](queue::RedisClient* r) {
              res.set_content(prometheus_metrics(db, r), "text/plain; version=0.0.4");
            });
          });
        }));
}

void install_error_handler(httplib::Server& s) {
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const std::string message = res.status == 404 ? "nothing at " + req.path : "request failed";
    if (req.path.rfind("/api/", 0) == 0) {
      res.set_content(json({{"error", message}, {"status", res.status}}).dump(),
                      "application/json");
    } else {
      res.set_content(error_page(res.status, message), "text/html; charset=utf-8");
    }
  });
}

}  // namespace

ReportServer::ReportServer(ServeOptions options)
    : options_(std::move(options)), server_(std::make_unique<httplib::Server>()) {
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
  install_error_handler(*server_);
}

}  // namespace dlaaw::reports
