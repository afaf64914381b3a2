// datasets_command.cpp - lists the paper's datasets and checks the files by sha256.
#include "cli/datasets_command.h"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/exit_codes.h"
#include "common/errors.h"
#include "datasets/catalog.h"
#include "datasets/catalog_files.h"
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
