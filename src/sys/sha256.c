/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sha256.c: see sha256.h. A struct sha256 is an EVP_MD_CTX by another name. */
#include "sys/sha256.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "sys/util.h"

static EVP_MD_CTX *ctx(struct sha256 *h)
{
	return (EVP_MD_CTX *)h;
}

struct sha256 *sha256_new(void)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (c && !EVP_DigestInit_ex(c, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(c);
		c = NULL;
	}
	return (struct sha256 *)c;
}

int sha256_update(struct sha256 *h, const void *p, size_t n)
{
	return EVP_DigestUpdate(ctx(h), p, n) ? 0 : -1;
}

int sha256_final(struct sha256 *h, unsigned char md[32], char hex[65])
{
	unsigned char buf[EVP_MAX_MD_SIZE];
	if (!EVP_DigestFinal_ex(ctx(h), buf, NULL) || !EVP_DigestInit_ex(ctx(h), EVP_sha256(), NULL))
		return -1;
	if (md)
		memcpy(md, buf, 32);
	if (hex)
		hex_encode(buf, 32, hex);
	return 0;
}

int sha256_reset(struct sha256 *h)
{
	return EVP_DigestInit_ex(ctx(h), EVP_sha256(), NULL) ? 0 : -1;
}

void sha256_free(struct sha256 *h)
{
	EVP_MD_CTX_free(ctx(h));
}

int sha256_buf(const void *p, size_t n, unsigned char md[32], char hex[65])
{
	unsigned char buf[EVP_MAX_MD_SIZE];
	if (!EVP_Digest(p, n, buf, NULL, EVP_sha256(), NULL))
		return -1;
	if (md)
		memcpy(md, buf, 32);
	if (hex)
		hex_encode(buf, 32, hex);
	return 0;
}

int sha1_buf_hex(const void *p, size_t n, char hex[41])
{
	unsigned char buf[EVP_MAX_MD_SIZE];
	if (!EVP_Digest(p, n, buf, NULL, EVP_sha1(), NULL))
		return -1;
	hex_encode(buf, 20, hex);
	return 0;
}

/* ---- the BagIt manifest algorithms ---- */

static const struct {
	const char *name;
	const EVP_MD *(*md)(void);
	size_t hexlen;
} algs[DIGEST_ALGS] = {
	{ "md5", EVP_md5, 32 },       { "sha1", EVP_sha1, 40 },     { "sha224", EVP_sha224, 56 },
	{ "sha256", EVP_sha256, 64 }, { "sha384", EVP_sha384, 96 }, { "sha512", EVP_sha512, 128 },
};

int digest_alg(const char *name)
{
	for (int i = 0; i < DIGEST_ALGS; i++)
		if (strcmp(name, algs[i].name) == 0)
			return i;
	return -1;
}

const char *digest_alg_name(int alg)
{
	return algs[alg].name;
}

size_t digest_hex_len(int alg)
{
	return algs[alg].hexlen;
}

struct digest {
	EVP_MD_CTX *c;
	int alg;
};

struct digest *digest_new(int alg)
{
	if (alg < 0 || alg >= DIGEST_ALGS)
		return NULL;
	struct digest *d = xmalloc(sizeof(*d));
	d->alg = alg;
	d->c = EVP_MD_CTX_new();
	if (!d->c || !EVP_DigestInit_ex(d->c, algs[alg].md(), NULL)) {
		EVP_MD_CTX_free(d->c);
		free(d);
		return NULL;
	}
	return d;
}

int digest_update(struct digest *d, const void *p, size_t n)
{
	return EVP_DigestUpdate(d->c, p, n) ? 0 : -1;
}

int digest_final_hex(struct digest *d, char hex[DIGEST_MAX_HEX + 1])
{
	unsigned char buf[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!EVP_DigestFinal_ex(d->c, buf, &len) || len * 2 != algs[d->alg].hexlen)
		return -1;
	hex_encode(buf, len, hex);
	return 0;
}

void digest_free(struct digest *d)
{
	if (d) {
		EVP_MD_CTX_free(d->c);
		free(d);
	}
}
