/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_verify.c: `recpack verify` on arbitrary bytes as PACKET.zip (encrypted ones with the
 * password fuzz/corpus/extract's seeds were made with). It must examine or refuse the file
 * (RP_EUSAGE: encrypted with another password, or its password is missing), never crash,
 * leak or write. The input goes to a file in a private folder made
 * once per process. (Move to fuzz/ once src/verify.c is on the branch; run with
 * -max_len=65536.) */
#include "fuzz.h"

#include <stdio.h>
#include <unistd.h>

#include "packet/verify.h"
#include "sys/rp.h"

static char dir[4096], path[4200];

static void remove_dir(void)
{
	rmdir(dir);
}

static int prepare(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/recpack-fuzz-verify.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/PACKET.zip", dir);
	return atexit(remove_dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		FUZZ_REQUIRE(prepare() == 0);
		ready = 1;
	}
	FILE *f = fopen(path, "wb");
	FUZZ_REQUIRE(f != NULL);
	FUZZ_REQUIRE(fwrite(data, 1, size, f) == size);
	FUZZ_REQUIRE(fclose(f) == 0);
	struct verify_result r = { 0 };
	char err[512] = "";
	int rc = verify_packet_pw(path, "correct horse battery", &r, err, sizeof(err));
	FUZZ_REQUIRE(rc == RP_OK || rc == RP_EFAIL || rc == RP_ESOURCE || rc == RP_EUSAGE);
	if (rc == RP_ESOURCE || rc == RP_EUSAGE)
		FUZZ_REQUIRE(err[0] != '\0');
	for (size_t i = 0; i < r.n; i++)
		FUZZ_REQUIRE(r.v[i].path != NULL && r.v[i].problem != NULL);
	verify_result_free(&r);
	unlink(path);
	return 0;
}
