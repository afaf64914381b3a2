# sanitize-address.cmake - initial cache (cmake -C) of `make test-asan`: ASan + UBSan, every
# report fatal, line tables for readable stacks, no CUDA (nvcc compiles its own host code).
set(DLAAW_CUDA OFF CACHE STRING "")
set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "")
set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O2 -g1 -DNDEBUG" CACHE STRING "")
set(CMAKE_CXX_FLAGS
    "-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
    CACHE STRING "")
foreach(kind EXE SHARED MODULE)
  set(CMAKE_${kind}_LINKER_FLAGS "-fsanitize=address,undefined" CACHE STRING "")
endforeach()
