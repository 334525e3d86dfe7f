/* SPDX-License-Identifier: GPL-3.0-or-later */
/* crc32.c: zlib's crc32(), answered by libdeflate's.
 *
 * libzip computes the CRC-32 of every stored entry itself, with zlib's crc32() (it cannot be
 * told the CRC): at --level 0 that is the whole packet, on the writer thread, and zlib's table
 * code runs at about 2 GB/s where libdeflate's (PCLMULQDQ) runs at 8 or more. Defining crc32
 * here makes the dynamic linker bind libzip's (and every library's) calls to this one, which
 * gives the same CRC-32 (same polynomial, same pre- and post-conditioning; crc32(x, NULL, 0)
 * is 0 as in zlib). Nothing in recpack calls it directly. */
#include <stddef.h>

#include <libdeflate.h>

unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len);

unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len)
{
	if (!buf)
		return 0;
	return libdeflate_crc32((uint32_t)crc, buf, len);
}
