/* ctl.h - client of the RootlessKit REST API over its unix socket (libcurl) */
#ifndef RN_CTL_H
#define RN_CTL_H

#include <jansson.h>
#include <stddef.h>

#include "apijson.h"

struct ctl;
struct error;

int ctl_open(const char *socket_path, struct ctl **out, struct error *e);
void ctl_close(struct ctl *c);

/*
 * Requests, as rootlesskit's pkg/api/client: 0, or -errno with rootlessctl's message in
 * @e (the server's {"message"} for an error answer). Decoded answers are views into
 * *@root, which the caller releases with json_decref().
 */
int ctl_info(struct ctl *c, json_t **root, struct apijson_info *out, struct error *e);
int ctl_list_ports(struct ctl *c, json_t **root, struct apijson_status **out, size_t *n,
		   struct error *e);
int ctl_add_port(struct ctl *c, const struct apijson_spec *spec, json_t **root,
		 struct apijson_status *out, struct error *e);
int ctl_remove_port(struct ctl *c, long long id, struct error *e);

#endif /* RN_CTL_H */
