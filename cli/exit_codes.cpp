// exit_codes.cpp - error type to exit code mapping.
#include "cli/exit_codes.h"

#include <exception>
#include <iostream>

#include "common/errors.h"

namespace dlaaw::cli {

int run_guarded(const std::function<int()>& command) {
  try {
    return command();
  } catch (const InvalidInput& e) {
    std::cerr << "dlaaw: error: " << e.what() << "\n";
    return kBadInput;
  } catch (const ServiceUnavailable& e) {
    std::cerr << "dlaaw: error: " << e.what() << "\n";
    return kServiceUnavailable;
  } catch (const JobCancelled& e) {
    std::cerr << "dlaaw: cancelled: " << e.what() << "\n";
    return kJobFailed;
  } catch (const std::exception& e) {
    std::cerr << "dlaaw: error: " << e.what() << "\n";
    return kJobFailed;
  }
}

}  // namespace dlaaw::cli
