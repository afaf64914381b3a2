// report_security_test.cpp - `dlaaw serve` off loopback: the token, the login cookie, the
// security headers, JSON errors under /api/, and slow clients that must not starve the others.
#include "reports/report_server_security.h"

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "../tracker/tracker_fixture.h"
#include "common/errors.h"
#include "datasets/sha256.h"
#include "reports/report_server.h"
#include "reports/request_deadline_server.h"

namespace dlaaw::reports {
namespace {

const std::string kToken = "0123456789abcdef-secret";

// A report server on a free loopback port for one test, stopped and joined by the destructor.
class RunningServer {
 public:
  RunningServer(const std::string& db_path, const std::string& token) {
    ServeOptions options;
    options.db_path = db_path;
    options.port = 0;
    options.token = token;
    server_ = std::make_unique<ReportServer>(options);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->run(); });
  }
  ~RunningServer() {
    server_->stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  std::unique_ptr<ReportServer> server_;
  std::thread thread_;
  int port_ = 0;
};

class ReportSecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    tracker::SqliteDb db((dir_->path() / "report.db").string());
    tracker::RunStore(db).record_result("a1", 1, tracker::synthetic_result(2, false, 1, 5),
                                        std::string("fig"));
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string db_path() { return (dir_->path() / "report.db").string(); }
  static inline testing::TempDir* dir_ = nullptr;
};

TEST_F(ReportSecurityTest, RefusesToListenOffLoopbackWithoutAToken) {
  ServeOptions options;
  options.db_path = db_path();
  options.bind = "0.0.0.0";
  try {
    ReportServer server(options);
    FAIL() << "served everything to anyone";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("--token-file"), std::string::npos) << e.what();
  }
  options.token = kToken;
  EXPECT_NO_THROW(ReportServer server(options));
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("127.1.2.3"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_FALSE(is_loopback("0.0.0.0"));
  EXPECT_FALSE(is_loopback("192.168.1.10"));
  EXPECT_FALSE(is_loopback("::"));
}

TEST_F(ReportSecurityTest, TheApiNeedsTheBearerToken) {
  RunningServer server(db_path(), kToken);
  httplib::Client c("127.0.0.1", server.port());
  auto none = c.Get("/api/runs");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->get_header_value("Content-Type"), "application/json");
  EXPECT_NE(none->body.find("\"status\":401"), std::string::npos) << none->body;
  auto wrong = c.Get("/api/runs", {{"Authorization", "Bearer " + kToken + "x"}});
  EXPECT_EQ(wrong->status, 401);
  auto right = c.Get("/api/runs", {{"Authorization", "Bearer " + kToken}});
  EXPECT_EQ(right->status, 200) << right->body;
  EXPECT_EQ(c.Get("/metrics")->status, 401);
}

TEST_F(ReportSecurityTest, ABrowserLogsInOnceAndKeepsACookie) {
  RunningServer server(db_path(), kToken);
  httplib::Client c("127.0.0.1", server.port());
  auto page = c.Get("/runs");
  EXPECT_EQ(page->status, 401);
  EXPECT_NE(page->body.find("action=\"/login\""), std::string::npos) << page->body;
  auto bad = c.Post("/login", "token=nope", "application/x-www-form-urlencoded");
  EXPECT_EQ(bad->status, 401);
  EXPECT_TRUE(bad->get_header_value("Set-Cookie").empty());
  auto good = c.Post("/login", "token=" + kToken, "application/x-www-form-urlencoded");
  EXPECT_EQ(good->status, 303);
  const std::string cookie = good->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  const std::string pair = cookie.substr(0, cookie.find(';'));
  EXPECT_EQ(c.Get("/runs", {{"Cookie", "other=1; " + pair}})->status, 200);
  EXPECT_EQ(c.Get("/runs", {{"Cookie", std::string(kTokenCookie) + "=guess"}})->status, 401);
}

TEST_F(ReportSecurityTest, EveryResponseCarriesNosniffAndAStrictPolicy) {
  RunningServer server(db_path(), "");
  httplib::Client c("127.0.0.1", server.port());
  for (const std::string path : {"/runs", "/api/runs", "/nothing-here", "/api/nothing"}) {
    auto res = c.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    const std::string csp = res->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << path << ": " << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path << ": " << csp;
  }
  // The page's own <style> block is allowed by its hash, nothing else.
  auto page = c.Get("/runs");
  const auto open = page->body.find("<style>") + 7;
  const std::string style = page->body.substr(open, page->body.find("</style>") - open);
  const std::string csp = page->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("style-src 'sha256-"), std::string::npos) << csp;
  // sha256("a{}") in base64, as `openssl dgst -sha256 -binary | base64` gives it.
  EXPECT_NE(content_security_policy("<style>a{}</style>")
                .find("style-src 'sha256-X1RutGBrXCt9KkSaXMK7tHftWiRscFHOhxsS8tv8hBk='; script-src "
                      "'none'"),
            std::string::npos);
  EXPECT_NE(csp, content_security_policy("<style>" + style + "x</style>"));
  EXPECT_EQ(csp, content_security_policy(page->body));
}

TEST_F(ReportSecurityTest, ErrorsUnderApiAreJson) {
  RunningServer server(db_path(), "");
  httplib::Client c("127.0.0.1", server.port());
  for (const std::string path : {"/api/nothing", "/api/runs/x", "/api/runs?limit=0", "/api",
                                  "/runs/x/predictions.csv", "/nothing.json", "/runs.xml.csv"}) {
    auto res = c.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_GE(res->status, 400) << path;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << path;
    EXPECT_TRUE(nlohmann::json::parse(res->body, nullptr, false).is_object())
        << path << ": " << res->body;
  }
  auto post = c.Post("/api/runs", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->get_header_value("Content-Type"), "application/json") << post->body;
}

TEST_F(ReportSecurityTest, FortyIdleConnectionsDoNotStallARequest) {
  RunningServer server(db_path(), "");
  std::vector<int> idle;
  for (int i = 0; i < 40; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(server.port()));
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    if (i % 2) (void)!write(fd, "GET /runs HTTP/1.1\r\n", 20);  // half a request, then silence
    idle.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all accepted and read from
  const auto start = std::chrono::steady_clock::now();
  httplib::Client c("127.0.0.1", server.port());
  auto res = c.Get("/api/experiments");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  // With 8 threads this waited for the idle ones to time out (5 s or more).
  EXPECT_LT(took, std::chrono::seconds(1)) << std::chrono::duration<double>(took).count() << " s";
  for (const int fd : idle) close(fd);
}

// A client that sends its request line one byte every 300 ms never hits the 5 s read timeout,
// and used to hold a worker thread for as long as it kept trickling; the 1.5 s request deadline
// closes it. A normal request on a kept-alive connection is unaffected.
TEST(RequestDeadlineServerTest, ClosesAConnectionThatTricklesItsHeaderPastTheDeadline) {
  RequestDeadlineServer server(std::chrono::milliseconds(1500));
  server.set_read_timeout(5, 0);
  server.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread thread([&] { server.listen_after_bind(); });
  struct Stop {
    httplib::Server& s;
    std::thread& t;
    ~Stop() {
      s.stop();
      t.join();
    }
  } stop{server, thread};

  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(true);
  for (int i = 0; i < 2; ++i) {
    auto res = client.Get("/");
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->body, "ok");
  }

  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string request = "GET /" + std::string(200, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n";
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  for (std::size_t i = 0; i < request.size() && !closed; ++i) {
    (void)!send(fd, &request[i], 1, MSG_NOSIGNAL);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    // Closed (0, or a reset since our bytes went unread) or answered with an error: ended.
    char byte;
    const ssize_t got = recv(fd, &byte, 1, MSG_DONTWAIT);
    closed = got >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
  }
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  close(fd);
  EXPECT_TRUE(closed) << "the server read the whole trickled request (" << took << " s)";
  EXPECT_LT(took, 4.0) << "closed only after " << took << " s";
}

TEST(ReportTokenTest, ComparesInConstantTimeAndReadsTheFile) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_FALSE(constant_time_equal("", "a"));
  testing::TempDir dir;
  const auto file = dir.write("token", kToken + "\n");
  EXPECT_EQ(read_report_token(file.string()), kToken);
  const auto short_file = dir.write("short", "abc\n");
  EXPECT_THROW(read_report_token(short_file.string()), InvalidInput);
  EXPECT_THROW(read_report_token((dir.path() / "none").string()), InvalidInput);
  // A ';' or a space would end the login cookie early: the browser could never log in.
  const auto cookie_breaker = dir.write("semicolon", "0123456789abcdef;x\n");
  try {
    read_report_token(cookie_breaker.string());
    FAIL() << "a token with ';' was accepted";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("character 17 of the token"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace dlaaw::reports
