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
 */
#include "config.h"

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
 * subid_get_dynamic() - Ranges from libsubid, by name and by uid
 * @user:	user name
 * @uid:	uid
 * @gid:	subordinate gids instead of uids
 * @out:	malloc'd ranges
 * @n:		number of ranges
 *
 * Return: 0, -ENOENT if libsubid answered neither query, or -ENOMEM
 */
static int subid_get_dynamic(const char *user, uid_t uid, bool gid, struct subid_range **out,
			     size_t *n)
{
	cleanup_free struct subid_range *list = NULL;
	static bool initialised;
	const char *owners[2];
	char uidbuf[16];
	size_t cnt = 0;
	bool answered = false;

	snprintf(uidbuf, sizeof(uidbuf), "%u", (unsigned int)uid);
	owners[0] = user;
	owners[1] = uidbuf;
	/* messages of libsubid go nowhere: the query by uid fails as a rule (once: it keeps a
	 * copy of the name) */
	if (!initialised)
		initialised = subid_init("rootlessnet", NULL);
	for (size_t i = 0; i < ARRAY_SIZE(owners); i++) {
		struct subid_range *r = NULL;
		int k;

		if (!owners[i])
			continue;
		k = gid ? subid_get_gid_ranges(owners[i], &r) : subid_get_uid_ranges(owners[i], &r);
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
		if (ret == -ENOENT) {
			err("libsubid found no subordinate %s ranges for %s: check the subid "
			    "line of /etc/nsswitch.conf, or use --subid-source=static",
			    gid ? "gid" : "uid", user ? user : "the user");
		}
		return ret;
	case CONF_SUBID_AUTO:
	default:
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
