// scoped_env.h - sets an environment variable for one test and puts back what was there.
#pragma once

#include <stdlib.h>

#include <optional>
#include <string>

namespace dlaaw::testing {

// Sets `name` to `value` until the end of the scope, then restores the old value (or unsets it).
// Environment variables are process-wide: tests that use this must not run threads that read it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace dlaaw::testing
