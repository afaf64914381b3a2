// datasets_command.cpp - lists the paper's datasets and checks the files by sha256.
#include "cli/datasets_command.h"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/exit_codes.h"
#include "common/errors.h"
#include "datasets/catalog.h"
#include "datasets/catalog_files.h"
#ifdef DLAAW_HAVE_FETCH
#include <unistd.h>

#include "datasets/catalog_fetch.h"
#endif
#include "datasets/csv_reader.h"
#include "datasets/data_dir.h"
#include "datasets/sha256.h"

namespace dlaaw::cli {

namespace {

// Prints what `import_catalog_files` brought in; exit code 1 when files are still missing.
int import_files(const std::filesystem::path& source, const std::filesystem::path& dir) {
  int missing = 0;
  for (const auto& [e, imported] : datasets::import_catalog_files(source, dir)) {
    std::printf("%-16s %-34s %s\n", e.name.c_str(), e.file.c_str(),
                imported ? "imported (sha256 matches)" : ("not in " + source.string()).c_str());
    missing += !imported;
  }
  return missing ? kJobFailed : kSuccess;
}

#ifdef DLAAW_HAVE_FETCH
// Downloads what is missing; a progress line per file on a terminal, one line per file otherwise.
int fetch_files(const std::string& mirror, const std::filesystem::path& dir) {
  datasets::FetchOptions options;
  options.mirror = mirror;
  const bool tty = isatty(STDERR_FILENO);
  options.progress = [tty](const std::string& file, std::uint64_t done, std::uint64_t total) {
    if (!tty) return;
    if (total) {
      const int width = 30, filled = static_cast<int>(width * done / total);
      std::fprintf(stderr, "\r%-34s [%s%s] %5.1f%% of %.1f MB", file.c_str(),
                   std::string(filled, '#').c_str(), std::string(width - filled, ' ').c_str(),
                   100.0 * static_cast<double>(done) / static_cast<double>(total),
                   static_cast<double>(total) / 1e6);
    } else {
      std::fprintf(stderr, "\r%-34s %.1f MB", file.c_str(), static_cast<double>(done) / 1e6);
    }
  };
  try {
    for (const auto& [e, outcome] : datasets::fetch_catalog_files(dir, options)) {
      if (tty) std::fprintf(stderr, "\r\033[K");
      std::printf("%-16s %-34s %s\n", e.name.c_str(), e.file.c_str(),
                  outcome == datasets::FetchOutcome::Fetched ? "fetched (sha256 matches)"
                                                             : "already there (sha256 matches)");
    }
  } catch (...) {
    if (tty) std::fprintf(stderr, "\n");
    throw;
  }
  return kSuccess;
}
#endif

}  // namespace

void add_datasets_command(CLI::App& app, int& exit_code) {
  auto data_dir = std::make_shared<std::string>();
  auto source = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("datasets", "List the paper's datasets and check their files");
  CLI::App* import =
      cmd->add_subcommand("import", "Copy the paper's files from a folder into the data directory");
  import->add_option("dir", *source, "Folder holding the files")
      ->required()
      ->check(CLI::ExistingDirectory);
  import->add_option("--data-dir", *data_dir,
                     "Destination (default: $DLAAW_DATA_DIR, else ./data)");
  cmd->add_option("--data-dir", *data_dir,
                  "Folder of dataset files (default: $DLAAW_DATA_DIR, else ./data)");
#ifdef DLAAW_HAVE_FETCH
  auto mirror = std::make_shared<std::string>();
  CLI::App* fetch = cmd->add_subcommand(
      "fetch", "Download the paper's missing files (public addresses or --mirror), sha256-checked");
  fetch->add_option("--mirror", *mirror, "Base URL that serves the five files by name");
  fetch->add_option("--data-dir", *data_dir, "Destination (default: $DLAAW_DATA_DIR, else ./data)");
#endif
  cmd->callback([=, &exit_code] {
    exit_code = run_guarded([&]() -> int {
      const auto dir =
          datasets::resolve_data_dir(data_dir->empty() ? std::nullopt : std::optional(*data_dir));
      if (cmd->got_subcommand("import")) return import_files(*source, dir);
#ifdef DLAAW_HAVE_FETCH
      if (cmd->got_subcommand("fetch")) return fetch_files(*mirror, dir);
#endif
      std::printf("data directory: %s\n", std::filesystem::absolute(dir).string().c_str());
      std::printf("%-16s %-34s %6s %8s  %s\n", "name", "file", "rows", "inputs", "status");
      int missing = 0;
      for (const auto& e : datasets::catalog()) {
        const auto check = datasets::check_catalog_file(e, dir);
        const std::string status = check == datasets::FileCheck::Matches ? "ok (sha256 matches)"
                                   : check == datasets::FileCheck::Differs
                                       ? "WRONG CONTENT (sha256 differs)"
                                       : "missing";
        missing += status.rfind("ok", 0) != 0;
        std::printf("%-16s %-34s %6zu %8d  %s\n", e.name.c_str(), e.file.c_str(), e.rows,
                    e.features, status.c_str());
      }
      if (missing) {
        std::printf(
            "\n%d file(s) missing or different: dlaaw datasets fetch downloads them, or copy "
            "the originals (see the manifest of the paper's datasets) into the data directory, "
            "or point --data-dir or DLAAW_DATA_DIR at them.\n",
            missing);
      }
      return missing ? kJobFailed : kSuccess;
    });
  });
}

}  // namespace dlaaw::cli
