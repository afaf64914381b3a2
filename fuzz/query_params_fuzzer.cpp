// query_params_fuzzer.cpp - fuzzes the report's parameter checks and the run queries they feed.
//
// Input: a path segment, a newline, then a query string (`a=1&b=2`, already decoded: any byte
// may appear in a name or value). Every route's checks run on it; a filter they accept goes to
// list_runs and count_runs against a small tracker database, as /runs and /api/runs do. Only
// InvalidInput (NotFound included) may come out.
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string_view>

#include "common/errors.h"
#include "fuzz/fuzz_support.h"
#include "reports/query_params.h"
#include "tracker/schema.h"
#include "tracker/sqlite_db.h"

namespace dlaaw::reports {
namespace {

QueryParams params_from(std::string_view query) {
  QueryParams params;
  while (true) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    params.emplace(std::string(pair.substr(0, eq)),
                   eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return params;
}

// An empty tracker database in a temporary folder, removed at exit.
class ScratchDatabase {
 public:
  ScratchDatabase() {
    char pattern[] = "/tmp/dlaaw-fuzz-XXXXXX";
    dir_ = mkdtemp(pattern);
    db_ = std::make_unique<tracker::SqliteDb>((dir_ / "runs.db").string());
    tracker::migrate(*db_);
  }
  ~ScratchDatabase() {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  tracker::SqliteDb& db() { return *db_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<tracker::SqliteDb> db_;
};

void check_route_params(const std::string& segment, const QueryParams& params) {
  using fuzz::accepted;
  accepted<InvalidInput>([&] { FUZZ_CHECK(parse_id(segment, "run") > 0); });
  accepted<InvalidInput>([&] { log_scale_param(params); });
  accepted<InvalidInput>([&] {
    if (const auto runs = text_param(params, "runs")) {
      FUZZ_CHECK(runs->size() <= 200);
      const auto ids = id_list(*runs);
      FUZZ_CHECK(!ids.empty() && ids.size() <= 1000);
      for (const auto id : ids) FUZZ_CHECK(id > 0);
    }
  });
  accepted<InvalidInput>([&] {
    const int page = int_param(params, "page", 1, 1, 1000000);
    FUZZ_CHECK(page >= 1 && page <= 1000000);
  });
}

}  // namespace
}  // namespace dlaaw::reports

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dlaaw::reports;
  static ScratchDatabase scratch;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string segment(input.substr(0, newline));
  const QueryParams params =
      params_from(newline == std::string_view::npos ? "" : input.substr(newline + 1));
  check_route_params(segment, params);
  dlaaw::fuzz::accepted<dlaaw::InvalidInput>([&] {
    auto filter = run_filter(params);
    filter.limit = int_param(params, "limit", 100, 1, 1000);
    filter.offset = int_param(params, "offset", 0, 0, 100000000);
    const auto runs = dlaaw::tracker::list_runs(scratch.db(), filter);
    FUZZ_CHECK(runs.is_array());
    FUZZ_CHECK(dlaaw::tracker::count_runs(scratch.db(), filter) >= 0);
  });
  return 0;
}
