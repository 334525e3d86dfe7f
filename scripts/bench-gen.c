/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scripts/bench-gen.c: writes the synthetic CT series of the `make bench` corpus: COUNT
 * DICOM Part 10 files (512x512, 16-bit, explicit VR little endian) whose pixels compress
 * like a real CT (air and padding at -1024 HU, a body with smooth anatomy on the patient
 * table, and reconstructed quantum noise that is spatially correlated).
 * A bench tool only: made-up patient, deterministic bytes, never part of recpack.
 *
 * usage: bench-gen OUTDIR SERIES_NO COUNT
 *   writes OUTDIR/IM000001 ... with PatientName DOE^JANE, PatientID MRN12345, born 19700101. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 512
#define STUDY_UID "1.2.826.0.1.3680043.8.498.7"

struct out {
	unsigned char *p;
	size_t len;
};

static void put(struct out *o, const void *b, size_t n)
{
	memcpy(o->p + o->len, b, n);
	o->len += n;
}

static void put16(struct out *o, unsigned v)
{
	unsigned char b[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	put(o, b, 2);
}

static void put32(struct out *o, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	put(o, b, 4);
}

/* One explicit-VR little-endian element with a short (16-bit) length; text is padded to even
 * length with a space (UI: with NUL), as DICOM requires. */
static void elem_str(struct out *o, unsigned group, unsigned el, const char *vr, const char *s)
{
	size_t n = strlen(s), padded = n + (n & 1);
	put16(o, group);
	put16(o, el);
	put(o, vr, 2);
	put16(o, (unsigned)padded);
	put(o, s, n);
	if (n & 1)
		put(o, strcmp(vr, "UI") == 0 ? "\0" : " ", 1);
}

static void elem_us(struct out *o, unsigned group, unsigned el, unsigned v)
{
	put16(o, group);
	put16(o, el);
	put(o, "US", 2);
	put16(o, 2);
	put16(o, v);
}

static void header(struct out *o, int series, int inst, double z)
{
	char sop[96], ser[64], buf[64];
	struct out meta;
	unsigned char mbuf[512];
	snprintf(ser, sizeof ser, STUDY_UID ".%d", series);
	snprintf(sop, sizeof sop, STUDY_UID ".%d.%d", series, inst);

	memset(o->p, 0, 128);
	o->len = 128;
	put(o, "DICM", 4);
	meta.p = mbuf;
	meta.len = 0;
	put16(&meta, 0x0002);
	put16(&meta, 0x0001);
	put(&meta, "OB\0\0", 4);
	put32(&meta, 2);
	put(&meta, "\0\1", 2);
	elem_str(&meta, 0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.2");
	elem_str(&meta, 0x0002, 0x0003, "UI", sop);
	elem_str(&meta, 0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1");
	elem_str(&meta, 0x0002, 0x0012, "UI", "1.2.826.0.1.3680043.8.498.99");
	put16(o, 0x0002);
	put16(o, 0x0000);
	put(o, "UL", 2);
	put16(o, 4);
	put32(o, (uint32_t)meta.len);
	put(o, meta.p, meta.len);

	elem_str(o, 0x0008, 0x0008, "CS", "ORIGINAL\\PRIMARY\\AXIAL");
	elem_str(o, 0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2");
	elem_str(o, 0x0008, 0x0018, "UI", sop);
	elem_str(o, 0x0008, 0x0020, "DA", "20260301");
	elem_str(o, 0x0008, 0x0030, "TM", "120000");
	elem_str(o, 0x0008, 0x0050, "SH", "ACC7");
	elem_str(o, 0x0008, 0x0060, "CS", "CT");
	elem_str(o, 0x0008, 0x0070, "LO", "SYNTHETIC");
	elem_str(o, 0x0008, 0x1030, "LO", "CT CHEST ABDOMEN PELVIS W CONTRAST");
	snprintf(buf, sizeof buf, "AXIAL %d", series);
	elem_str(o, 0x0008, 0x103e, "LO", buf);
	elem_str(o, 0x0010, 0x0010, "PN", "DOE^JANE");
	elem_str(o, 0x0010, 0x0020, "LO", "MRN12345");
	elem_str(o, 0x0010, 0x0030, "DA", "19700101");
	elem_str(o, 0x0010, 0x0040, "CS", "F");
	elem_str(o, 0x0018, 0x0050, "DS", "0.625");
	elem_str(o, 0x0020, 0x000d, "UI", STUDY_UID);
	elem_str(o, 0x0020, 0x000e, "UI", ser);
	elem_str(o, 0x0020, 0x0010, "SH", "1");
	snprintf(buf, sizeof buf, "%d", series);
	elem_str(o, 0x0020, 0x0011, "IS", buf);
	snprintf(buf, sizeof buf, "%d", inst);
	elem_str(o, 0x0020, 0x0013, "IS", buf);
	snprintf(buf, sizeof buf, "-250\\-250\\%.3f", z);
	elem_str(o, 0x0020, 0x0032, "DS", buf);
	elem_str(o, 0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0");
	elem_us(o, 0x0028, 0x0002, 1);
	elem_str(o, 0x0028, 0x0004, "CS", "MONOCHROME2");
	elem_us(o, 0x0028, 0x0010, N);
	elem_us(o, 0x0028, 0x0011, N);
	elem_str(o, 0x0028, 0x0030, "DS", "0.976\\0.976");
	elem_us(o, 0x0028, 0x0100, 16);
	elem_us(o, 0x0028, 0x0101, 12);
	elem_us(o, 0x0028, 0x0102, 11);
	elem_us(o, 0x0028, 0x0103, 0);
	elem_str(o, 0x0028, 0x1050, "DS", "40");
	elem_str(o, 0x0028, 0x1051, "DS", "400");
	elem_str(o, 0x0028, 0x1052, "DS", "-1024");
	elem_str(o, 0x0028, 0x1053, "DS", "1");
	put16(o, 0x7fe0);
	put16(o, 0x0010);
	put(o, "OW\0\0", 4);
	put32(o, N * N * 2);
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Roughly Gaussian noise (sum of four uniforms), mean 0, standard deviation about 1. */
static double noise1(uint64_t *s)
{
	uint64_t r = rng_next(s);
	double u = (double)(r & 0xffff) + (double)((r >> 16) & 0xffff) + (double)((r >> 32) & 0xffff) +
		   (double)(r >> 48);
	return (u / 65535.0 - 2.0) * 1.732;
}

static double sq(double v)
{
	return v * v;
}

/* The noise of one slice as filtered back-projection leaves it: white noise smoothed by the
 * reconstruction kernel, here the separable filter [1 K 1] / (K + 2) along x then y, scaled
 * back to a standard deviation of 1. K 6 gives neighbouring pixels a correlation of
 * 2K / (K^2 + 2) = 0.32: a standard soft-tissue kernel at 0.98 mm pixels (500 mm field of
 * view), where the pixels are coarser than the kernel's blur. f and tmp hold N * N values. */
#define KERNEL_K 6.0
static void noise_slice(double *f, double *tmp, uint64_t *s)
{
	double w = (2 + KERNEL_K * KERNEL_K) / sq(2 + KERNEL_K); /* variance kept by one pass */
	for (int i = 0; i < N * N; i++)
		tmp[i] = noise1(s);
	for (int y = 0; y < N; y++)
		for (int x = 0; x < N; x++) {
			const double *row = tmp + y * N;
			f[y * N + x] = (row[x ? x - 1 : x] + KERNEL_K * row[x] + row[x < N - 1 ? x + 1 : x]) /
				       (2 + KERNEL_K);
		}
	for (int y = 0; y < N; y++)
		for (int x = 0; x < N; x++) {
			double up = f[(y ? y - 1 : y) * N + x], down = f[(y < N - 1 ? y + 1 : y) * N + x];
			tmp[y * N + x] = (up + KERNEL_K * f[y * N + x] + down) / (2 + KERNEL_K) / w;
		}
	memcpy(f, tmp, sizeof *f * N * N);
}

/* Tissue at pixel (x, y) of slice t in [0, 1], from the shoulders to the pelvis: 1 and its
 * HU in *hu, or 0 for air and the padding outside the field of view, which the scanner writes
 * as a flat -1024 HU (stored 0). */
static int tissue(int x, int y, double t, double *hu)
{
	double cx = x - N / 2.0, cy = y - N / 2.0;
	if (cx * cx + cy * cy > (N / 2.0) * (N / 2.0))
		return 0; /* outside the reconstructed field of view */
	/* An adult of about 340 x 235 mm at the ends, up to 465 x 310 mm in between (0.976 mm
	 * pixels). */
	double a = 170 + 68 * sin(t * 3.0), b = 119 + 40 * sin(t * 3.0);
	double body = sq(cx / a) + sq((cy - 10) / b);
	if (body > 1.0) {
		/* The patient table, 14 mm thick: a carbon-fibre shell around a foam core. */
		double ty = cy - (10 + b + 8);
		if (ty > 0 && ty < 14 && fabs(cx) < 200) {
			*hu = ty < 3 || ty > 11 ? 300 : -500;
			return 1;
		}
		return 0;
	}
	double smooth = 25 * sin(x / 37.0 + t * 5) * cos(y / 53.0 - t * 3);
	*hu = body > 0.82 ? -100 + smooth / 3 : 45 + smooth; /* fat rim, soft tissue */
	int chest = t > 0.15 && t < 0.55;
	if (chest && (sq((cx - a * 0.45) / (a * 0.33)) + sq((cy + 5) / (b * 0.6)) < 1.0 ||
		      sq((cx + a * 0.45) / (a * 0.33)) + sq((cy + 5) / (b * 0.6)) < 1.0))
		*hu = -840 + 3 * smooth; /* lungs */
	double spine = sq(cx / 22) + sq((cy - b * 0.7) / 20);
	if (spine < 1.0)
		*hu = spine < 0.55 ? 250 + 4 * smooth : 900 + 2 * smooth; /* vertebra: marrow, cortex */
	if (!chest && sq((cx - 30) / 45) + sq((cy + 20) / 38) < 1.0)
		*hu = 60 + smooth / 2; /* liver / bowel */
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench-gen OUTDIR SERIES_NO COUNT\n");
		return 2;
	}
	const char *dir = argv[1];
	int series = atoi(argv[2]), count = atoi(argv[3]);
	/* The noise level, the kernel, the flat air and the size of the body were chosen so that
	 * the study behaves like the real CT of ../shared/NOTES.md under zip -6, libdeflate and 7z
	 * (sizes and speed ratios; see docs/benchmarks.md, "How the synthetic CT differs"). */
	double sigma = 11.5; /* noise in HU, body and table */
	struct out o;
	double *nf = malloc(sizeof *nf * N * N), *tmp = malloc(sizeof *tmp * N * N);
	o.p = malloc(4096 + (size_t)N * N * 2);
	if (!o.p || !nf || !tmp || count < 1)
		return 1;
	for (int i = 1; i <= count; i++) {
		uint64_t s = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)series << 32) ^ (uint64_t)i;
		double t = (double)(i - 1) / (count > 1 ? count - 1 : 1);
		header(&o, series, i, -600.0 + i * 0.625);
		noise_slice(nf, tmp, &s);
		unsigned char *px = o.p + o.len;
		for (int y = 0; y < N; y++)
			for (int x = 0; x < N; x++) {
				double hu, v = 0;
				if (tissue(x, y, t, &hu)) {
					v = hu + 1024 + sigma * nf[y * N + x];
					v = v < 0 ? 0 : v > 4095 ? 4095 : v; /* 12 bits stored */
				}
				unsigned u = (unsigned)v;
				px[2 * (y * N + x)] = (unsigned char)u;
				px[2 * (y * N + x) + 1] = (unsigned char)(u >> 8);
			}
		o.len += (size_t)N * N * 2;
		char path[4096];
		snprintf(path, sizeof path, "%s/IM%06d", dir, i);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(o.p, 1, o.len, f) != o.len || fclose(f) != 0) {
			fprintf(stderr, "bench-gen: %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	free(o.p);
	free(nf);
	free(tmp);
	return 0;
}
