/* sha256.c: see sha256.h. A struct sha256 is an EVP_MD_CTX by another name. */
#include "sys/sha256.h"

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
