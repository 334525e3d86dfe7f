/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_url.c: http:// and https:// sources through libcurl's multi interface. Every URL of
 * the job is fetched in one batch (--parallel transfers at once) before the sources are
 * walked; url_gather then hands each download on as a document, in the order given.
 * The only module that touches the network. Secrets (token, extra headers, the URL's
 * userinfo and query) never reach a message: people see the redacted URL only. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "sources/dlcache.h"
#include "sources/source.h"
#include "sources/urlname.h"
#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/util.h"

#define MAX_REDIRECTS 10
#define CONNECT_TIMEOUT 30L
#define BACKOFF_BASE 0.5     /* seconds before the first retry, doubled each time */
#define BACKOFF_CAP 30.0
#define MAX_RETRY_AFTER 60.0 /* a portal asking for a longer pause gets this much */
#define MAX_SECRET_FILE 65536
#define MAX_EXTRA_HEADERS 100
#define MAX_HEADER_LINE 8192
#define MAX_VALIDATOR 1024

enum xstate { X_WAIT, X_RUN, X_DONE };

/* What the headers of the current response said. */
struct resp {
	long status;
	int ranges_ok;
	long long range_start; /* from Content-Range, -1 when absent */
	double retry_after;    /* seconds, -1 when absent */
	char *disp_name, *etag, *lastmod;
};

struct xfer {
	struct url_batch *b;
	size_t src;         /* index into fetch->srcs */
	const char *url;    /* as given: may hold secrets, never shown */
	char *cur;          /* this request's URL, after redirects */
	char *shown;        /* redacted, for people */
	char *label;        /* short name for the progress line */
	char *path;         /* the body, in the private temp folder */
	char key[65];       /* cache key */
	struct dlcache_entry cached;
	int have_cached;
	CURL *h;
	int fd;
	enum xstate state;
	int attempt, redirects;
	double not_before;  /* monotonic seconds */
	double started;     /* monotonic seconds of the first request, 0 before it */
	uint64_t have;      /* body bytes in the file */
	uint64_t resume_at; /* Range start of this request, 0 for the whole body */
	char *if_range;     /* validator of the body being resumed */
	int body_started, too_big, write_errno, bad_range;
	struct resp r;
	struct curl_slist *hdrs; /* this request's headers: live until it ends */
	char *name;         /* file name of the finished download */
	int rc;
	char *message;      /* why it failed; NULL when already reported */
	char errbuf[CURL_ERROR_SIZE];
};

struct url_batch {
	const struct fetch_opts *fetch;
	struct gather *g;
	struct xfer *v;
	size_t n;
	CURLM *multi;
	char *cache_dir;            /* NULL: no cache */
	char *bearer;               /* secret */
	struct curl_slist *extra;   /* --header-file lines: may be secret */
	unsigned seed;              /* jitter */
	size_t running, done;
	double last_progress;
	int curl_ready;
};

static int url_claims(const char *spec)
{
	return strstr(spec, "://") != NULL && spec[0] != '/';
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- secrets: token, extra headers ---- */

static char *read_small_file(const char *path, char *err, size_t errlen, const char *what)
{
	char *buf;
	size_t n;
	if (file_read_small(path, MAX_SECRET_FILE, &buf, &n) == 0)
		return buf;
	snprintf(err, errlen, "the %s %s cannot be read (%s)", what, path,
		 errno == EFBIG ? "it is larger than 64 KB" : strerror(errno));
	return NULL;
}

static int printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

static int load_bearer(struct url_batch *b, char *err, size_t errlen)
{
	const struct fetch_opts *fo = b->fetch;
	char *tok;
	if (fo->bearer_file) {
		char *buf = read_small_file(fo->bearer_file, err, errlen, "token file");
		if (!buf)
			return -1;
		buf[strcspn(buf, "\r\n")] = '\0';
		tok = xstrdup(trim(buf));
		explicit_bzero(buf, strlen(buf));
		free(buf);
	} else {
		const char *env = getenv("RECPACK_BEARER_TOKEN");
		if (!env)
			return 0;
		char *copy = xstrdup(env);
		tok = xstrdup(trim(copy));
		free(copy);
	}
	const char *from = fo->bearer_file ? fo->bearer_file : "RECPACK_BEARER_TOKEN";
	if (!*tok || !printable_ascii(tok)) {
		snprintf(err, errlen, "%s holds no usable token (it must be one line of plain text)", from);
		free(tok);
		return -1;
	}
	b->bearer = tok;
	return 0;
}

static int load_headers(struct url_batch *b, char *err, size_t errlen)
{
	const char *file = b->fetch->header_file;
	if (!file)
		return 0;
	char *buf = read_small_file(file, err, errlen, "header file");
	if (!buf)
		return -1;
	int rc = 0, lineno = 0, count = 0;
	for (char *line = buf, *next; line && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line[strcspn(line, "\r")] = '\0';
		char *t = trim(line);
		if (!*t || *t == '#')
			continue;
		char *colon = strchr(t, ':');
		if (!colon || colon == t || strcspn(t, " \t") < (size_t)(colon - t) || !printable_ascii(t) ||
		    ++count > MAX_EXTRA_HEADERS) {
			/* the line itself may be a secret: name its number only */
			snprintf(err, errlen, "line %d of the header file %s is not a header of the form 'Name: value'",
				 lineno, file);
			rc = -1;
			break;
		}
		b->extra = curl_slist_append(b->extra, t);
	}
	explicit_bzero(buf, strlen(buf));
	free(buf);
	return rc;
}

static int check_readable(const char *file, const char *what, char *err, size_t errlen)
{
	if (file && access(file, R_OK) < 0) {
		snprintf(err, errlen, "the %s %s cannot be read (%s)", what, file, strerror(errno));
		return -1;
	}
	return 0;
}

static int load_auth(struct url_batch *b, char *err, size_t errlen)
{
	const struct fetch_opts *j = b->fetch;
	if (check_readable(j->cookies_file, "cookie file", err, errlen) ||
	    check_readable(j->netrc_file, ".netrc file", err, errlen) ||
	    check_readable(j->cacert, "certificate file (--cacert)", err, errlen))
		return -1;
	return load_bearer(b, err, errlen) || load_headers(b, err, errlen) ? -1 : 0;
}

/* ---- URLs ---- */

/* Same host and port, and the same scheme or an upgrade from http to https: only there
 * may credentials go. */
static int same_origin(const char *a, const char *b)
{
	CURLU *ua = curl_url(), *ub = curl_url();
	char *ha = NULL, *hb = NULL, *pa = NULL, *pb = NULL, *sa = NULL, *sb = NULL;
	int same = 0;
	if (ua && ub && !curl_url_set(ua, CURLUPART_URL, a, 0) && !curl_url_set(ub, CURLUPART_URL, b, 0) &&
	    !curl_url_get(ua, CURLUPART_HOST, &ha, 0) && !curl_url_get(ub, CURLUPART_HOST, &hb, 0) &&
	    !curl_url_get(ua, CURLUPART_PORT, &pa, CURLU_DEFAULT_PORT) &&
	    !curl_url_get(ub, CURLUPART_PORT, &pb, CURLU_DEFAULT_PORT) &&
	    !curl_url_get(ua, CURLUPART_SCHEME, &sa, 0) && !curl_url_get(ub, CURLUPART_SCHEME, &sb, 0))
		same = strcasecmp(ha, hb) == 0 && strcmp(pa, pb) == 0 &&
		       (strcasecmp(sa, sb) == 0 || (strcasecmp(sa, "http") == 0 && strcasecmp(sb, "https") == 0));
	curl_free(ha), curl_free(hb), curl_free(pa), curl_free(pb), curl_free(sa), curl_free(sb);
	curl_url_cleanup(ua);
	curl_url_cleanup(ub);
	return same;
}

/* ---- response headers and body ---- */

static void resp_clear(struct resp *r)
{
	free(r->disp_name);
	free(r->etag);
	free(r->lastmod);
	memset(r, 0, sizeof(*r));
	r->range_start = -1;
	r->retry_after = -1;
}

static void header_field(struct resp *r, const char *name, char *value)
{
	if (strcasecmp(name, "content-disposition") == 0) {
		free(r->disp_name);
		r->disp_name = disposition_filename(value);
	} else if (strcasecmp(name, "etag") == 0 && strlen(value) < MAX_VALIDATOR && printable_ascii(value)) {
		free(r->etag);
		r->etag = xstrdup(value);
	} else if (strcasecmp(name, "last-modified") == 0 && strlen(value) < MAX_VALIDATOR &&
		   printable_ascii(value)) {
		free(r->lastmod);
		r->lastmod = xstrdup(value);
	} else if (strcasecmp(name, "accept-ranges") == 0) {
		r->ranges_ok = strcasestr(value, "bytes") != NULL;
	} else if (strcasecmp(name, "content-range") == 0) {
		long long start;
		if (sscanf(value, "bytes %lld-", &start) == 1 && start >= 0)
			r->range_start = start;
	} else if (strcasecmp(name, "retry-after") == 0) {
		char *end;
		long secs = strtol(value, &end, 10);
		if (end != value && *end == '\0' && secs >= 0) {
			r->retry_after = (double)secs;
		} else {
			time_t when = curl_getdate(value, NULL);
			time_t now = time(NULL);
			if (when > 0)
				r->retry_after = when > now ? (double)(when - now) : 0;
		}
	}
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * nitems;
	if (len == 0 || len > MAX_HEADER_LINE)
		return len;
	char line[MAX_HEADER_LINE + 1];
	memcpy(line, buf, len);
	line[len] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strncmp(line, "HTTP/", 5) == 0) {
		resp_clear(&x->r);
		const char *sp = strchr(line, ' ');
		x->r.status = sp ? strtol(sp + 1, NULL, 10) : 0;
		return len;
	}
	char *colon = strchr(line, ':');
	if (colon) {
		*colon = '\0';
		header_field(&x->r, trim(line), trim(colon + 1));
	}
	return len;
}

static int truncate_body(struct xfer *x)
{
	x->have = 0;
	if (ftruncate(x->fd, 0) < 0 || lseek(x->fd, 0, SEEK_SET) < 0) {
		x->write_errno = errno;
		return -1;
	}
	return 0;
}

/* The first bytes of a 2xx body: append to what a dropped transfer left, or start over. */
static int body_start(struct xfer *x)
{
	x->body_started = 1;
	if (x->resume_at && x->r.status == 206) {
		if (x->r.range_start != (long long)x->resume_at) {
			x->bad_range = 1;
			return -1;
		}
		if (lseek(x->fd, (off_t)x->resume_at, SEEK_SET) < 0) {
			x->write_errno = errno;
			return -1;
		}
		x->have = x->resume_at;
		return 0;
	}
	return truncate_body(x);
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * nmemb;
	if (x->r.status < 200 || x->r.status >= 300)
		return len; /* a redirect's or an error's page: not the document */
	if (!x->body_started && body_start(x) < 0)
		return 0;
	if (x->have + len > x->b->fetch->max_size) {
		x->too_big = 1;
		return 0;
	}
	if (fd_write_all(x->fd, ptr, len) < 0) {
		x->write_errno = errno;
		return 0;
	}
	x->have += len;
	return len;
}

/* ---- one request ---- */

static void setup_handle(struct url_batch *b, struct xfer *x)
{
	const struct fetch_opts *j = b->fetch;
	CURL *h = x->h;
	curl_easy_setopt(h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	/* Redirects are followed here, not by libcurl, so every credential (extra headers
	 * included) can be dropped when the next hop is another host. */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, RP_AGENT);
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, j->timeout < CONNECT_TIMEOUT ? j->timeout : CONNECT_TIMEOUT);
	/* Slower than --min-speed for --timeout seconds: stalled, or as good as (a portal that
	 * sends a byte now and then never ends a document of megabytes). */
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, j->min_speed);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, j->timeout);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (j->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, j->cacert);
	/* the cookie engine sends each cookie only to the domain that set it */
	curl_easy_setopt(h, CURLOPT_COOKIEFILE, j->cookies_file ? j->cookies_file : "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
}

static struct curl_slist *request_headers(struct url_batch *b, struct xfer *x, int trusted)
{
	struct curl_slist *l = NULL;
	if (trusted)
		for (struct curl_slist *e = b->extra; e; e = e->next)
			l = curl_slist_append(l, e->data);
	if (x->resume_at && x->if_range) {
		char *s = xasprintf("If-Range: %s", x->if_range);
		l = curl_slist_append(l, s);
		free(s);
	} else if (!x->resume_at && x->have_cached) {
		char *s = x->cached.etag ? xasprintf("If-None-Match: %s", x->cached.etag)
					 : xasprintf("If-Modified-Since: %s", x->cached.lastmod);
		l = curl_slist_append(l, s);
		free(s);
	}
	return l;
}

/* Options that change from one request of a transfer to the next. */
static void arm(struct url_batch *b, struct xfer *x)
{
	const struct fetch_opts *j = b->fetch;
	CURL *h = x->h;
	int trusted = same_origin(x->url, x->cur);
	resp_clear(&x->r);
	x->body_started = x->too_big = x->bad_range = x->write_errno = 0;
	x->errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, x->cur);
	if (trusted && b->bearer) {
		curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, b->bearer);
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
	} else {
		curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, NULL);
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	}
	int netrc = trusted && (j->netrc || j->netrc_file);
	curl_easy_setopt(h, CURLOPT_NETRC, (long)(netrc ? CURL_NETRC_OPTIONAL : CURL_NETRC_IGNORED));
	curl_easy_setopt(h, CURLOPT_NETRC_FILE, netrc ? j->netrc_file : NULL);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)(j->max_size - x->resume_at));
	char range[32];
	snprintf(range, sizeof(range), "%llu-", (unsigned long long)x->resume_at);
	curl_easy_setopt(h, CURLOPT_RANGE, x->resume_at ? range : NULL);
	curl_slist_free_all(x->hdrs);
	x->hdrs = request_headers(b, x, trusted);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->hdrs);
	/* The whole document, every attempt and wait included, within --deadline. */
	double now = now_s();
	if (x->started == 0)
		x->started = now;
	double left = x->started + (double)j->deadline - now;
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(left > 1 ? left * 1000 : 1000));
}

/* Has the document used up its --deadline? */
static int past_deadline(const struct url_batch *b, const struct xfer *x)
{
	return x->started > 0 && now_s() - x->started >= (double)b->fetch->deadline - 0.5;
}

/* ---- outcomes ---- */

static void finish_done(struct url_batch *b, struct xfer *x, int rc, char *message)
{
	x->state = X_DONE;
	x->rc = rc;
	x->message = message;
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	/* never in the multi handle here: release it now, so memory stays flat over many links */
	if (x->h)
		curl_easy_cleanup(x->h);
	x->h = NULL;
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	b->done++;
}

static void fail(struct url_batch *b, struct xfer *x, char *message)
{
	if (x->attempt > 0) {
		char *m = xasprintf("%s (after %d attempts)", message, x->attempt + 1);
		free(message);
		message = m;
	}
	finish_done(b, x, RP_ESOURCE, message);
}

static double backoff(struct url_batch *b, int attempt)
{
	double d = BACKOFF_BASE;
	for (int i = 1; i < attempt && d < BACKOFF_CAP; i++)
		d *= 2;
	if (d > BACKOFF_CAP)
		d = BACKOFF_CAP;
	return d / 2 + d / 2 * ((double)rand_r(&b->seed) / RAND_MAX); /* jitter: spread the retries */
}

static void retry(struct url_batch *b, struct xfer *x, char *why)
{
	if (x->attempt >= b->fetch->retries) {
		fail(b, x, why);
		return;
	}
	double wait = x->r.retry_after >= 0 ? x->r.retry_after : backoff(b, x->attempt + 1);
	if (wait > MAX_RETRY_AFTER)
		wait = MAX_RETRY_AFTER;
	if (x->started > 0 && now_s() + wait - x->started >= (double)b->fetch->deadline) {
		fail(b, x, why); /* no time left for another attempt */
		return;
	}
	free(why);
	x->attempt++;
	x->not_before = now_s() + wait;
	x->state = X_WAIT;
}

static const char *status_reason(long s)
{
	static const struct { long code; const char *text; } t[] = {
		{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
		{ 404, "Not Found" }, { 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
		{ 407, "Proxy Authentication Required" }, { 408, "Request Timeout" },
		{ 410, "Gone" }, { 416, "Range Not Satisfiable" }, { 429, "Too Many Requests" },
		{ 500, "Internal Server Error" }, { 501, "Not Implemented" }, { 502, "Bad Gateway" },
		{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].code == s)
			return t[i].text;
	return s >= 500 ? "Server Error" : "Client Error";
}

static const char *unauthorized_advice(const struct url_batch *b)
{
	const struct fetch_opts *j = b->fetch;
	if (b->bearer)
		return "the portal did not accept the token; sign in again and save a new token";
	if (j->cookies_file)
		return "the portal did not accept the cookies; sign in again in the browser and export the cookies again";
	if (j->netrc || j->netrc_file || b->extra)
		return "the portal did not accept the sign-in details; check the .netrc or header file";
	return "the portal wants you to sign in; give a cookie file (--cookies), a token (--bearer-file) or a .netrc (--netrc)";
}

static char *status_words(const struct url_batch *b, long s)
{
	const char *advice;
	switch (s) {
	case 401: advice = unauthorized_advice(b); break;
	case 403: advice = "the portal refused access to this document; check that you are signed in as the patient or their proxy"; break;
	case 404: advice = "the portal has no document at this link; copy the link from the portal again"; break;
	case 410: advice = "the link has expired; copy a new link from the portal"; break;
	case 429: advice = "the portal is limiting downloads; wait a while and run again, or use --parallel 1"; break;
	default:
		advice = s >= 500 ? "the portal is having trouble; try again later"
				  : "the portal refused the download; copy the link from the portal again";
	}
	return xasprintf("%ld %s: %s", s, status_reason(s), advice);
}

static int tls_error(CURLcode c)
{
	return c == CURLE_PEER_FAILED_VERIFICATION || c == CURLE_SSL_CONNECT_ERROR ||
	       c == CURLE_SSL_CACERT_BADFILE || c == CURLE_SSL_CERTPROBLEM || c == CURLE_SSL_ISSUER_ERROR ||
	       c == CURLE_SSL_CRL_BADFILE || c == CURLE_SSL_PINNEDPUBKEYNOTMATCH;
}

static int retryable(CURLcode c)
{
	return c == CURLE_OPERATION_TIMEDOUT || c == CURLE_COULDNT_CONNECT || c == CURLE_RECV_ERROR ||
	       c == CURLE_SEND_ERROR || c == CURLE_PARTIAL_FILE || c == CURLE_GOT_NOTHING ||
	       c == CURLE_HTTP2 || c == CURLE_HTTP2_STREAM || c == CURLE_WEIRD_SERVER_REPLY;
}

static char *curl_words(const struct url_batch *b, const struct xfer *x, CURLcode c)
{
	long t = b->fetch->timeout;
	switch (c) {
	case CURLE_PEER_FAILED_VERIFICATION:
		return xstrdup("the portal's certificate could not be verified (not signed by a trusted authority, "
			       "or made out to another name), so nothing was downloaded; if the portal uses a "
			       "private certificate authority, give its certificate with --cacert FILE");
	case CURLE_SSL_CACERT_BADFILE:
		return xstrdup("the certificate file given with --cacert holds no usable certificate");
	case CURLE_OPERATION_TIMEDOUT:
		if (past_deadline(b, x))
			return xasprintf("the download was still not complete after %ld seconds (--deadline): the "
					 "portal is too slow; try again later, or raise --deadline for a very large "
					 "document", b->fetch->deadline);
		if (x->r.status && x->have > 0)
			return xasprintf("the download was too slow: under %ld bytes a second for %ld seconds "
					 "(--min-speed, --timeout); try again later", b->fetch->min_speed, t);
		return x->r.status ? xasprintf("the download stalled: nothing arrived for %ld seconds (--timeout); "
					       "try again later or raise --timeout", t)
				   : xasprintf("the portal did not answer within %ld seconds; check the link and the "
					       "internet connection", t < CONNECT_TIMEOUT ? t : CONNECT_TIMEOUT);
	case CURLE_COULDNT_RESOLVE_HOST:
		return xstrdup("the portal's address was not found; check the link and the internet connection");
	case CURLE_COULDNT_CONNECT:
		return xstrdup("the portal could not be reached (connection refused); check the link and the internet connection");
	case CURLE_RECV_ERROR: case CURLE_SEND_ERROR: case CURLE_PARTIAL_FILE: case CURLE_GOT_NOTHING:
		return xstrdup("the connection was dropped before the whole document arrived; try again later");
	case CURLE_UNSUPPORTED_PROTOCOL:
		return xstrdup("only http:// and https:// links can be downloaded");
	default:
		if (tls_error(c))
			return xasprintf("a secure (TLS) connection to the portal could not be set up (%s); "
					 "nothing was downloaded", curl_easy_strerror(c));
		return xasprintf("the download failed (%s)", curl_easy_strerror(c));
	}
}

static void follow(struct url_batch *b, struct xfer *x)
{
	char *loc = NULL;
	curl_easy_getinfo(x->h, CURLINFO_REDIRECT_URL, &loc);
	if (!loc) {
		fail(b, x, xasprintf("%ld: the portal sent a redirect without a destination", x->r.status));
		return;
	}
	if (!url_scheme_ok(loc)) {
		char *scheme = url_scheme(loc);
		fail(b, x, xasprintf("the portal redirected to a %s:// link; only http:// and https:// are followed",
				     scheme));
		free(scheme);
		return;
	}
	if (++x->redirects > MAX_REDIRECTS) {
		fail(b, x, xasprintf("the portal redirected more than %d times (a sign-in loop?); sign in to the "
				     "portal again and copy the link again", MAX_REDIRECTS));
		return;
	}
	free(x->cur);
	x->cur = xstrdup(loc);
	x->resume_at = 0;
	x->not_before = 0;
	x->state = X_WAIT;
}

static char *download_name(const struct xfer *x, const char *fallback)
{
	char *n = x->r.disp_name ? xstrdup(x->r.disp_name) : fallback ? xstrdup(fallback) : url_path_name(x->url);
	return n ? n : xstrdup("download");
}

static void succeed(struct url_batch *b, struct xfer *x)
{
	if (!x->body_started && !(x->resume_at && x->r.status == 206) && truncate_body(x) < 0) {
		fail(b, x, xasprintf("the download could not be saved in the temporary folder (%s)",
				     strerror(x->write_errno)));
		return;
	}
	x->name = download_name(x, NULL);
	if (b->cache_dir && (x->r.etag || x->r.lastmod)) {
		struct dlcache_entry e = { x->r.etag, x->r.lastmod, x->name };
		dlcache_store(b->cache_dir, x->key, x->path, &e); /* a cache that fails is only slower */
	}
	finish_done(b, x, RP_OK, NULL);
}

static void from_cache(struct url_batch *b, struct xfer *x)
{
	close(x->fd);
	x->fd = -1;
	unlink(x->path);
	if (dlcache_restore(b->cache_dir, x->key, x->path) < 0) {
		fail(b, x, xstrdup("the cached copy could not be read; run again with --no-cache"));
		return;
	}
	x->name = download_name(x, x->cached.name);
	finish_done(b, x, RP_OK, NULL);
}

/* The request is over: done, redirected, retried or failed. */
static void finish_request(struct url_batch *b, struct xfer *x, CURLcode code)
{
	long s = x->r.status;
	if (code == CURLE_OK) {
		if (s >= 300 && s < 400 && s != 304)
			follow(b, x);
		else if (s == 304 && x->have_cached)
			from_cache(b, x);
		else if (s >= 200 && s < 300)
			succeed(b, x);
		else if (s == 416 && x->resume_at) {
			x->resume_at = 0;
			retry(b, x, status_words(b, s));
		} else if (s == 408 || s == 429 || s >= 500)
			retry(b, x, status_words(b, s));
		else
			fail(b, x, status_words(b, s));
		return;
	}
	if (x->too_big || code == CURLE_FILESIZE_EXCEEDED) {
		char size[16];
		human_size(b->fetch->max_size, size, sizeof(size));
		fail(b, x, xasprintf("the document is larger than --max-size (%s); raise --max-size if it really is that big",
				     size));
	} else if (x->write_errno) {
		fail(b, x, xasprintf("the download could not be saved in the temporary folder (%s)",
				     strerror(x->write_errno)));
	} else if (x->bad_range) {
		x->resume_at = 0;
		retry(b, x, xstrdup("the portal sent the wrong part of the document when asked to resume"));
	} else if (retryable(code)) {
		int resumable = x->have > 0 && (x->r.ranges_ok || s == 206) && (s == 200 || s == 206);
		free(x->if_range);
		x->if_range = resumable && (x->r.etag || x->r.lastmod) ? xstrdup(x->r.etag ? x->r.etag : x->r.lastmod) : NULL;
		x->resume_at = resumable ? x->have : 0;
		retry(b, x, curl_words(b, x, code));
	} else {
		fail(b, x, curl_words(b, x, code));
	}
}

/* ---- the batch ---- */

static char *open_xfer(struct url_batch *b, struct xfer *x)
{
	x->fd = open(x->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (x->fd < 0)
		return xasprintf("cannot create a temporary file for the download (%s)", strerror(errno));
	x->h = curl_easy_init();
	if (!x->h)
		return xstrdup("the download library could not start");
	setup_handle(b, x);
	return NULL;
}

static void start_ready(struct url_batch *b, double now)
{
	for (size_t i = 0; i < b->n && b->running < (size_t)b->fetch->parallel; i++) {
		struct xfer *x = &b->v[i];
		if (x->state != X_WAIT || x->not_before > now)
			continue;
		char *why = x->h ? NULL : open_xfer(b, x);
		if (why) {
			fail(b, x, why);
			continue;
		}
		arm(b, x);
		CURLMcode mc = curl_multi_add_handle(b->multi, x->h);
		if (mc != CURLM_OK) {
			fail(b, x, xasprintf("the download could not start (%s)", curl_multi_strerror(mc)));
			continue;
		}
		x->state = X_RUN;
		b->running++;
	}
}

/* Milliseconds until something needs doing: a running transfer, or the next retry. */
static int next_wait(const struct url_batch *b, double now)
{
	double wait = b->running ? 0.2 : 1.0;
	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].state == X_WAIT && b->v[i].not_before - now < wait)
			wait = b->v[i].not_before - now;
	return wait <= 0 ? 0 : (int)(wait * 1000) + 1;
}

static void report_progress(struct url_batch *b, int finished)
{
	if (!b->g->fetch_progress)
		return;
	double now = now_s();
	if (!finished && now - b->last_progress < 0.2)
		return;
	b->last_progress = now;
	struct fetch_item *items = xcalloc(b->running + 1, sizeof(*items));
	size_t n = 0;
	for (size_t i = 0; i < b->n && n < b->running; i++) {
		struct xfer *x = &b->v[i];
		if (x->state != X_RUN)
			continue;
		curl_off_t len = -1;
		curl_easy_getinfo(x->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &len);
		items[n].name = x->label;
		items[n].got = x->have;
		items[n].size = len > 0 ? (uint64_t)len + x->resume_at : 0;
		n++;
	}
	struct fetch_status st = { b->n, b->done, items, n, finished };
	b->g->fetch_progress(b->g->progress_arg, &st);
	free(items);
}

static void run_batch(struct url_batch *b)
{
	while (b->done < b->n) {
		start_ready(b, now_s());
		int still = 0, queued = 0;
		curl_multi_perform(b->multi, &still);
		CURLMsg *m;
		while ((m = curl_multi_info_read(b->multi, &queued))) {
			if (m->msg != CURLMSG_DONE)
				continue;
			struct xfer *x = NULL;
			CURLcode code = m->data.result;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			curl_multi_remove_handle(b->multi, x->h);
			b->running--;
			finish_request(b, x, code);
		}
		report_progress(b, 0);
		if (b->done < b->n)
			curl_multi_poll(b->multi, NULL, 0, next_wait(b, now_s()), NULL);
	}
	report_progress(b, 1);
}

/* Temp path and cache entry for one URL; 0, or RP_EOUTPUT with a message in err.
 * The file and the handle are opened when the transfer starts, so a long list of links
 * never holds more than a few descriptors. */
static int prepare_xfer(struct url_batch *b, struct xfer *x, char *err, size_t errlen)
{
	x->path = workdir_newpath(b->g->wd, "download", err, errlen);
	if (!x->path)
		return RP_EOUTPUT;
	dlcache_key(x->url, x->key);
	x->have_cached = b->cache_dir && dlcache_lookup(b->cache_dir, x->key, &x->cached);
	x->cur = xstrdup(x->url);
	x->state = X_WAIT;
	return RP_OK;
}

static void open_cache(struct url_batch *b)
{
	char err[600];
	if (b->fetch->no_cache)
		return;
	char *dir = dlcache_dir();
	if (dir && dlcache_ensure(dir, err, sizeof(err)) == RP_OK) {
		b->cache_dir = dir;
		return;
	}
	if (dir)
		problems_add(b->g->probs, SEV_WARNING, P_FETCH_FAILED, NULL, "%s", err);
	free(dir);
}

static size_t count_urls(const struct fetch_opts *fo)
{
	size_t n = 0;
	for (size_t i = 0; i < fo->nsrcs; i++)
		n += strcmp(fo->srcs[i].spec, "-") != 0 && url_claims(fo->srcs[i].spec);
	return n;
}

/* Everything failed before any transfer: one problem, every URL marked as reported. */
static int fail_all(struct url_batch *b, const char *source, const char *err, int rc)
{
	problems_add_source_error(b->g->probs, P_FETCH_FAILED, source, "%s", err);
	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].state != X_DONE)
			finish_done(b, &b->v[i], RP_ESOURCE, NULL);
	return rc;
}

int source_url_fetch_all(struct gather *g)
{
	const struct fetch_opts *fo = g->fetch;
	size_t n = count_urls(fo);
	if (n == 0)
		return RP_OK;
	struct url_batch *b = xcalloc(1, sizeof(*b));
	g->urls = b;
	b->fetch = fo;
	b->g = g;
	b->v = xcalloc(n, sizeof(*b->v));
	b->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	for (size_t i = 0; i < fo->nsrcs; i++) {
		const char *spec = fo->srcs[i].spec;
		if (strcmp(spec, "-") == 0 || !url_claims(spec))
			continue;
		struct xfer *x = &b->v[b->n++];
		x->b = b;
		x->src = i;
		x->url = spec;
		x->fd = -1;
		x->shown = url_redact(spec);
		x->label = url_path_name(spec);
		if (!x->label)
			x->label = xstrdup(x->shown);
		x->state = X_WAIT;
		if (!url_scheme_ok(spec)) {
			char *scheme = url_scheme(spec);
			finish_done(b, x, RP_ESOURCE,
				    xasprintf("only http:// and https:// links can be downloaded, not %s://; download "
					      "the file yourself and name the file instead", scheme));
			free(scheme);
		}
	}
	if (b->done == b->n)
		return RP_OK;
	char err[600];
	if (load_auth(b, err, sizeof(err)) < 0)
		return fail_all(b, NULL, err, RP_OK);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(b->multi = curl_multi_init()))
		return fail_all(b, NULL, "the download library (libcurl) could not start", RP_OK);
	b->curl_ready = 1;
	open_cache(b);
	for (size_t i = 0; i < b->n; i++) {
		if (b->v[i].state == X_DONE)
			continue;
		int rc = prepare_xfer(b, &b->v[i], err, sizeof(err));
		if (rc)
			return fail_all(b, NULL, err, rc);
	}
	run_batch(b);
	return RP_OK;
}

static int url_gather(struct gather *g, const struct srcspec *s)
{
	struct url_batch *b = g->urls;
	size_t idx = (size_t)(s - g->fetch->srcs);
	for (size_t i = 0; b && i < b->n; i++) {
		struct xfer *x = &b->v[i];
		if (x->src != idx)
			continue;
		if (x->rc == RP_OK)
			return source_add_file(g, x->path, x->name, x->shown, s->category);
		if (x->message)
			problems_add_source_error(g->probs, P_FETCH_FAILED, x->shown, "%s: %s", x->shown, x->message);
		return x->rc;
	}
	problems_add_source_error(g->probs, P_FETCH_FAILED, s->spec, "a link could not be downloaded");
	return RP_ESOURCE;
}

void source_url_free(struct gather *g)
{
	struct url_batch *b = g->urls;
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		struct xfer *x = &b->v[i];
		if (x->h) {
			if (x->state == X_RUN)
				curl_multi_remove_handle(b->multi, x->h);
			curl_easy_cleanup(x->h);
		}
		if (x->fd >= 0)
			close(x->fd);
		curl_slist_free_all(x->hdrs);
		resp_clear(&x->r);
		dlcache_entry_free(&x->cached);
		free(x->cur);
		free(x->shown);
		free(x->label);
		free(x->path);
		free(x->if_range);
		free(x->name);
		free(x->message);
	}
	if (b->multi)
		curl_multi_cleanup(b->multi);
	curl_slist_free_all(b->extra);
	if (b->bearer) {
		explicit_bzero(b->bearer, strlen(b->bearer));
		free(b->bearer);
	}
	free(b->cache_dir);
	free(b->v);
	if (b->curl_ready)
		curl_global_cleanup();
	free(b);
	g->urls = NULL;
}

const struct source_kind source_url = { .name = "url", .claims = url_claims, .gather = url_gather };
