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
	zip_stat_t st;
	if (zip_stat_index(za, idx, 0, &st) == 0 && (st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE && !zip_encryption_method_supported(st.encryption_method, 0)) {
		zip_error_set(zip_get_error(za), ZIP_ER_ENCRNOTSUPP, 0);
		return NULL;
	}
	return zip_fopen_index(za, idx, 0);
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
		int rc = file_read_small(p, max, out, len);
		if (rc < 0) {
			/* an extracted packet: look one folder down */
			free(p);
			p = NULL;
			DIR *d = opendir(path);
			struct dirent *e;
			while (d && rc < 0 && (e = readdir(d)) != NULL) {
				if (e->d_name[0] == '.')
					continue;
				char *sub = path_join(path, e->d_name);
				free(p);
				p = path_join(sub, name);
				free(*out);
				*out = NULL;
				rc = file_read_small(p, max, out, len);
				free(sub);
			}
			if (d)
				closedir(d);
		}
		free(p);
		if (rc < 0) {
			free(*out);
			*out = NULL;
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
	if (idx < 0 || zip_stat_index(za, (zip_uint64_t)idx, 0, &st) < 0 || st.size > max) {
		snprintf(errbuf, errlen, "%s holds no %s: is it a recpack packet?", path, name);
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
