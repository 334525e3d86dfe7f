/* bytes.h: little- and big-endian integers from bytes the caller has checked are there. Shared
 * by the DICOM and DICOMDIR readers; pure inline functions, no state. */
#ifndef BYTES_H
#define BYTES_H

#include <stdint.h>

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

#endif
