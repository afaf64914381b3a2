// catalog_fetch_test.cpp - `dlaaw datasets fetch --mirror` against a local HTTP server that serves
// good, truncated, wrong and missing files; zip members; exit codes of the command.
#include "datasets/catalog_fetch.h"

#include <httplib.h>

#include <fstream>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "../common/data_required.h"
#include "../common/dlaaw_cli.h"
#include "../common/temp_dir.h"
#include "common/errors.h"
#include "datasets/catalog_files.h"
#include "datasets/csv_reader.h"
#include "datasets/sha256.h"

namespace dlaaw::datasets {
namespace {

namespace fs = std::filesystem;

// How the mirror damages one file.
enum class Damage { None, Truncated, Wrong, Missing, CutConnection };

// A mirror of the paper's files on a free loopback port, with one file damaged as asked.
class Mirror {
 public:
  Mirror(const fs::path& source, const std::string& damaged, Damage damage) {
    server_.Get(R"(/files/([^/]+))", [=](const httplib::Request& req, httplib::Response& res) {
      const std::string name = req.matches[1];
      if (name.find("..") != std::string::npos || !fs::exists(source / name)) {
        res.status = 404;
        return;
      }
      auto bytes = std::make_shared<std::string>(read_file((source / name).string()));
      if (name == damaged && damage == Damage::Missing) {
        res.status = 404;
        return;
      }
      if (name == damaged && damage == Damage::Truncated) bytes->resize(bytes->size() / 2);
      if (name == damaged && damage == Damage::Wrong) (*bytes)[bytes->size() / 2] ^= 1;
      if (name == damaged && damage == Damage::CutConnection) {
        // Promises every byte, sends half, then drops the connection.
        res.set_content_provider(bytes->size(), "text/csv",
                                 [bytes](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                   if (offset >= bytes->size() / 2) return false;
                                   sink.write(bytes->data(), bytes->size() / 2);
                                   return true;
                                 });
        return;
      }
      res.set_content(*bytes, "text/csv");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Mirror() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/files"; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

FetchOptions mirrored(const Mirror& m) {
  FetchOptions o;
  o.mirror = m.url();
  o.timeout_seconds = 10;
  return o;
}

class CatalogFetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DLAAW_REQUIRE_PAPER_FILE("bank-full.csv");
    source_ = testing::paper_data_dir("bank-full.csv");
  }
  fs::path source_;
  testing::TempDir dir_;
};

TEST_F(CatalogFetchTest, GoodFilesAreFetchedCheckedAndNotFetchedTwice) {
  Mirror mirror(source_, "", Damage::None);
  std::uint64_t last = 0;
  FetchOptions o = mirrored(mirror);
  o.progress = [&](const std::string&, std::uint64_t done, std::uint64_t) { last = done; };
  const auto first = fetch_catalog_files(dir_.path() / "data", o);
  ASSERT_EQ(first.size(), 5u);
  for (const auto& [e, outcome] : first) EXPECT_EQ(outcome, FetchOutcome::Fetched) << e.file;
  EXPECT_TRUE(catalog_complete(dir_.path() / "data"));
  EXPECT_GT(last, 0u) << "progress was reported";
  for (const auto& [e, outcome] : fetch_catalog_files(dir_.path() / "data", o))
    EXPECT_EQ(outcome, FetchOutcome::AlreadyThere) << e.file;
}

TEST_F(CatalogFetchTest, TruncatedAndWrongFilesAreRefusedAndNothingPartialIsLeft) {
  for (const Damage damage : {Damage::Truncated, Damage::Wrong}) {
    Mirror mirror(source_, "diabetes.csv", damage);
    const fs::path data = dir_.path() / ("d" + std::to_string(static_cast<int>(damage)));
    try {
      fetch_catalog_files(data, mirrored(mirror));
      ADD_FAILURE() << "a damaged file was accepted";
    } catch (const InvalidInput& e) {
      EXPECT_NE(std::string(e.what()).find("diabetes.csv"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("not written"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(data / "diabetes.csv"));
    EXPECT_TRUE(fs::exists(data / "Breast_cancer_data.csv")) << "the file before it stays";
    for (const auto& f : fs::directory_iterator(data))
      EXPECT_EQ(f.path().filename().string().find(".part"), std::string::npos) << f.path();
  }
}

TEST_F(CatalogFetchTest, ADroppedConnectionOrMissingFileIsAServiceError) {
  for (const Damage damage : {Damage::CutConnection, Damage::Missing}) {
    Mirror mirror(source_, "bank-full.csv", damage);
    const fs::path data = dir_.path() / ("c" + std::to_string(static_cast<int>(damage)));
    EXPECT_THROW(fetch_catalog_files(data, mirrored(mirror)), ServiceUnavailable);
    EXPECT_FALSE(fs::exists(data / "bank-full.csv"));
  }
  FetchOptions nowhere;
  nowhere.mirror = "ftp://example.org";
  EXPECT_THROW(fetch_catalog_files(dir_.path() / "x", nowhere), InvalidInput);
}

TEST_F(CatalogFetchTest, TheCommandExitsTwoOnAMismatchAndZeroWhenComplete) {
  {
    Mirror bad(source_, "data_banknote_authentication.txt", Damage::Wrong);
    const auto r =
        testing::run_dlaaw(dir_.path(), "datasets fetch --mirror " + bad.url() + " --data-dir " +
                                            (dir_.path() / "cli").string());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("sha256"), std::string::npos) << r.output;
  }
  Mirror good(source_, "", Damage::None);
  const auto r =
      testing::run_dlaaw(dir_.path(), "datasets fetch --mirror " + good.url() + " --data-dir " +
                                          (dir_.path() / "cli").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("bank-full.csv"), std::string::npos) << r.output;
  EXPECT_TRUE(catalog_complete(dir_.path() / "cli"));
}

TEST(ZipMemberTest, ReadsStoredAndDeflatedMembers) {
  if (std::system("python3 -c 'import zipfile' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3 is needed to write the test archives";
  testing::TempDir dir;
  const std::string text(5000, 'x');
  const std::string script =
      "import zipfile; "
      "z = zipfile.ZipFile('" +
      (dir.path() / "a.zip").string() +
      "', 'w'); "
      "z.writestr('dir/deflated.csv', 'a,b\\n' + 'x' * 5000, zipfile.ZIP_DEFLATED); "
      "z.writestr('stored.csv', 'plain', zipfile.ZIP_STORED); z.close()";
  ASSERT_EQ(std::system(("python3 -c \"" + script + "\"").c_str()), 0);
  const std::string zip = read_file((dir.path() / "a.zip").string());
  EXPECT_EQ(zip_member(zip, "deflated.csv"), "a,b\n" + text);
  EXPECT_EQ(zip_member(zip, "stored.csv"), "plain");
  EXPECT_THROW(zip_member(zip, "absent.csv"), InvalidInput);
  EXPECT_THROW(zip_member(zip.substr(0, zip.size() / 2), "stored.csv"), InvalidInput);
  EXPECT_THROW(zip_member("not a zip", "x"), InvalidInput);
  // A central directory that claims 4 GiB for a 30-byte member was allocated before inflating.
  std::string inflated = zip;
  const auto entry = inflated.find(std::string("PK\x01\x02", 4));
  ASSERT_NE(entry, std::string::npos);
  inflated.replace(entry + 24, 4, std::string("\xf0\xff\xff\xff", 4));
  try {
    zip_member(inflated, "deflated.csv");
    ADD_FAILURE() << "a member claiming 4 GiB was inflated";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("claims 4294967280 bytes"), std::string::npos) << e.what();
  }
}

TEST(PublicSourceTest, EveryCatalogFileHasAPinnedHttpsAddress) {
  for (const auto& e : catalog()) {
    const FetchSource s = public_source(e);
    EXPECT_EQ(s.url.rfind("https://raw.githubusercontent.com/", 0), 0u) << e.file;
    EXPECT_TRUE(std::regex_search(s.url, std::regex("/[0-9a-f]{40}/"))) << "pinned: " << s.url;
  }
}

}  // namespace
}  // namespace dlaaw::datasets
