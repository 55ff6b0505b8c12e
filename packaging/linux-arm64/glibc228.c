// Definitions that let the linux-arm64 release run on glibc 2.28 (Kylin V10, UOS 20).
//
// The build links against an older glibc (docs/RELEASE.md), but it carries this Debian's GCC 12
// libstdc++.a, which was compiled against glibc 2.36 and calls two things glibc 2.28 lacks.
// This file defines them inside the executable, so the dynamic linker never asks the target's
// glibc for them. It is linked into the linux-arm64 release only.
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

// libstdc++ reads glibc's flag (2.32 and later) to skip atomic reference counting while a
// process has one thread. 0 means "maybe several threads": always atomic, correct everywhere;
// mingdeng and DuckDB are multi-threaded anyway.
__attribute__((visibility("hidden"))) char __libc_single_threaded = 0;

// glibc 2.36's arc4random, which std::random_device uses. getentropy (glibc 2.25) reads the
// kernel's random pool like arc4random does; like arc4random, it aborts when there is none.
__attribute__((visibility("hidden"))) uint32_t arc4random(void) {
	uint32_t v;
	if (getentropy(&v, sizeof v) != 0) {
		abort();
	}
	return v;
}

// glibc 2.29 gave exp, log, log2 and pow new versions (the same results, errno set without a
// wrapper) and made them the default a link picks. Here each name forwards to the version every
// glibc since 2.17 has, GLIBC_2.17, so the executable asks for nothing newer.
#define FORWARD_2_17(name)                                                   \
	double mingdeng_##name##_2_17(double);                                   \
	__asm__(".symver mingdeng_" #name "_2_17, " #name "@GLIBC_2.17");        \
	__attribute__((visibility("hidden"))) double name(double x) {            \
		return mingdeng_##name##_2_17(x);                                    \
	}
FORWARD_2_17(exp)
FORWARD_2_17(log)
FORWARD_2_17(log2)

double mingdeng_pow_2_17(double, double);
__asm__(".symver mingdeng_pow_2_17, pow@GLIBC_2.17");
__attribute__((visibility("hidden"))) double pow(double x, double y) {
	return mingdeng_pow_2_17(x, y);
}
