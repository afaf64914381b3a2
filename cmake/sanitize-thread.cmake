# sanitize-thread.cmake - initial cache (cmake -C) of `make test-tsan`: ThreadSanitizer, line
# tables for readable stacks, no CUDA. kernels/cpu builds without its target_clones under TSan
# (see cpu_backend.cpp).
set(DLAAW_CUDA OFF CACHE STRING "")
set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "")
set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O2 -g1 -DNDEBUG" CACHE STRING "")
set(CMAKE_CXX_FLAGS "-fsanitize=thread -fno-omit-frame-pointer" CACHE STRING "")
foreach(kind EXE SHARED MODULE)
  set(CMAKE_${kind}_LINKER_FLAGS "-fsanitize=thread" CACHE STRING "")
endforeach()
