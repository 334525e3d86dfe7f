/* SPDX-License-Identifier: GPL-3.0-or-later */
/* patient.h: who the records are about (name, date of birth, record number) and the facts
 * about them that a manifest's "required = if FACT" asks for. Plain data the command line
 * fills in; rules/ reads it with the manifest, and nothing else of the command line. */
#ifndef PATIENT_H
#define PATIENT_H

#include "sys/util.h"

struct patient {
	char *name, *dob, *mrn; /* NULL when not given; dob is YYYY-MM-DD */
	struct strlist facts;   /* --surgery, --hospitalized, --fact NAME */
	char today[11];         /* YYYY-MM-DD that recency is measured from ("": not checked) */
};

#endif
