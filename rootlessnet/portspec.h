/* portspec.h - a port request as users and clients write it: -p syntax and the API's fields */
#ifndef RN_PORTSPEC_H
#define RN_PORTSPEC_H

#include "addr.h"

struct error;

/* room for a formatted request */
#define PORTSPEC_FMTLEN 160

/**
 * enum portspec_proto - the proto field of a request
 * @PORTSPEC_TCP:	TCP, every family the driver serves (family-agnostic)
 * @PORTSPEC_TCP4:	TCP over IPv4 only
 * @PORTSPEC_TCP6:	TCP over IPv6 only
 * @PORTSPEC_UDP:	UDP, every family the driver serves (family-agnostic)
 * @PORTSPEC_UDP4:	UDP over IPv4 only
 * @PORTSPEC_UDP6:	UDP over IPv6 only
 * @PORTSPEC_PROTO_N:	number of protos
 */
enum portspec_proto {
	PORTSPEC_TCP = 0,
	PORTSPEC_TCP4,
	PORTSPEC_TCP6,
	PORTSPEC_UDP,
	PORTSPEC_UDP4,
	PORTSPEC_UDP6,
	PORTSPEC_PROTO_N,
};

/**
 * struct portspec - one port request, as given, plus its parsed addresses
 * @proto:		proto
 * @parent_ip:		parentIP text as given, "" when none
 * @parent_port:	parentPort, 1..65535
 * @child_ip:		childIP text as given, "" when none
 * @child_port:		childPort, 1..65535
 * @parent_addr:	@parent_ip parsed (family AF_UNSPEC when "")
 * @child_addr:		@child_ip parsed (family AF_UNSPEC when "")
 *
 * Kept as given so that the API can echo it and compare it the way rootlesskit does.
 */
struct portspec {
	enum portspec_proto proto;
	char parent_ip[ADDR_STRLEN];
	int parent_port;
	char child_ip[ADDR_STRLEN];
	int child_port;
	struct addr_ip parent_addr;
	struct addr_ip child_addr;
};

const char *portspec_proto_str(enum portspec_proto p);
int portspec_proto_parse(const char *s, enum portspec_proto *p);
int portspec_proto_socktype(enum portspec_proto p);
int portspec_proto_family(enum portspec_proto p);

int portspec_from_fields(const char *proto, const char *parent_ip, long long parent_port,
			 const char *child_ip, long long child_port, struct portspec *out,
			 struct error *e);
int portspec_parse_publish(const char *s, struct portspec *out, struct error *e);
const char *portspec_format(const struct portspec *s, char *buf, size_t len);

#endif /* RN_PORTSPEC_H */
