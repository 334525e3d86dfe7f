/* source_url.c: http:// and https:// sources through libcurl. The only module that
 * touches the network. (Fetching arrives with the portal work; until then a URL is
 * reported as a source that cannot be fetched.) */
#include <string.h>
#include <strings.h>

#include "rp.h"
#include "source.h"

static int url_claims(const char *spec)
{
	return strstr(spec, "://") != NULL && strncmp(spec, "/", 1) != 0;
}

static int url_gather(struct gather *g, const struct srcspec *s)
{
	problems_add_source_error(g->probs, P_FETCH_FAILED, s->spec,
				  "%s: downloading from portals is not supported yet; download the file in your browser and name the file instead",
				  s->spec);
	return RP_ESOURCE;
}

const struct source_kind source_url = { "url", url_claims, url_gather };
