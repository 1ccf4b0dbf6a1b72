/* subid.h - subordinate id ranges of a user: libsubid (NSS) or /etc/subuid and /etc/subgid */
#ifndef RN_SUBID_H
#define RN_SUBID_H

#include <shadow/subid.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "conf.h"

int subid_parse_static(FILE *f, const char *path, const char *user, uid_t uid,
		       struct subid_range **out, size_t *n);
bool subid_nss_parse(FILE *f);
int subid_get(enum conf_subid_source src, const char *user, uid_t uid, bool gid,
	      struct subid_range **out, size_t *n);

#endif /* RN_SUBID_H */
