/* subid.c - subordinate id ranges of a user: libsubid (NSS) or /etc/subuid and /etc/subgid */
/**
 * DOC: Theory of operation
 *
 * --subid-source=dynamic asks shadow's libsubid, which reads /etc/subuid and /etc/subgid or
 * the NSS module configured in /etc/nsswitch.conf (subid: sss, ...). rootlesskit runs
 * getsubids(1) for the same answer; the library saves two processes per run. As rootlesskit
 * does, ranges are looked up both by user name and by numeric uid, and duplicates dropped.
 *
 * --subid-source=static reads the files directly: "owner:start:count" lines, owner being a
 * name or a uid, blank lines and "#" comments skipped, anything else an error naming the line.
 *
 * auto (the default) uses dynamic when it finds ranges and falls back to static otherwise.
 * Without a "subid:" line in /etc/nsswitch.conf that names a module (or with "files"),
 * libsubid reads the same two files the same way, so auto reads them itself: libsubid is
 * loaded (dlopen(), RN_SUBID_SONAME) only when an NSS module may answer, or for dynamic.
 * Linked, it and what it needs (PAM, SELinux, semanage, audit: ten libraries) were mapped
 * into every run and every helper process.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "subid.h"
#include "util.h"

/**
 * subid_add() - Append a range unless the list already holds it
 * @list:	list, reallocated
 * @n:		entries
 * @start:	first id
 * @count:	number of ids
 *
 * Return: 0 or -ENOMEM
 */
static int subid_add(struct subid_range **list, size_t *n, unsigned long start, unsigned long count)
{
	struct subid_range *nl;

	for (size_t i = 0; i < *n; i++)
		if ((*list)[i].start == start && (*list)[i].count == count)
			return 0;
	nl = realloc(*list, (*n + 1) * sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl[*n].start = start;
	nl[*n].count = count;
	*list = nl;
	(*n)++;
	return 0;
}

/**
 * subid_parse_num() - Parse a decimal id or count
 * @s:		text
 * @out:	value, at most UINT32_MAX
 *
 * Return: 0, or -EINVAL
 */
static int subid_parse_num(const char *s, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out > UINT32_MAX)
		return -EINVAL;
	return 0;
}

/**
 * subid_parse_static() - Read the ranges of one user from a subuid/subgid file
 * @f:		open file
 * @path:	its name, for messages
 * @user:	user name, may be NULL
 * @uid:	numeric uid (an owner field may be the uid)
 * @out:	malloc'd ranges, in file order (NULL when none)
 * @n:		number of ranges
 *
 * Return: 0, -EINVAL for a malformed line (logged with its number), or -ENOMEM
 */
int subid_parse_static(FILE *f, const char *path, const char *user, uid_t uid,
		       struct subid_range **out, size_t *n)
{
	cleanup_free char *line = NULL;
	cleanup_free struct subid_range *list = NULL;
	char uidbuf[16];
	size_t cap = 0, cnt = 0;
	unsigned int lineno = 0;

	snprintf(uidbuf, sizeof(uidbuf), "%u", (unsigned int)uid);
	while (getline(&line, &cap, f) >= 0) {
		char *s = line, *e, *f1, *f2;
		unsigned long start, count;

		lineno++;
		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strlen(s);
		while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (!*s || *s == '#')
			continue;
		f1 = strchr(s, ':');
		f2 = f1 ? strchr(f1 + 1, ':') : NULL;
		if (!f2 || strchr(f2 + 1, ':')) {
			err("%s:%u: not of the form NAME:START:COUNT", path, lineno);
			return -EINVAL;
		}
		*f1 = *f2 = '\0';
		if (strcmp(s, uidbuf) != 0 && (!user || strcmp(s, user) != 0))
			continue;
		if (subid_parse_num(f1 + 1, &start) || subid_parse_num(f2 + 1, &count)) {
			err("%s:%u: START and COUNT must be decimal numbers", path, lineno);
			return -EINVAL;
		}
		if (!count)
			continue;
		if (subid_add(&list, &cnt, start, count))
			return -ENOMEM;
	}
	*out = steal_ptr(&list);
	*n = cnt;
	return 0;
}

/**
 * subid_get_static() - Ranges from /etc/subuid or /etc/subgid
 * @user:	user name
 * @uid:	uid
 * @gid:	read /etc/subgid instead of /etc/subuid
 * @out:	malloc'd ranges
 * @n:		number of ranges
 *
 * Return: 0, or -errno (a missing file means no ranges)
 */
static int subid_get_static(const char *user, uid_t uid, bool gid, struct subid_range **out,
			    size_t *n)
{
	const char *path = gid ? "/etc/subgid" : "/etc/subuid";
	cleanup_fclose FILE *f = fopen(path, "re");

	*out = NULL;
	*n = 0;
	if (!f) {
		debug_errno(errno, "subid: cannot read %s", path);
		return errno == ENOENT ? 0 : -errno;
	}
	return subid_parse_static(f, path, user, uid, out, n);
}

/**
 * subid_nss_parse() - Tell whether an nsswitch.conf names an NSS module for subordinate ids
 * @f:		open nsswitch.conf
 *
 * libsubid consults a module only when a "subid:" line names one other than "files"
 * (shadow's nss.c); otherwise it reads /etc/subuid and /etc/subgid.
 *
 * Return: true if a "subid:" line names a service other than "files"
 */
bool subid_nss_parse(FILE *f)
{
	cleanup_free char *line = NULL;
	size_t cap = 0;
	bool module = false;

	while (getline(&line, &cap, f) >= 0) {
		char *s = line, *save = NULL, *tok;

		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, "subid:", 6) != 0)
			continue;
		module = false;
		for (tok = strtok_r(s + 6, " \t\r\n", &save); tok;
		     tok = strtok_r(NULL, " \t\r\n", &save)) {
			if (tok[0] == '#')
				break;
			if (strcmp(tok, "files") != 0)
				module = true;
		}
	}
	return module;
}

/**
 * subid_nss_module() - Tell whether /etc/nsswitch.conf names an NSS module for subids
 *
 * Return: true if one is named (libsubid must be asked), false otherwise
 */
static bool subid_nss_module(void)
{
	cleanup_fclose FILE *f = fopen("/etc/nsswitch.conf", "re");

	return f ? subid_nss_parse(f) : false;
}

/**
 * struct subid_lib - libsubid's entry points, loaded on first use
 * @init:	subid_init()
 * @uid:	subid_get_uid_ranges()
 * @gid:	subid_get_gid_ranges()
 */
struct subid_lib {
	__typeof__(subid_init) *init;
	__typeof__(subid_get_uid_ranges) *uid;
	__typeof__(subid_get_gid_ranges) *gid;
};

/**
 * subid_lib_load() - Load libsubid (once)
 *
 * Return: its entry points, or NULL (said once, at debug level: the caller reports)
 */
static const struct subid_lib *subid_lib_load(void)
{
	static struct subid_lib lib;
	static bool tried;
	void *h;

	if (tried)
		return lib.init ? &lib : NULL;
	tried = true;
	h = dlopen(RN_SUBID_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		debug("subid: cannot load %s: %s", RN_SUBID_SONAME, dlerror());
		return NULL;
	}
	lib.init = (__typeof__(lib.init))dlsym(h, "subid_init");
	lib.uid = (__typeof__(lib.uid))dlsym(h, "subid_get_uid_ranges");
	lib.gid = (__typeof__(lib.gid))dlsym(h, "subid_get_gid_ranges");
	if (!lib.init || !lib.uid || !lib.gid) {
		debug("subid: %s lacks the subid_* functions", RN_SUBID_SONAME);
		lib.init = NULL;
		return NULL;
	}
	return &lib;
}

/**
 * subid_get_dynamic() - Ranges from libsubid, by name and by uid
 * @user:	user name
 * @uid:	uid
 * @gid:	subordinate gids instead of uids
 * @out:	malloc'd ranges
 * @n:		number of ranges
 *
 * Return: 0, -ENOENT if libsubid answered neither query, -ELIBACC if it cannot be loaded,
 * or -ENOMEM
 */
static int subid_get_dynamic(const char *user, uid_t uid, bool gid, struct subid_range **out,
			     size_t *n)
{
	cleanup_free struct subid_range *list = NULL;
	const struct subid_lib *lib = subid_lib_load();
	static bool initialised;
	const char *owners[2];
	char uidbuf[16];
	size_t cnt = 0;
	bool answered = false;

	*out = NULL;
	*n = 0;
	if (!lib)
		return -ELIBACC;
	snprintf(uidbuf, sizeof(uidbuf), "%u", (unsigned int)uid);
	owners[0] = user;
	owners[1] = uidbuf;
	/* messages of libsubid go nowhere: the query by uid fails as a rule (once: it keeps a
	 * copy of the name) */
	if (!initialised)
		initialised = lib->init("rootlessnet", NULL);
	for (size_t i = 0; i < ARRAY_SIZE(owners); i++) {
		struct subid_range *r = NULL;
		int k;

		if (!owners[i])
			continue;
		k = gid ? lib->gid(owners[i], &r) : lib->uid(owners[i], &r);
		debug("subid: libsubid %s ranges of %s: %d", gid ? "gid" : "uid", owners[i], k);
		if (k < 0)
			continue;
		answered = true;
		for (int j = 0; j < k; j++) {
			if (r[j].count && subid_add(&list, &cnt, r[j].start, r[j].count)) {
				free(r);
				return -ENOMEM;
			}
		}
		free(r);
	}
	*out = steal_ptr(&list);
	*n = cnt;
	return answered ? 0 : -ENOENT;
}

/**
 * subid_get() - Subordinate ranges of a user from the chosen source
 * @src:	--subid-source
 * @user:	user name, may be NULL (then only the uid is matched)
 * @uid:	uid
 * @gid:	subordinate gids instead of uids
 * @out:	malloc'd ranges, NULL when none
 * @n:		number of ranges, 0 when the user has none
 *
 * Return: 0 (possibly with no ranges), or -errno
 */
int subid_get(enum conf_subid_source src, const char *user, uid_t uid, bool gid,
	      struct subid_range **out, size_t *n)
{
	int ret;

	*out = NULL;
	*n = 0;
	switch (src) {
	case CONF_SUBID_STATIC:
		return subid_get_static(user, uid, gid, out, n);
	case CONF_SUBID_DYNAMIC:
		ret = subid_get_dynamic(user, uid, gid, out, n);
		if (ret == -ELIBACC)
			err("--subid-source=dynamic needs libsubid (%s), which cannot be loaded: "
			    "install it (Debian/Ubuntu: apt-get install libsubid4), or use "
			    "--subid-source=static",
			    RN_SUBID_SONAME);
		if (ret == -ENOENT) {
			err("libsubid found no subordinate %s ranges for %s: check the subid "
			    "line of /etc/nsswitch.conf, or use --subid-source=static",
			    gid ? "gid" : "uid", user ? user : "the user");
		}
		return ret;
	case CONF_SUBID_AUTO:
	default:
		if (!subid_nss_module()) {
			debug("subid: no NSS module for subids in /etc/nsswitch.conf: reading the "
			      "static file, as libsubid would");
			return subid_get_static(user, uid, gid, out, n);
		}
		ret = subid_get_dynamic(user, uid, gid, out, n);
		if (!ret && *n)
			return 0;
		free(*out);
		*out = NULL;
		*n = 0;
		debug("subid: no dynamic %s ranges, reading the static file", gid ? "gid" : "uid");
		return subid_get_static(user, uid, gid, out, n);
	}
}
