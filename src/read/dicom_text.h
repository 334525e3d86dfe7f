/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dicom_text.h: DICOM text values (PN, LO, SH...) to UTF-8 under a SpecificCharacterSet.
 * dicom_text.c owns the character-set tables and the ISO 2022 code-element switching of
 * PS3.5 6.1.2.5; it reads only the bytes handed to it, never writes past outsize, and uses
 * iconv (glibc) for the conversion proper. */
#ifndef DICOM_TEXT_H
#define DICOM_TEXT_H

#include <stddef.h>

/* Decodes in[0..n) to NUL-terminated UTF-8 in out[0..outsize), cut at a character boundary
 * when it does not fit. charset is the raw (0008,0005) value (terms separated by '\', ""
 * for the default repertoire). Bytes that cannot be decoded become U+FFFD. Returns 0 when
 * every byte was decoded under a known character set, 1 when something was replaced or the
 * character set was not recognised (then ISO 8859-1 is assumed, as pydicom does). */
int dicom_text_decode(const char *charset, const unsigned char *in, size_t n, char *out, size_t outsize);

/* True when every term of charset is one dicom_text_decode knows. */
int dicom_charset_known(const char *charset);

/* Component group g (0 alphabetic, 1 ideographic, 2 phonetic) of a decoded PN value, copied
 * into dst (at most size-1 bytes, cut at a character boundary); "" when absent. */
void dicom_pn_group(const char *pn, int g, char *dst, size_t size);

#endif
