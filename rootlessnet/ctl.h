/* ctl.h - client of the RootlessKit REST API over its unix socket (libcurl) */
#ifndef RN_CTL_H
#define RN_CTL_H

#include <jansson.h>
#include <stddef.h>

#include "apijson.h"

struct ctl;

int ctl_open(const char *socket_path, struct ctl **out, char *err, size_t errlen);
void ctl_close(struct ctl *c);

/*
 * Requests, as rootlesskit's pkg/api/client: 0, or -errno with rootlessctl's message in
 * @err (the server's {"message"} for an error answer). Decoded answers are views into
 * *@root, which the caller releases with json_decref().
 */
int ctl_info(struct ctl *c, json_t **root, struct apijson_info *out, char *err, size_t errlen);
int ctl_list_ports(struct ctl *c, json_t **root, struct apijson_status **out, size_t *n, char *err,
		   size_t errlen);
int ctl_add_port(struct ctl *c, const struct apijson_spec *spec, json_t **root,
		 struct apijson_status *out, char *err, size_t errlen);
int ctl_remove_port(struct ctl *c, long long id, char *err, size_t errlen);

#endif /* RN_CTL_H */
