// report_test_support.h - what the report tests share: a ReportServer on a free port over a
// database, and headless Chromium rendering a page (its DOM, a screenshot, a probe script's
// measurements).
#pragma once

#include <httplib.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "../common/chromium.h"
#include "reports/report_server.h"

namespace dlaaw::reports {

// A report server on a free loopback port, stopped and joined when it goes out of scope.
class ServedReport {
 public:
  explicit ServedReport(const std::string& db_path, const std::string& redis_url = "") {
    ServeOptions options;
    options.db_path = db_path;
    options.redis_url = redis_url;
    options.port = 0;
    server_ = std::make_unique<ReportServer>(options);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->run(); });
  }
  ~ServedReport() {
    server_->stop();
    thread_.join();
  }
  ServedReport(const ServedReport&) = delete;
  ServedReport& operator=(const ServedReport&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  httplib::Result get(const std::string& path) const {
    httplib::Client client("127.0.0.1", port_);
    return client.Get(path.c_str());
  }

 private:
  std::unique_ptr<ReportServer> server_;
  std::thread thread_;
  int port_ = 0;
};

using testing::artifact_path;
using testing::browse;
using testing::have_chromium;

// Renders `html` (a page the report served) with `script` appended, from a file in `dir`, and
// returns the text the script put into <pre id="probe">: the report's pages carry no scripts,
// so measurements that need layout come from this test-only copy.
inline std::string probe(const std::string& html, const std::string& script,
                         const std::filesystem::path& dir) {
  std::string page = html;
  const auto end = page.rfind("</body>");
  page.insert(end == std::string::npos ? page.size() : end,
              "<script>" + script +
                  "\ndocument.body.insertAdjacentHTML('beforeend', '<pre id=\"probe\">' + "
                  "JSON.stringify(result) + '</pre>');</script>");
  const auto file = dir / "probe.html";
  std::ofstream(file) << page;
  const std::string dom = browse("file://" + file.string());
  // The last one: the script's own text holds the tag too.
  const auto open = dom.rfind("<pre id=\"probe\">");
  if (open == std::string::npos) return "";
  const auto start = open + 16;
  return dom.substr(start, dom.find("</pre>", start) - start);
}

// The width and height of a PNG file (from its IHDR chunk); {0, 0} when it is no PNG.
inline std::pair<int, int> png_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char h[24] = {};
  in.read(reinterpret_cast<char*>(h), 24);
  if (!in || h[1] != 'P' || h[2] != 'N' || h[3] != 'G') return {0, 0};
  const auto be = [&](int o) {
    return (h[o] << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  };
  return {be(16), be(20)};
}

inline std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

}  // namespace dlaaw::reports
