// scoped_env.h - sets or unsets one environment variable for a scope, then restores it.
#pragma once

#include <stdlib.h>

#include <optional>
#include <string>
#include <utility>

namespace dlaaw::testing {

// Remembers `name`'s value (or its absence) and puts it back on destruction, so that a test that
// changes the environment cannot change what later tests in the same binary see. Environment
// variables are process-wide: tests that use this must not run threads that read it.
class ScopedEnv {
 public:
  explicit ScopedEnv(std::string name) : name_(std::move(name)) {
    if (const char* v = std::getenv(name_.c_str())) saved_ = v;
  }
  // Sets `name` to `value` until the scope ends.
  ScopedEnv(std::string name, const std::string& value) : ScopedEnv(std::move(name)) { set(value); }
  ~ScopedEnv() {
    if (saved_) {
      setenv(name_.c_str(), saved_->c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

  // Sets the variable to `value` until the scope ends.
  void set(const std::string& value) const { setenv(name_.c_str(), value.c_str(), 1); }
  // Removes the variable until the scope ends.
  void unset() const { unsetenv(name_.c_str()); }

 private:
  std::string name_;
  std::optional<std::string> saved_;
};

}  // namespace dlaaw::testing
