/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_sniff.c: the type sniffer on arbitrary bytes, handed head and tail the way
 * document.c hands them: the first SNIFF_HEAD bytes, and the last SNIFF_TAIL bytes only
 * when the file is longer than its head. */
#include "fuzz.h"

#include "read/sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t head_len = size < SNIFF_HEAD ? size : SNIFF_HEAD;
	const uint8_t *tail = NULL;
	size_t tail_len = 0;
	if (size > head_len) {
		tail_len = size - head_len < SNIFF_TAIL ? size - head_len : SNIFF_TAIL;
		tail = data + size - tail_len;
	}
	struct sniff_result r;
	sniff(data, head_len, tail, tail_len, size, &r);
	FUZZ_REQUIRE(r.type >= T_UNKNOWN && r.type < T_TYPE_COUNT);
	FUZZ_REQUIRE(size > 0 || r.type == T_EMPTY);
	const char *name = doc_type_name(r.type);
	FUZZ_REQUIRE(name != NULL && doc_type_label(r.type) != NULL);
	FUZZ_REQUIRE(doc_type_from_name(name) == r.type);
	return 0;
}
