/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bytes.h: little- and big-endian integers from bytes the caller has checked are there, and
 * the DICOM explicit-VR rule for which VRs carry a 4-byte length. Shared by the DICOM and
 * DICOMDIR readers and the DICOMDIR writer; pure inline functions, no state. */
#ifndef BYTES_H
#define BYTES_H

#include <stdint.h>
#include <string.h>

static inline uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint16_t rd16(const unsigned char *p, int big)
{
	if (big)
		return (uint16_t)(p[0] << 8 | p[1]);
	return le16(p);
}

static inline uint32_t rd32(const unsigned char *p, int big)
{
	return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3] : le32(p);
}

static inline void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
}

static inline void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> 8 * i);
}

/* Explicit VR (PS3.5 7.1.2): these VRs have two reserved bytes and a 4-byte length; the
 * others a 2-byte length. vr points at the two VR characters. */
static inline int dicom_vr_long_length(const void *vr)
{
	static const char vrs[][3] = { "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" };
	for (size_t i = 0; i < sizeof vrs / sizeof vrs[0]; i++)
		if (memcmp(vr, vrs[i], 2) == 0)
			return 1;
	return 0;
}

#endif
