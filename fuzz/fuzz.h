/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz.h: what every fuzz target defines, and the invariant check they share.
 * A target is built two ways: with libFuzzer (make fuzz) and as a plain program with
 * replay.c (make check), which feeds it every file of its committed corpus. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a crash too: abort so libFuzzer saves the input. */
#define FUZZ_REQUIRE(cond)                                                              \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, \
				#cond);                                                 \
			abort();                                                        \
		}                                                                       \
	} while (0)

/* The field is a NUL-terminated string inside its array. */
#define FUZZ_REQUIRE_STR(field) FUZZ_REQUIRE(memchr((field), '\0', sizeof(field)) != NULL)

#endif
