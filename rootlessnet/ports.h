/* ports.h - the port driver chosen by --port-driver, and the table of published ports */
#ifndef RN_PORTS_H
#define RN_PORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "portmap.h"

struct conf;
struct error;
struct helper_ns;
struct loop;
struct net;
struct ports;

/**
 * struct ports_entry - one published port, as the API lists it
 * @id:		rootlesskit's port ID, from 1, never reused while running
 * @spec:	the request as given
 */
struct ports_entry {
	unsigned int id;
	struct portspec spec;
};

typedef int (*ports_iter_cb)(const struct ports_entry *e, void *data);

/* Start-up (parent, before child_pid is written) */
int ports_start(const struct conf *c, struct loop *l, struct net *n, const struct helper_ns *ns,
		struct ports **out, struct error *e);
int ports_publish_conf(struct ports *p, const struct conf *c, struct error *e);
void ports_free(struct ports *p);

/*
 * For the API (all called from the event loop; none blocks). @p may be NULL (no port
 * driver): then ports_add/remove/foreach return -ENODEV ("no PortDriver is available").
 * ports_add: 0 with *@id set, or -errno with the message for the client in @e:
 *   -EINVAL (invalid for this driver, family refused), -EEXIST (conflict with ID N),
 *   -EADDRINUSE, -EACCES (privileged port, names net.ipv4.ip_unprivileged_port_start), ...
 *   Skipped families are logged as warnings and the rest is bound.
 * ports_remove: 0, or -ENOENT for an unknown id.
 */
int ports_add(struct ports *p, const struct portspec *spec, unsigned int *id, struct error *e);
int ports_remove(struct ports *p, unsigned int id);
int ports_foreach(struct ports *p, ports_iter_cb cb, void *data);
size_t ports_count(const struct ports *p);

/* For /v1/info's portDriver: name, protos (portmap_caps_protos), disallowLoopbackChildIP */
const char *ports_driver_name(const struct ports *p);
const struct portmap_caps *ports_caps(const struct ports *p);

#endif /* RN_PORTS_H */
