/* SPDX-License-Identifier: GPL-3.0-or-later */
/* date.h: the one calendar check for every date recpack reads (--dob, a roster's dob, the
 * dates records state): a real day of the Gregorian calendar between 1800 and 2200, so
 * 1970-02-31 and 1900-02-29 are refused everywhere alike. No time zones, no I/O. */
#ifndef DATE_H
#define DATE_H

#define DATE_YEAR_MIN 1800
#define DATE_YEAR_MAX 2200

/* 1 when y-m-d is a day that exists (leap years counted) in the years above, else 0. */
int date_valid(long y, long m, long d);

/* s exactly "YYYY-MM-DD" naming a day date_valid accepts: 0, with the day in *y, *m, *d
 * (each may be NULL); -1 otherwise. */
int date_parse_iso(const char *s, int *y, int *m, int *d);

#endif
