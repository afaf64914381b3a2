// datasets_command.cpp - lists the paper's datasets and checks the files by sha256.
#include "cli/datasets_command.h"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/exit_codes.h"
#include "datasets/catalog.h"
#include "datasets/csv_reader.h"
#include "datasets/data_dir.h"
#include "datasets/sha256.h"

namespace dlaaw::cli {

void add_datasets_command(CLI::App& app, int& exit_code) {
  auto data_dir = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("datasets", "List the paper's datasets and check their files");
  cmd->add_option("--data-dir", *data_dir,
                  "Folder of dataset files (default: $DLAAW_DATA_DIR, else ./data)");
  cmd->callback([data_dir, &exit_code] {
    exit_code = run_guarded([&] {
      const auto dir =
          datasets::resolve_data_dir(data_dir->empty() ? std::nullopt : std::optional(*data_dir));
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
