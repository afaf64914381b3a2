// catalog_fetch.h - `dlaaw datasets fetch`: downloading the paper's five files from their public
// addresses (pinned commits, see the datasets manifest) or a mirror, each checked by sha256 and
// written atomically.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "datasets/catalog.h"

namespace dlaaw::datasets {

// Where a catalog file is published: a URL of the file itself, or of a zip archive holding it as
// `zip_member`.
struct FetchSource {
  std::string url;
  std::string zip_member;  // "" = the URL is the file
};

// The public address of `entry`'s file (raw GitHub at the commit the manifest names). Throws
// InvalidInput for an entry without one.
FetchSource public_source(const CatalogEntry& entry);

struct FetchOptions {
  std::string mirror;  // "" = public addresses; else MIRROR/<file> for every file
  int timeout_seconds = 60;
  // Called as bytes arrive: (file, bytes so far, total or 0 when unknown).
  std::function<void(const std::string&, std::uint64_t, std::uint64_t)> progress;
};

enum class FetchOutcome { AlreadyThere, Fetched };

// Fetches every catalog file that `dir` lacks or holds with other content, into `dir` (created
// if needed): downloaded to a temporary file beside it, checked against the catalog's sha256,
// then renamed over the old one, so that a cut download never leaves a partial file. Returns the
// outcome per entry in catalog order. Throws InvalidInput (exit 2) for content whose sha256
// differs (nothing written for that file; the files before it stay), ServiceUnavailable for a
// download that fails (unreachable, HTTP error, cut short) or a file that cannot be written.
std::vector<std::pair<CatalogEntry, FetchOutcome>> fetch_catalog_files(
    const std::filesystem::path& dir, const FetchOptions& options);

// The bytes of `member` in the zip archive `zip` (stored or deflated). Throws InvalidInput when
// the archive is malformed or lacks the member.
std::string zip_member(const std::string& zip, const std::string& member);

}  // namespace dlaaw::datasets
