// catalog_fetch.cpp - HTTP(S) downloads with cpp-httplib, sha256 checks, atomic writes, and the
// one zip member the grid stability file is published in.
#include "datasets/catalog_fetch.h"

#include <httplib.h>
#include <unistd.h>
#include <zlib.h>

#include <cstring>
#include <fstream>
#include <map>

#include "common/errors.h"
#include "datasets/catalog_files.h"
#include "datasets/sha256.h"

namespace dlaaw::datasets {
namespace {

namespace fs = std::filesystem;

// Raw GitHub addresses at the commits datasets/MANIFEST.md records; the grid file's only
// byte-exact public copy is the UCI archive committed there.
const std::map<std::string, FetchSource>& sources() {
  static const std::map<std::string, FetchSource> kSources{
      {"Breast_cancer_data.csv",
       {"https://raw.githubusercontent.com/yashmith-r/Machine-Learning-Lab-/"
        "cc1abea7760830a2e672bf5c46922d83ad4b5d2d/Breast_cancer_data.csv",
        ""}},
      {"diabetes.csv",
       {"https://raw.githubusercontent.com/AlaSushanth/Diabetes_Prediction_Model/"
        "1761cdec766dab9b13fd932d482b2cd6cfa02d51/dataset/diabetes.csv",
        ""}},
      {"data_banknote_authentication.txt",
       {"https://raw.githubusercontent.com/jbrownlee/Datasets/"
        "d20fcb6402ae34e653d4513b00f39257bb37ed7f/banknote_authentication.csv",
        ""}},
      {"Data_for_UCI_named.csv",
       {"https://raw.githubusercontent.com/turagsarkar/"
        "Analysis-of-the-Dataset-s-Electrical-Grid-Stability-Simulated/"
        "793f2dd07c13861e5cb68a105bbee296d2817893/"
        "electrical%2Bgrid%2Bstability%2Bsimulated%2Bdata.zip",
        "Data_for_UCI_named.csv"}},
      {"bank-full.csv",
       {"https://raw.githubusercontent.com/Felpz2212/Analise-Dados-Banco/"
        "8d737570ec331c9baf2885b0e58acb10b98907e6/bank/bank-full.csv",
        ""}},
  };
  return kSources;
}

// "scheme://host[:port]" and "/path" of `url`. Throws InvalidInput for anything but http(s).
std::pair<std::string, std::string> split_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https")
    throw InvalidInput("--mirror: \"" + url + "\" is not an http:// or https:// URL");
  const auto path = url.find('/', scheme_end + 3);
  if (path == std::string::npos) return {url, "/"};
  return {url.substr(0, path), url.substr(path)};
}

// GETs `url` into memory, following redirects. Throws ServiceUnavailable on any failure.
std::string download(const std::string& url, const std::string& file, const FetchOptions& o) {
  const auto [origin, path] = split_url(url);
  httplib::Client client(origin);
  client.set_follow_location(true);
  client.set_connection_timeout(o.timeout_seconds, 0);
  client.set_read_timeout(o.timeout_seconds, 0);
  std::string body;
  std::uint64_t total = 0;
  auto res = client.Get(
      path.c_str(),
      [&](const httplib::Response& r) {
        if (r.has_header("Content-Length"))
          total = std::strtoull(r.get_header_value("Content-Length").c_str(), nullptr, 10);
        return r.status == 200;
      },
      [&](const char* data, std::size_t n) {
        body.append(data, n);
        if (o.progress) o.progress(file, body.size(), total);
        return body.size() <= (1u << 30);  // nothing of the paper's is near 1 GiB
      });
  if (!res) throw ServiceUnavailable("fetching " + url + ": " + httplib::to_string(res.error()));
  if (res->status != 200)
    throw ServiceUnavailable("fetching " + url + ": HTTP " + std::to_string(res->status));
  if (total && body.size() != total) {
    throw ServiceUnavailable("fetching " + url + ": cut short (" + std::to_string(body.size()) +
                             " of " + std::to_string(total) + " bytes)");
  }
  return body;
}

// Writes `bytes` to dir/name through a temporary file and a rename.
void write_atomically(const fs::path& dir, const std::string& name, const std::string& bytes) {
  const fs::path tmp = dir / ("." + name + ".part-" + std::to_string(getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw ServiceUnavailable("writing " + tmp.string() + " failed (disk full? permissions?)");
    }
  }
  std::error_code ec;
  fs::rename(tmp, dir / name, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw ServiceUnavailable("renaming into " + (dir / name).string() + " failed");
  }
}

std::uint32_t le32(const std::string& s, std::size_t at) {
  if (at + 4 > s.size()) throw InvalidInput("zip: truncated archive");
  const auto* p = reinterpret_cast<const unsigned char*>(s.data() + at);
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint16_t le16(const std::string& s, std::size_t at) {
  if (at + 2 > s.size()) throw InvalidInput("zip: truncated archive");
  const auto* p = reinterpret_cast<const unsigned char*>(s.data() + at);
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

std::string inflate_raw(const std::string& data, std::size_t size) {
  std::string out(size, '\0');
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw InvalidInput("zip: cannot start inflating");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&z, Z_FINISH);
  inflateEnd(&z);
  if (rc != Z_STREAM_END || z.total_out != size) throw InvalidInput("zip: member does not inflate");
  return out;
}

}  // namespace

FetchSource public_source(const CatalogEntry& entry) {
  const auto it = sources().find(entry.file);
  if (it == sources().end()) throw InvalidInput(entry.file + ": no public address known");
  return it->second;
}

std::string zip_member(const std::string& zip, const std::string& member) {
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  const std::size_t from = zip.size() > 65557 ? zip.size() - 65557 : 0;
  const auto eocd = zip.rfind(std::string("PK\x05\x06", 4));
  if (eocd == std::string::npos || eocd < from) throw InvalidInput("zip: no central directory");
  const std::uint16_t entries = le16(zip, eocd + 10);
  std::size_t at = le32(zip, eocd + 16);
  for (std::uint16_t i = 0; i < entries; ++i) {
    if (le32(zip, at) != 0x02014b50) throw InvalidInput("zip: broken central directory");
    const std::uint16_t method = le16(zip, at + 10);
    const std::uint32_t packed = le32(zip, at + 20), size = le32(zip, at + 24);
    const std::uint16_t name_len = le16(zip, at + 28), extra = le16(zip, at + 30),
                        comment = le16(zip, at + 32);
    const std::uint32_t local = le32(zip, at + 42);
    if (at + 46 + name_len > zip.size()) throw InvalidInput("zip: truncated archive");
    const std::string name = zip.substr(at + 46, name_len);
    at += 46 + name_len + extra + comment;
    if (name != member && name.substr(name.rfind('/') + 1) != member) continue;
    if (le32(zip, local) != 0x04034b50) throw InvalidInput("zip: broken local header");
    const std::size_t data = local + 30 + le16(zip, local + 26) + le16(zip, local + 28);
    if (data + packed > zip.size()) throw InvalidInput("zip: truncated archive");
    const std::string bytes = zip.substr(data, packed);
    if (method == 0) return bytes;
    // Deflate packs at most ~1032:1: a member that claims more (up to 4 GiB, allocated before a
    // byte is inflated) is a hostile archive, not a dataset.
    if (method == 8 && (size > (1u << 30) || size > 1100ull * packed + 1024))
      throw InvalidInput("zip: " + name + " claims " + std::to_string(size) + " bytes from " +
                         std::to_string(packed) + " packed");
    if (method == 8) return inflate_raw(bytes, size);
    throw InvalidInput("zip: " + name + " uses compression method " + std::to_string(method));
  }
  throw InvalidInput("zip: no member " + member);
}

std::vector<std::pair<CatalogEntry, FetchOutcome>> fetch_catalog_files(const fs::path& dir,
                                                                       const FetchOptions& o) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw ServiceUnavailable("cannot create " + dir.string() + ": " + ec.message());
  std::vector<std::pair<CatalogEntry, FetchOutcome>> out;
  for (const auto& e : catalog()) {
    if (check_catalog_file(e, dir) == FileCheck::Matches) {
      out.emplace_back(e, FetchOutcome::AlreadyThere);
      continue;
    }
    // A mirror holds the files themselves, under their catalog names.
    const FetchSource source =
        o.mirror.empty() ? public_source(e) : FetchSource{o.mirror + "/" + e.file, ""};
    std::string bytes = download(source.url, e.file, o);
    if (!source.zip_member.empty()) bytes = zip_member(bytes, source.zip_member);
    const std::string got = sha256_hex(bytes);
    if (got != e.sha256) {
      throw InvalidInput(e.file + " from " + source.url + ": sha256 " + got + " (" +
                         std::to_string(bytes.size()) + " bytes), the manifest says " + e.sha256 +
                         "; not written");
    }
    write_atomically(dir, e.file, bytes);
    out.emplace_back(e, FetchOutcome::Fetched);
  }
  return out;
}

}  // namespace dlaaw::datasets
