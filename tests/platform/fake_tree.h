// fake_tree.h - a fake /proc and /sys under a temp folder, for the platform tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "../common/temp_dir.h"

namespace dlaaw::testing {

// A machine root in a temp folder: write("sys/class/...", "text") creates the file.
class FakeTree {
 public:
  const std::filesystem::path& root() const { return dir_.path(); }

  // Creates or overwrites root()/name with `text`. The new content appears at once (written
  // aside, then renamed), so a sampler thread never reads a half-written file.
  void write(const std::string& name, const std::string& text) const {
    const auto path = dir_.path() / name;
    std::filesystem::create_directories(path.parent_path());
    const auto aside = path.string() + ".new";
    std::ofstream(aside, std::ios::binary) << text;
    std::filesystem::rename(aside, path);
  }

  void remove(const std::string& name) const { std::filesystem::remove_all(dir_.path() / name); }

 private:
  TempDir dir_;
};

}  // namespace dlaaw::testing
