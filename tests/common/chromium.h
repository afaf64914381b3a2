// chromium.h - headless Chromium for tests that check a served page as a browser renders it.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace dlaaw::testing {

inline bool have_chromium() { return std::system("command -v chromium >/dev/null 2>&1") == 0; }

// Where tests leave their screenshots (the build's test-artifacts folder).
inline std::string artifact_path(const std::string& name) {
  std::filesystem::create_directories(DLAAW_ARTIFACT_DIR);
  return std::string(DLAAW_ARTIFACT_DIR) + "/" + name;
}

// Renders `url` in headless Chromium and returns the DOM after its scripts ran; with
// `screenshot`, also saves a 1280-pixel-wide PNG there.
inline std::string browse(const std::string& url, const std::string& screenshot = "") {
  const std::string flags =
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --virtual-time-budget=3000"
      " --disable-component-update --disable-sync --hide-scrollbars --window-size=1280,1600";
  const auto profile =
      std::filesystem::temp_directory_path() / ("dlaaw-chromium-" + std::to_string(getpid()));
  if (!screenshot.empty()) {
    std::system(("chromium" + flags + " --user-data-dir=" + profile.string() +
                 " --screenshot=" + screenshot + " '" + url + "' >/dev/null 2>&1")
                    .c_str());
  }
  FILE* pipe = popen(("chromium" + flags + " --user-data-dir=" + profile.string() +
                      " --dump-dom '" + url + "' 2>/dev/null")
                         .c_str(),
                     "r");
  std::string dom;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) dom.append(buf, n);
  pclose(pipe);
  std::filesystem::remove_all(profile);
  return dom;
}

}  // namespace dlaaw::testing
