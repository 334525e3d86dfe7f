/* packetread.c: see packetread.h. */
#include "packet/packetread.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/util.h"

int packetread_path_safe(const char *rel)
{
	size_t depth = 0, len = strlen(rel);
	if (len == 0 || len > PACKETREAD_MAX_PATH || rel[0] == '/')
		return 0;
	const char *p = rel;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.') ||
		    ++depth > PACKETREAD_MAX_DEPTH)
			return 0;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\')
				return 0;
		if (!end)
			break;
		if (!end[1])
			return 0; /* a trailing '/' */
		p = end + 1;
	}
	return 1;
}

int packetread_bag_safe(const char *bag)
{
	return !*bag || (packetread_path_safe(bag) && !strchr(bag, '/') && bag[0] != '.');
}

const char *packetread_entry_problem(zip_t *za, zip_uint64_t idx, const char *rel)
{
	zip_uint8_t opsys;
	zip_uint32_t attr;
	if (!packetread_path_safe(rel))
		return "has an unsafe name (an absolute path, \"..\", a backslash or control characters)";
	if (zip_file_get_external_attributes(za, idx, 0, &opsys, &attr) < 0 || opsys != ZIP_OPSYS_UNIX)
		return NULL; /* other systems' attributes carry no file type */
	mode_t type = (mode_t)(attr >> 16) & S_IFMT;
	if (type == S_IFLNK)
		return "is a symbolic link (unzip would make it point anywhere, outside the packet too)";
	if (type && type != S_IFREG)
		return "is not a regular file (a device, pipe or socket entry)";
	return NULL;
}

/* Check what parsing text would cost before jansson builds it: nesting depth, values, and
 * objects and arrays (each ~200 bytes in jansson, from 2 bytes of text). */
static int json_cost_problem(const char *text, size_t len, char *errbuf, size_t errlen)
{
	size_t values = 0, containers = 0, depth = 0;
	int in_str = 0;
	char prev = ',';
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0, prev = '"';
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '{' || c == '[') {
			values++;
			containers++;
			if (++depth > PACKETREAD_JSON_DEPTH) {
				snprintf(errbuf, errlen, "packet.json is nested more than %d deep", PACKETREAD_JSON_DEPTH);
				return -1;
			}
		} else if (c == '}' || c == ']') {
			depth -= depth > 0;
		} else if (c == '"') {
			values++;
			in_str = 1;
		} else if (prev == ',' || prev == ':' || prev == '[') {
			values++; /* a number, true, false or null */
		}
		prev = c;
		if (values > PACKETREAD_JSON_VALUES || containers > PACKETREAD_JSON_CONTAINERS) {
			snprintf(errbuf, errlen, "packet.json holds more than %s",
				 containers > PACKETREAD_JSON_CONTAINERS ? "250000 objects and arrays" : "1000000 values");
			return -1;
		}
	}
	return 0;
}

json_t *packetread_json(const char *text, size_t len, char *errbuf, size_t errlen)
{
	char why[128];
	json_error_t je;
	if (len > PACKETREAD_MAX_JSON) {
		snprintf(errbuf, errlen, "packet.json is bigger than the %u MiB recpack reads: it is damaged or made "
			 "to exhaust memory", PACKETREAD_MAX_JSON >> 20);
		return NULL;
	}
	if (json_cost_problem(text, len, why, sizeof(why)) < 0) {
		snprintf(errbuf, errlen, "%s, more than any packet recpack makes: it is damaged or made to exhaust "
			 "memory", why);
		return NULL;
	}
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(errbuf, errlen, "packet.json is not valid JSON (line %d, column %d: %s)", je.line, je.column,
			 je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		snprintf(errbuf, errlen, "packet.json is not a JSON object");
		json_decref(root);
		return NULL;
	}
	return root;
}

int packetread_names_problem(json_t *root, char *errbuf, size_t errlen)
{
	json_t *d;
	size_t i;
	const char *bag = json_string_value(json_object_get(root, "original_bag"));
	if (bag && (!*bag || !packetread_bag_safe(bag))) {
		snprintf(errbuf, errlen, "packet.json gives an unsafe folder name for the bag");
		return -1;
	}
	json_array_foreach(json_object_get(root, "documents"), i, d) {
		const char *from = json_string_value(json_object_get(d, "path"));
		const char *to = json_string_value(json_object_get(d, "original_path"));
		if (from && to && (!packetread_path_safe(to) || strncmp(to, "data/", 5) != 0)) {
			snprintf(errbuf, errlen, "packet.json gives %s an unsafe name", from);
			return -1;
		}
	}
	return 0;
}

/* The bag folder: the one top-level folder holding bagit.txt, or "" for a bag at the top. */
char *packetread_bag_root(zip_t *za)
{
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
		if (!name)
			continue;
		const char *slash = strchr(name, '/');
		if (slash && strcmp(slash + 1, "bagit.txt") == 0)
			return xstrndup(name, (size_t)(slash - name) + 1);
		if (strcmp(name, "bagit.txt") == 0)
			return xstrdup("");
	}
	return NULL;
}

zip_file_t *packetread_zip_fopen(zip_t *za, zip_uint64_t idx)
{
	return packetread_zip_fopen_flags(za, idx, 0);
}

zip_file_t *packetread_zip_fopen_flags(zip_t *za, zip_uint64_t idx, zip_flags_t flags)
{
	zip_stat_t st;
	if (zip_stat_index(za, idx, 0, &st) == 0 && (st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE && !zip_encryption_method_supported(st.encryption_method, 0)) {
		zip_error_set(zip_get_error(za), ZIP_ER_ENCRNOTSUPP, 0);
		return NULL;
	}
	return zip_fopen_index(za, idx, flags);
}

int packetread_is_encrypted(const char *path)
{
	int zerr = 0, enc = 0;
	struct stat sb;
	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return 0;
	zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
	if (!za)
		return 0;
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n && !enc; i++) {
		zip_stat_t st;
		if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_ENCRYPTION_METHOD))
			enc = st.encryption_method != ZIP_EM_NONE;
	}
	zip_discard(za);
	return enc;
}

const char *packetread_password_problem(int ze)
{
	return ze == ZIP_ER_NOPASSWD ? "is encrypted: give its password (--password-file FILE or RECPACK_PASSWORD)"
				     : "cannot be opened: the password is wrong (passwords are case-sensitive; check it with the sender)";
}

int packetread_tag(const char *path, const char *name, size_t max, char **out, size_t *len,
		    char *errbuf, size_t errlen)
{
	return packetread_tag_pw(path, NULL, name, max, out, len, errbuf, errlen);
}

int packetread_tag_pw(const char *path, const char *password, const char *name, size_t max, char **out,
		       size_t *len, char *errbuf, size_t errlen)
{
	struct stat sb;
	*out = NULL;
	if (stat(path, &sb) < 0) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return RP_ESOURCE;
	}
	if (S_ISDIR(sb.st_mode)) {
		char *p = path_join(path, name);
		int rc = file_read_small(p, max, out, len), big = rc < 0 && errno == EFBIG;
		if (rc < 0 && !big) {
			/* an extracted packet: look one folder down */
			free(p);
			p = NULL;
			DIR *d = opendir(path);
			struct dirent *e;
			while (d && rc < 0 && !big && (e = readdir(d)) != NULL) {
				if (e->d_name[0] == '.')
					continue;
				char *sub = path_join(path, e->d_name);
				free(p);
				p = path_join(sub, name);
				rc = file_read_small(p, max, out, len);
				big = rc < 0 && errno == EFBIG;
				free(sub);
			}
			if (d)
				closedir(d);
		}
		free(p);
		if (rc < 0) {
			free(*out);
			*out = NULL;
			if (big)
				snprintf(errbuf, errlen, "%s: its %s is bigger than the %zu MiB recpack reads: it is damaged "
					 "or made to exhaust memory", path, name, max >> 20);
			else
				snprintf(errbuf, errlen, "%s holds no readable %s: is it a recpack packet?", path, name);
			return RP_ESOURCE;
		}
		return RP_OK;
	}
	int zerr = 0, rc = RP_ESOURCE;
	zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
	if (!za) {
		snprintf(errbuf, errlen, "%s is not a readable ZIP file", path);
		return RP_ESOURCE;
	}
	char *root = packetread_bag_root(za);
	char *full = root ? xasprintf("%s%s", root, name) : NULL;
	zip_int64_t idx = full ? zip_name_locate(za, full, 0) : -1;
	zip_stat_t st;
	if (idx < 0 || zip_stat_index(za, (zip_uint64_t)idx, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)) {
		snprintf(errbuf, errlen, "%s holds no %s: is it a recpack packet?", path, name);
		goto out;
	}
	if (st.size > max) {
		snprintf(errbuf, errlen, "%s: its %s is bigger than the %zu MiB recpack reads (%llu MiB uncompressed): "
			 "it is damaged or made to exhaust memory", path, name, max >> 20,
			 (unsigned long long)(st.size >> 20));
		goto out;
	}
	if (password)
		zip_set_default_password(za, password);
	zip_file_t *zf = packetread_zip_fopen(za, (zip_uint64_t)idx);
	if (!zf) {
		int ze = zip_error_code_zip(zip_get_error(za));
		if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD) {
			snprintf(errbuf, errlen, "%s %s", path, packetread_password_problem(ze));
			rc = RP_EUSAGE;
			goto out;
		}
	}
	char *buf = xmalloc((size_t)st.size + 1);
	zip_int64_t n = zf ? zip_fread(zf, buf, st.size) : -1;
	if (zf)
		zip_fclose(zf);
	if (n != (zip_int64_t)st.size) {
		snprintf(errbuf, errlen, "%s: %s is damaged", path, name);
		free(buf);
		goto out;
	}
	buf[n] = '\0';
	*out = buf;
	*len = (size_t)n;
	rc = RP_OK;
out:
	free(full);
	free(root);
	zip_discard(za);
	return rc;
}
