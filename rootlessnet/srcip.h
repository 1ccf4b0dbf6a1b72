/* srcip.h - the client's own address through the builtin port driver (--source-ip-transparent) */
#ifndef RN_SRCIP_H
#define RN_SRCIP_H

#include <stdbool.h>
#include <sys/socket.h>

#include "addr.h"

struct nshelper;
struct srcip;

int srcip_new(struct nshelper *h, struct srcip **out);
void srcip_free(struct srcip *s);
int srcip_bind(struct srcip *s, int fd, int socktype, const struct sockaddr *peer,
	       const union addr_sa *target, struct addr_ip *client);
void srcip_release(struct srcip *s, const struct addr_ip *client);
bool srcip_client_eligible(const struct addr_ip *client, const union addr_sa *target);

#endif /* RN_SRCIP_H */
