# aarch64-linux-gnu.cmake - cross build for 64-bit ARM (Jetson CPUs) with Debian's cross compiler;
# tests run under qemu-user. Libraries come from Debian multiarch (scripts/install-aarch64-deps.sh).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# find_library/find_package look in /usr/lib/aarch64-linux-gnu (multiarch) before /usr/lib, and
# never in the host's /usr/lib/x86_64-linux-gnu; headers of /usr/include serve both.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# pkg-config must read the arm64 .pc files, not the host's.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# -L: the cross toolchain's loader and libc. -E LD_LIBRARY_PATH: without it the loader takes libc
# from the multiarch libc6:arm64 (another build of glibc) through /etc/ld.so.cache, and some tests
# hang. -E QEMU_LD_PREFIX: aarch64 children a test starts (the dlaaw binary) run through
# binfmt_misc without -L; this variable gives them the same loader.
set(CMAKE_CROSSCOMPILING_EMULATOR
    qemu-aarch64-static -L /usr/aarch64-linux-gnu -E LD_LIBRARY_PATH=/usr/aarch64-linux-gnu/lib
    -E QEMU_LD_PREFIX=/usr/aarch64-linux-gnu)
