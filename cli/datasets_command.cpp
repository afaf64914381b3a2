// datasets_command.cpp - lists the paper's datasets and checks the files by sha256.
#include "cli/datasets_command.h"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/exit_codes.h"
#include "common/errors.h"
#include "datasets/catalog.h"
#include "datasets/csv_reader.h"
#include "datasets/data_dir.h"
#include "datasets/sha256.h"

namespace dlaaw::cli {

namespace {

// Copies the catalog's files from `source` into the data directory, each checked by sha256.
int import_files(const std::filesystem::path& source, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  int missing = 0;
  for (const auto& e : datasets::catalog()) {
    const auto from = source / e.file;
    const auto to = dir / e.file;
    if (!std::filesystem::is_regular_file(from)) {
      std::printf("%-16s %-34s not in %s\n", e.name.c_str(), e.file.c_str(), source.c_str());
      ++missing;
      continue;
    }
    const std::string bytes = datasets::read_file(from.string());
    if (datasets::sha256_hex(bytes) != e.sha256) {
      throw InvalidInput(from.string() + ": sha256 differs from the catalog's " + e.name +
                         " (an edited copy?); nothing more was imported");
    }
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
    std::printf("%-16s %-34s imported (sha256 matches)\n", e.name.c_str(), e.file.c_str());
  }
  return missing ? kJobFailed : kSuccess;
}

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
  cmd->callback([cmd, data_dir, source, &exit_code] {
    exit_code = run_guarded([&]() -> int {
      const auto dir =
          datasets::resolve_data_dir(data_dir->empty() ? std::nullopt : std::optional(*data_dir));
      if (cmd->got_subcommand("import")) return import_files(*source, dir);
      std::printf("data directory: %s\n", std::filesystem::absolute(dir).string().c_str());
      std::printf("%-16s %-34s %6s %8s  %s\n", "name", "file", "rows", "inputs", "status");
      int missing = 0;
      for (const auto& e : datasets::catalog()) {
        const auto path = dir / e.file;
        std::string status = "missing";
        if (std::filesystem::is_regular_file(path)) {
          status = datasets::sha256_hex(datasets::read_file(path.string())) == e.sha256
                       ? "ok (sha256 matches)"
                       : "WRONG CONTENT (sha256 differs)";
        }
        missing += status.rfind("ok", 0) != 0;
        std::printf("%-16s %-34s %6zu %8d  %s\n", e.name.c_str(), e.file.c_str(), e.rows,
                    e.features, status.c_str());
      }
      if (missing) {
        std::printf(
            "\n%d file(s) missing or different: copy the originals (see the manifest of "
            "the paper's datasets) into the data directory, or point --data-dir or "
            "DLAAW_DATA_DIR at them.\n",
            missing);
      }
      return missing ? kJobFailed : kSuccess;
    });
  });
}

}  // namespace dlaaw::cli
