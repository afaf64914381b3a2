# fuzz.cmake - initial cache (cmake -C) of `make fuzz`: clang-14 with libFuzzer's coverage, ASan
# and UBSan on every library the targets link, so that the fuzzer is guided through the
# project's code and stops at the first memory error or undefined behaviour.
set(CMAKE_CXX_COMPILER clang++-14 CACHE STRING "")
set(DLAAW_FUZZ ON CACHE BOOL "")
set(DLAAW_CUDA OFF CACHE STRING "")
set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "")
set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O2 -g1 -DNDEBUG" CACHE STRING "")
set(CMAKE_CXX_FLAGS
    "-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
    CACHE STRING "")
foreach(kind EXE SHARED MODULE)
  set(CMAKE_${kind}_LINKER_FLAGS "-fsanitize=address,undefined" CACHE STRING "")
endforeach()
