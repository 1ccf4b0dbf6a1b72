/* portmap.c - port specs (-p and API), driver capabilities, and family-aware resolution */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "portmap.h"
#include "topo.h"
#include "util.h"

static const char *const portmap_proto_names[PORTMAP_PROTO_N] = {
	[PORTMAP_TCP] = "tcp", [PORTMAP_TCP4] = "tcp4", [PORTMAP_TCP6] = "tcp6",
	[PORTMAP_UDP] = "udp", [PORTMAP_UDP4] = "udp4", [PORTMAP_UDP6] = "udp6",
};

#define PORTMAP_PROTO_LIST "tcp, tcp4, tcp6, udp, udp4, udp6"

/**
 * portmap_msg() - Write a message into a caller's buffer
 * @buf:	buffer, may be NULL
 * @len:	size of @buf
 * @fmt:	printf format
 *
 * A message that does not fit loses its middle (a long -p quoted in it), not its end.
 *
 * Return: nothing
 */
static void __attribute__((format(printf, 3, 4)))
portmap_msg(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!buf || !len)
		return;
	va_start(ap, fmt);
	error_vformat(buf, len, fmt, ap);
	va_end(ap);
}

/**
 * portmap_proto_str() - Name of a proto
 * @p:		proto
 *
 * Return: "tcp", "tcp4", ..., or "?" for a value out of range
 */
const char *portmap_proto_str(enum portmap_proto p)
{
	if ((unsigned int)p >= PORTMAP_PROTO_N)
		return "?";
	return portmap_proto_names[p];
}

/**
 * portmap_proto_parse() - Parse a proto name
 * @s:		"tcp", "tcp4", "tcp6", "udp", "udp4" or "udp6" (exact, lower case)
 * @p:		set on success
 *
 * Return: 0, or -EINVAL for any other text (including NULL)
 */
int portmap_proto_parse(const char *s, enum portmap_proto *p)
{
	size_t i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < PORTMAP_PROTO_N; i++) {
		if (!strcmp(s, portmap_proto_names[i])) {
			*p = (enum portmap_proto)i;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * portmap_proto_socktype() - Socket type of a proto
 * @p:		proto
 *
 * Return: SOCK_STREAM for tcp*, SOCK_DGRAM for udp*
 */
int portmap_proto_socktype(enum portmap_proto p)
{
	return p >= PORTMAP_UDP ? SOCK_DGRAM : SOCK_STREAM;
}

/**
 * portmap_proto_family() - Family a proto asks for
 * @p:		proto
 *
 * Return: AF_INET for tcp4/udp4, AF_INET6 for tcp6/udp6, AF_UNSPEC for tcp/udp
 */
int portmap_proto_family(enum portmap_proto p)
{
	switch (p) {
	case PORTMAP_TCP4:
	case PORTMAP_UDP4:
		return AF_INET;
	case PORTMAP_TCP6:
	case PORTMAP_UDP6:
		return AF_INET6;
	default:
		return AF_UNSPEC;
	}
}

/**
 * portmap_family_str() - Human name of a family
 * @family:	AF_INET or AF_INET6
 *
 * Return: "IPv4" or "IPv6"
 */
static const char *portmap_family_str(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/**
 * portmap_ip_set6() - Store an IPv6 address, as AF_INET when it is IPv4-mapped
 * @ip:		set
 * @a:		the address (may point into @ip)
 *
 * Return: nothing
 */
static void portmap_ip_set6(struct portmap_ip *ip, const struct in6_addr *a)
{
	if (IN6_IS_ADDR_V4MAPPED(a)) {
		struct in_addr v4;

		memcpy(&v4, &a->s6_addr[12], sizeof(v4));
		ip->v4 = v4;
		ip->family = AF_INET;
	} else {
		ip->v6 = *a;
		ip->family = AF_INET6;
	}
}

/**
 * portmap_ip_parse() - Parse an IP address as Go's net.ParseIP accepts it
 * @s:		text; NULL or "" for none
 * @ip:		set; IPv4-mapped IPv6 addresses become AF_INET
 *
 * Return: 0, or -EINVAL if @s is not an IPv4 or IPv6 address
 */
static int portmap_ip_parse(const char *s, struct portmap_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = AF_UNSPEC;
	if (!s || !*s)
		return 0;
	if (strlen(s) >= PORTMAP_IPSTRLEN)
		return -EINVAL;
	if (inet_pton(AF_INET, s, &ip->v4) == 1) {
		ip->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &ip->v6) == 1) {
		portmap_ip_set6(ip, &ip->v6);
		return 0;
	}
	return -EINVAL;
}

/**
 * portmap_ip_from_sockaddr() - The address of a socket address
 * @sa:		AF_INET or AF_INET6 socket address
 * @ip:		set; IPv4-mapped IPv6 addresses become AF_INET
 *
 * Return: 0, or -EAFNOSUPPORT for another family
 */
int portmap_ip_from_sockaddr(const struct sockaddr *sa, struct portmap_ip *ip)
{
	const union portmap_sockaddr *u = (const union portmap_sockaddr *)(const void *)sa;

	memset(ip, 0, sizeof(*ip));
	ip->family = AF_UNSPEC;
	if (sa->sa_family == AF_INET) {
		ip->family = AF_INET;
		ip->v4 = u->in.sin_addr;
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		portmap_ip_set6(ip, &u->in6.sin6_addr);
		return 0;
	}
	return -EAFNOSUPPORT;
}

/**
 * portmap_ip_equal() - Whether two addresses are the same
 * @a:		address
 * @b:		address
 *
 * Return: true when both have the same family and address
 */
bool portmap_ip_equal(const struct portmap_ip *a, const struct portmap_ip *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	return a->family != AF_INET6 || IN6_ARE_ADDR_EQUAL(&a->v6, &b->v6);
}

/**
 * portmap_ip_wildcard() - Whether an address is 0.0.0.0 or ::
 * @ip:		address (AF_UNSPEC counts as not given, not as a wildcard)
 *
 * Return: true for a wildcard
 */
static bool portmap_ip_wildcard(const struct portmap_ip *ip)
{
	if (ip->family == AF_INET)
		return ip->v4.s_addr == htonl(INADDR_ANY);
	if (ip->family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(&ip->v6);
	return false;
}

/**
 * portmap_ip_loopback() - Whether an address is a loopback address (127/8, ::1)
 * @ip:		address
 *
 * Return: true for loopback
 */
bool portmap_ip_loopback(const struct portmap_ip *ip)
{
	if (ip->family == AF_INET)
		return (ntohl(ip->v4.s_addr) >> 24) == 127;
	if (ip->family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&ip->v6);
	return false;
}

/**
 * portmap_check_port() - Check a port number
 * @name:	field name for the message ("parentPort", "childPort")
 * @v:		value as given
 * @err:	message buffer
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL if @v is outside 1..65535
 */
static int portmap_check_port(const char *name, long long v, char *err, size_t errlen)
{
	if (v >= 1 && v <= 65535)
		return 0;
	portmap_msg(err, errlen, "%s %lld is outside 1..65535", name, v);
	return -EINVAL;
}

/**
 * portmap_spec_from_fields() - Build and validate a request from the API's JSON fields
 * @proto:	proto text; NULL or "" when absent (refused, as rootlesskit does)
 * @parent_ip:	parentIP text, NULL or "" for none
 * @parent_port: parentPort as given (0 when absent, refused)
 * @child_ip:	childIP text, NULL or "" for none
 * @child_port:	childPort as given (0 when absent, refused)
 * @out:	the request, written only on success
 * @err:	what is wrong, on failure
 * @errlen:	size of @err
 *
 * Checks in rootlesskit's order: proto, parentIP, childIP, parentPort, childPort, then that a
 * family-specific proto agrees with the family of the parent IP.
 *
 * Return: 0, or -EINVAL with the reason in @err
 */
int portmap_spec_from_fields(const char *proto, const char *parent_ip, long long parent_port,
			     const char *child_ip, long long child_port, struct portmap_spec *out,
			     char *err, size_t errlen)
{
	struct portmap_spec s;
	int fam;

	memset(&s, 0, sizeof(s));
	if (!proto || !*proto) {
		portmap_msg(err, errlen, "proto is missing: want one of " PORTMAP_PROTO_LIST);
		return -EINVAL;
	}
	if (portmap_proto_parse(proto, &s.proto)) {
		portmap_msg(err, errlen, "unknown proto \"%s\": want one of " PORTMAP_PROTO_LIST,
			    proto);
		return -EINVAL;
	}
	if (portmap_ip_parse(parent_ip, &s.parent_addr)) {
		portmap_msg(err, errlen, "parentIP \"%s\" is not an IP address", parent_ip);
		return -EINVAL;
	}
	if (portmap_ip_parse(child_ip, &s.child_addr)) {
		portmap_msg(err, errlen, "childIP \"%s\" is not an IP address", child_ip);
		return -EINVAL;
	}
	if (portmap_check_port("parentPort", parent_port, err, errlen) ||
	    portmap_check_port("childPort", child_port, err, errlen))
		return -EINVAL;
	fam = portmap_proto_family(s.proto);
	if (fam != AF_UNSPEC && s.parent_addr.family != AF_UNSPEC && s.parent_addr.family != fam) {
		portmap_msg(err, errlen, "proto \"%s\" needs an %s parentIP, got \"%s\"", proto,
			    portmap_family_str(fam), parent_ip);
		return -EINVAL;
	}
	if (parent_ip)
		snprintf(s.parent_ip, sizeof(s.parent_ip), "%s", parent_ip); /* length checked */
	if (child_ip)
		snprintf(s.child_ip, sizeof(s.child_ip), "%s", child_ip);
	s.parent_port = (int)parent_port;
	s.child_port = (int)child_port;
	*out = s;
	return 0;
}

/* One colon-separated field of a -p string */
struct portmap_field {
	const char *p;
	size_t len;
	bool bracketed;
};

/**
 * portmap_publish_port() - Parse a port field of a -p string
 * @f:		field
 * @name:	field name for the message
 * @v:		set on success; out-of-range values are left to portmap_check_port()
 * @err:	message buffer
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL if the field is not a decimal number
 */
static int portmap_publish_port(const struct portmap_field *f, const char *name, long long *v,
				char *err, size_t errlen)
{
	size_t i;

	if (f->bracketed || !f->len) {
		portmap_msg(err, errlen, "%s \"%s%.*s%s\" is not a number", name,
			    f->bracketed ? "[" : "", (int)f->len, f->p, f->bracketed ? "]" : "");
		return -EINVAL;
	}
	for (i = 0; i < f->len; i++) {
		if (f->p[i] < '0' || f->p[i] > '9') {
			portmap_msg(err, errlen, "%s \"%.*s\" is not a number%s", name, (int)f->len,
				    f->p,
				    memchr(f->p, '-', f->len) ? " (port ranges are not supported)"
							      : "");
			return -EINVAL;
		}
	}
	if (f->len > 9) {
		portmap_msg(err, errlen, "%s %.*s is outside 1..65535", name, (int)f->len, f->p);
		return -EINVAL;
	}
	*v = 0;
	for (i = 0; i < f->len; i++)
		*v = *v * 10 + (f->p[i] - '0');
	return 0;
}

/**
 * portmap_publish_ip() - Copy an IP field of a -p string
 * @f:		field, brackets already removed
 * @name:	field name for the message
 * @buf:	NUL-terminated copy
 * @err:	message buffer
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL if the field is too long to be an address
 */
static int portmap_publish_ip(const struct portmap_field *f, const char *name,
			      char buf[PORTMAP_IPSTRLEN], char *err, size_t errlen)
{
	if (f->len >= PORTMAP_IPSTRLEN) {
		portmap_msg(err, errlen, "%s \"%.*s\" is not an IP address", name, (int)f->len,
			    f->p);
		return -EINVAL;
	}
	memcpy(buf, f->p, f->len);
	buf[f->len] = '\0';
	return 0;
}

/**
 * portmap_publish_split() - Split the part before /PROTO at colons outside brackets
 * @s:		text
 * @len:	length of @s to use
 * @f:		fields, up to 4
 * @n:		number of fields found
 *
 * Return: 0, or -EINVAL for more than 4 fields or misplaced brackets
 */
static int portmap_publish_split(const char *s, size_t len, struct portmap_field f[4], size_t *n)
{
	size_t i = 0;

	*n = 0;
	for (;;) {
		struct portmap_field cur = {.p = s + i, .len = 0, .bracketed = false};

		if (*n == 4)
			return -EINVAL;
		if (i < len && s[i] == '[') {
			const char *close = memchr(s + i, ']', len - i);

			if (!close)
				return -EINVAL;
			cur.p = s + i + 1;
			cur.len = (size_t)(close - cur.p);
			cur.bracketed = true;
			i = (size_t)(close - s) + 1;
			if (i < len && s[i] != ':')
				return -EINVAL;
		} else {
			while (i < len && s[i] != ':') {
				if (s[i] == '[' || s[i] == ']')
					return -EINVAL;
				i++;
			}
			cur.len = (size_t)(s + i - cur.p);
		}
		f[(*n)++] = cur;
		if (i >= len)
			return 0;
		i++; /* the colon */
	}
}

/**
 * portmap_parse_publish() - Parse a -p/--publish string
 * @s:		[PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT[/PROTO]; IPv6 addresses in brackets
 * @out:	the request, written only on success
 * @err:	what is wrong, on failure, prefixed with the quoted string
 * @errlen:	size of @err
 *
 * rootlesskit's form is PARENTIP:PARENTPORT[:CHILDIP]:CHILDPORT/PROTO (an empty PARENTIP is
 * allowed, ":8080:80/tcp"). As a compatible extension, PARENTIP: may be left out and /PROTO
 * defaults to tcp, as Docker's -p does: "8080:80" is tcp on no parent IP. With three fields
 * the first is the parent IP; a child IP needs all four.
 *
 * Return: 0, or -EINVAL with the reason in @err
 */
int portmap_parse_publish(const char *s, struct portmap_spec *out, char *err, size_t errlen)
{
	char pip[PORTMAP_IPSTRLEN] = "", cip[PORTMAP_IPSTRLEN] = "";
	struct portmap_field f[4], *fpp, *fcp, *fpi = NULL, *fci = NULL;
	const char *slash, *proto = "tcp";
	char msg[PORTMAP_MSGLEN];
	long long pport, cport;
	size_t n, len;

	if (!s)
		s = "";
	slash = strchr(s, '/');
	len = slash ? (size_t)(slash - s) : strlen(s);
	if (slash)
		proto = slash + 1;
	if (portmap_publish_split(s, len, f, &n) || n < 2) {
		portmap_msg(err, errlen,
			    "\"%s\": want [PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT[/PROTO], "
			    "with IPv6 addresses in brackets",
			    s);
		return -EINVAL;
	}
	/* 2: PP:CP, 3: PIP:PP:CP, 4: PIP:PP:CIP:CP */
	fpp = &f[n == 2 ? 0 : 1];
	fcp = &f[n - 1];
	if (n >= 3)
		fpi = &f[0];
	if (n == 4)
		fci = &f[2];
	if (portmap_publish_port(fpp, "parentPort", &pport, msg, sizeof(msg)) ||
	    portmap_publish_port(fcp, "childPort", &cport, msg, sizeof(msg)) ||
	    (fpi && portmap_publish_ip(fpi, "parentIP", pip, msg, sizeof(msg))) ||
	    (fci && portmap_publish_ip(fci, "childIP", cip, msg, sizeof(msg))) ||
	    portmap_spec_from_fields(proto, pip, pport, cip, cport, out, msg, sizeof(msg))) {
		portmap_msg(err, errlen, "\"%s\": %s", s, msg);
		return -EINVAL;
	}
	return 0;
}

/**
 * portmap_caps_builtin() - Capabilities of the builtin driver
 * @c:		filled in
 *
 * Host sockets in the parent, joined to sockets the driver connects inside the namespace:
 * every proto and family, one dual-stack socket for agnostic wildcard requests, any target.
 *
 * Return: nothing
 */
void portmap_caps_builtin(struct portmap_caps *c)
{
	memset(c, 0, sizeof(*c));
	c->driver = "builtin";
	c->tcp = c->udp = true;
	c->v4 = c->v6 = true;
	c->dual_stack = true;
	c->loopback_child = true;
	c->cross_family = true;
}

/**
 * portmap_caps_slirp() - Capabilities of the slirp4netns driver (libslirp host forwarding)
 * @c:		filled in
 * @t:		the user-mode network's addresses (guest targets)
 * @ipv6:	--ipv6 given: libslirp serves IPv6 too
 *
 * libslirp forwards to the guest only within one family, cannot reach the guest's loopback,
 * and needs a socket per family.
 *
 * Return: nothing
 */
void portmap_caps_slirp(struct portmap_caps *c, const struct topo *t, bool ipv6)
{
	memset(c, 0, sizeof(*c));
	c->driver = "slirp4netns";
	c->tcp = c->udp = true;
	c->v4 = true;
	c->v6 = ipv6;
	c->unlisted_v6 = true;
	c->target_guest = true;
	c->guest = t->guest;
	if (ipv6)
		c->guest6 = t->guest6;
	else
		c->hint = "run with --ipv6 to serve IPv6";
}

/**
 * portmap_caps_protos() - The protos a driver serves, for /v1/info's portDriver.protos
 * @c:		capabilities
 * @out:	filled with proto names in rootlesskit's order
 *
 * A family-agnostic proto is listed when the driver serves at least one family, a family's
 * proto only when the driver listens on that family; IPv6 protos not with @unlisted_v6 (see
 * "Advertised protos" in portmap.h).
 *
 * Return: number of names in @out
 */
size_t portmap_caps_protos(const struct portmap_caps *c, const char *out[PORTMAP_PROTO_N])
{
	size_t i, n = 0;

	for (i = 0; i < PORTMAP_PROTO_N; i++) {
		int fam = portmap_proto_family((enum portmap_proto)i);
		bool proto_ok = portmap_proto_socktype((enum portmap_proto)i) == SOCK_STREAM
					? c->tcp
					: c->udp;

		if (!proto_ok)
			continue;
		if ((fam == AF_UNSPEC && (c->v4 || c->v6)) || (fam == AF_INET && c->v4) ||
		    (fam == AF_INET6 && c->v6 && !c->unlisted_v6))
			out[n++] = portmap_proto_names[i];
	}
	return n;
}

/**
 * portmap_sockaddr_set() - Build a socket address
 * @sa:		filled in
 * @ip:		address (AF_INET or AF_INET6)
 * @port:	port
 *
 * Return: nothing
 */
static void portmap_sockaddr_set(union portmap_sockaddr *sa, const struct portmap_ip *ip, int port)
{
	memset(sa, 0, sizeof(*sa));
	if (ip->family == AF_INET) {
		sa->in.sin_family = AF_INET;
		sa->in.sin_addr = ip->v4;
		sa->in.sin_port = htons((uint16_t)port);
	} else {
		sa->in6.sin6_family = AF_INET6;
		sa->in6.sin6_addr = ip->v6;
		sa->in6.sin6_port = htons((uint16_t)port);
	}
}

/**
 * portmap_ip_any() - The wildcard address of a family
 * @family:	AF_INET or AF_INET6
 *
 * Return: 0.0.0.0 or ::
 */
static struct portmap_ip portmap_ip_any(int family)
{
	struct portmap_ip ip = {.family = family};

	if (family == AF_INET)
		ip.v4.s_addr = htonl(INADDR_ANY);
	else
		ip.v6 = in6addr_any;
	return ip;
}

/**
 * portmap_ip_lo() - The loopback address of a family
 * @family:	AF_INET or AF_INET6
 *
 * Return: 127.0.0.1 or ::1
 */
static struct portmap_ip portmap_ip_lo(int family)
{
	struct portmap_ip ip = {.family = family};

	if (family == AF_INET)
		ip.v4.s_addr = htonl(INADDR_LOOPBACK);
	else
		ip.v6 = in6addr_loopback;
	return ip;
}

/**
 * portmap_ip_guest() - The namespace's own address of a family
 * @c:		capabilities of a driver with @target_guest
 * @family:	AF_INET or AF_INET6
 *
 * Return: @c->guest or @c->guest6
 */
static struct portmap_ip portmap_ip_guest(const struct portmap_caps *c, int family)
{
	struct portmap_ip ip = {.family = family};

	if (family == AF_INET)
		ip.v4 = c->guest;
	else
		ip.v6 = c->guest6;
	return ip;
}

/**
 * portmap_ip_is_guest() - Whether a child IP means the namespace itself for a driver
 * @c:		capabilities of a driver with @target_guest
 * @ip:		child IP
 *
 * Return: true for a wildcard, the namespace's IPv4 address, or its IPv6 address when the
 * driver serves IPv6
 */
static bool portmap_ip_is_guest(const struct portmap_caps *c, const struct portmap_ip *ip)
{
	if (portmap_ip_wildcard(ip))
		return true;
	if (ip->family == AF_INET)
		return ip->v4.s_addr == c->guest.s_addr;
	return c->v6 && IN6_ARE_ADDR_EQUAL(&ip->v6, &c->guest6);
}

/**
 * portmap_target() - Where a listener of one family sends its traffic
 * @s:		request
 * @c:		driver capabilities
 * @family:	the listener's family
 * @t:		target address (port not set)
 *
 * See the theory of operation in portmap.h for the rules.
 *
 * Return: 0, or -EAFNOSUPPORT if the child IP is of the other family and the driver cannot
 * join the two
 */
static int portmap_target(const struct portmap_spec *s, const struct portmap_caps *c, int family,
			  struct portmap_ip *t)
{
	const struct portmap_ip *ci = &s->child_addr, *pi = &s->parent_addr;

	if (c->target_guest) {
		if (ci->family == AF_UNSPEC || portmap_ip_is_guest(c, ci)) {
			*t = portmap_ip_guest(c, family);
			return 0;
		}
		*t = *ci;
	} else if (ci->family != AF_UNSPEC) {
		*t = portmap_ip_wildcard(ci) ? portmap_ip_lo(ci->family) : *ci;
	} else if (pi->family != AF_UNSPEC && !portmap_ip_wildcard(pi)) {
		*t = *pi;
	} else if (pi->family == AF_INET6) {
		*t = portmap_ip_lo(AF_INET6);
	} else {
		*t = portmap_ip_lo(AF_INET);
	}
	if (t->family == family || c->cross_family)
		return 0;
	if (ci->family == AF_UNSPEC) {
		/* a default of the other family: use loopback of the listener's own */
		*t = portmap_ip_lo(family);
		return 0;
	}
	return -EAFNOSUPPORT;
}

/**
 * portmap_resolve() - Turn a request into the bindings a driver makes
 * @s:		validated request
 * @c:		driver capabilities
 * @plan:	bindings and skipped parts; filled on success
 * @err:	why the request is refused, on failure
 * @errlen:	size of @err
 *
 * See the theory of operation in portmap.h for the rules.
 *
 * Return: 0, -EINVAL if the request asks explicitly for what the driver cannot do, or
 * -EAFNOSUPPORT if every part of a family-agnostic request had to be skipped
 */
int portmap_resolve(const struct portmap_spec *s, const struct portmap_caps *c,
		    struct portmap_plan *plan, char *err, size_t errlen)
{
	int socktype = portmap_proto_socktype(s->proto), pfam = portmap_proto_family(s->proto);
	const struct portmap_ip *pi = &s->parent_addr;
	const char *proto = portmap_proto_str(s->proto);
	bool wild = pi->family == AF_UNSPEC || portmap_ip_wildcard(pi);
	bool agnostic = pfam == AF_UNSPEC && wild;
	char hint[PORTMAP_MSGLEN] = "";
	int fams[2], n_fams = 0, i;

	memset(plan, 0, sizeof(*plan));
	if (c->hint)
		portmap_msg(hint, sizeof(hint), " (%s)", c->hint);
	if (!(socktype == SOCK_STREAM ? c->tcp : c->udp)) {
		portmap_msg(
			err, errlen,
			"protocol \"%s\" is not supported by the RootlessKit port driver \"%s\"",
			proto, c->driver);
		return -EINVAL;
	}
	if (s->child_addr.family != AF_UNSPEC && !c->loopback_child &&
	    portmap_ip_loopback(&s->child_addr)) {
		portmap_msg(err, errlen,
			    "childIP \"%s\" is a loopback address, which the RootlessKit port "
			    "driver \"%s\" cannot reach: leave childIP empty to reach the "
			    "namespace itself",
			    s->child_ip, c->driver);
		return -EINVAL;
	}
	if (agnostic) {
		fams[n_fams++] = AF_INET;
		fams[n_fams++] = AF_INET6;
	} else {
		fams[n_fams++] = pfam != AF_UNSPEC ? pfam : pi->family;
	}

	if (agnostic && c->dual_stack && c->cross_family && c->v4 && c->v6) {
		/* one socket for both families, one target for clients of either */
		struct portmap_binding *b = &plan->bind[plan->n_bind++];
		struct portmap_ip any = portmap_ip_any(AF_INET6), t;

		portmap_target(s, c, AF_INET6, &t); /* cannot fail with cross_family */
		b->family = AF_INET6;
		b->socktype = socktype;
		b->dual = true;
		portmap_sockaddr_set(&b->listen, &any, s->parent_port);
		portmap_sockaddr_set(&b->target, &t, s->child_port);
		return 0;
	}

	for (i = 0; i < n_fams; i++) {
		int fam = fams[i];
		struct portmap_ip lip = wild ? portmap_ip_any(fam) : *pi, t;
		struct portmap_binding *b;
		union portmap_sockaddr lsa;
		char addr[PORTMAP_FMTLEN], why[PORTMAP_MSGLEN];

		portmap_sockaddr_set(&lsa, &lip, s->parent_port);
		portmap_sockaddr_format(&lsa, addr, sizeof(addr));
		if (!(fam == AF_INET ? c->v4 : c->v6)) {
			if (!agnostic) {
				portmap_msg(
					err, errlen,
					"the RootlessKit port driver \"%s\" cannot listen on %s: "
					"refusing request for %s \"%s\"%s",
					c->driver, portmap_family_str(fam), proto, addr, hint);
				return -EINVAL;
			}
			portmap_msg(
				why, sizeof(why),
				"protocol \"%s\" is not supported by the RootlessKit port driver "
				"\"%s\", skipping request for \"%s\"%s",
				proto, c->driver, addr, hint);
			goto skip;
		}
		if (portmap_target(s, c, fam, &t)) {
			portmap_msg(why, sizeof(why),
				    "the RootlessKit port driver \"%s\" cannot forward %s \"%s\" "
				    "to the "
				    "%s childIP \"%s\" (families must match)",
				    c->driver, portmap_family_str(fam), addr,
				    portmap_family_str(s->child_addr.family), s->child_ip);
			if (!agnostic) {
				portmap_msg(err, errlen, "%s: refusing request", why);
				return -EINVAL;
			}
			portmap_msg(why + strlen(why), sizeof(why) - strlen(why), ", skipping");
			goto skip;
		}
		b = &plan->bind[plan->n_bind++];
		b->family = fam;
		b->socktype = socktype;
		b->v6only = fam == AF_INET6;
		b->listen = lsa;
		portmap_sockaddr_set(&b->target, &t, s->child_port);
		continue;
	skip:
		plan->skip[plan->n_skip].family = fam;
		memcpy(plan->skip[plan->n_skip].reason, why, sizeof(why));
		plan->n_skip++;
	}
	if (!plan->n_bind) {
		portmap_msg(err, errlen, "nothing can be bound for %s: %s%s%s", proto,
			    plan->skip[0].reason, plan->n_skip > 1 ? "; " : "",
			    plan->n_skip > 1 ? plan->skip[1].reason : "");
		return -EAFNOSUPPORT;
	}
	return 0;
}

/**
 * portmap_binding_overlap() - Whether two bindings would collide at bind time
 * @a:		one binding
 * @b:		the other
 *
 * As the kernel decides for listening TCP sockets with SO_REUSEADDR (and for UDP sockets
 * without it): same type and port, and the same family with equal addresses or a wildcard
 * on either side, or across families a [::] socket without IPV6_V6ONLY, which holds every
 * IPv4 address of the port.
 *
 * Return: true if they collide
 */
bool portmap_binding_overlap(const struct portmap_binding *a, const struct portmap_binding *b)
{
	const struct portmap_binding *v6, *v4;

	if (a->socktype != b->socktype)
		return false;
	if (a->family == AF_INET && b->family == AF_INET) {
		if (a->listen.in.sin_port != b->listen.in.sin_port)
			return false;
		return a->listen.in.sin_addr.s_addr == htonl(INADDR_ANY) ||
		       b->listen.in.sin_addr.s_addr == htonl(INADDR_ANY) ||
		       a->listen.in.sin_addr.s_addr == b->listen.in.sin_addr.s_addr;
	}
	if (a->family == AF_INET6 && b->family == AF_INET6) {
		if (a->listen.in6.sin6_port != b->listen.in6.sin6_port)
			return false;
		return IN6_IS_ADDR_UNSPECIFIED(&a->listen.in6.sin6_addr) ||
		       IN6_IS_ADDR_UNSPECIFIED(&b->listen.in6.sin6_addr) ||
		       IN6_ARE_ADDR_EQUAL(&a->listen.in6.sin6_addr, &b->listen.in6.sin6_addr);
	}
	v6 = a->family == AF_INET6 ? a : b;
	v4 = a->family == AF_INET6 ? b : a;
	return v6->listen.in6.sin6_port == v4->listen.in.sin_port && !v6->v6only &&
	       IN6_IS_ADDR_UNSPECIFIED(&v6->listen.in6.sin6_addr);
}

/**
 * portmap_conflict() - Whether two requests cannot both exist on a driver
 * @a:		the new request
 * @b:		an existing request
 * @c:		driver capabilities
 * @why:	"" for rootlesskit's rule (same proto, parentIP text and parentPort), else
 *		which listeners collide; may be NULL
 * @whylen:	size of @why
 *
 * Return: true on conflict
 */
bool portmap_conflict(const struct portmap_spec *a, const struct portmap_spec *b,
		      const struct portmap_caps *c, char *why, size_t whylen)
{
	struct portmap_plan pa, pb;
	size_t i, j;

	portmap_msg(why, whylen, "%s", "");
	if (a->proto == b->proto && !strcmp(a->parent_ip, b->parent_ip) &&
	    a->parent_port == b->parent_port)
		return true;
	if (a->parent_port != b->parent_port ||
	    portmap_proto_socktype(a->proto) != portmap_proto_socktype(b->proto))
		return false;
	if (portmap_resolve(a, c, &pa, NULL, 0) || portmap_resolve(b, c, &pb, NULL, 0))
		return false;
	for (i = 0; i < pa.n_bind; i++) {
		for (j = 0; j < pb.n_bind; j++) {
			char x[PORTMAP_FMTLEN], y[PORTMAP_FMTLEN];

			if (!portmap_binding_overlap(&pa.bind[i], &pb.bind[j]))
				continue;
			portmap_msg(why, whylen, "%s would collide with its listener %s",
				    portmap_sockaddr_format(&pa.bind[i].listen, x, sizeof(x)),
				    portmap_binding_format(&pb.bind[j], y, sizeof(y)));
			return true;
		}
	}
	return false;
}

/**
 * portmap_sockaddr_len() - Length of a socket address for bind() and connect()
 * @sa:		AF_INET or AF_INET6 address
 *
 * Return: sizeof(struct sockaddr_in) or sizeof(struct sockaddr_in6)
 */
socklen_t portmap_sockaddr_len(const union portmap_sockaddr *sa)
{
	return sa->sa.sa_family == AF_INET6 ? sizeof(sa->in6) : sizeof(sa->in);
}

/**
 * portmap_sockaddr_format() - Format an address as "0.0.0.0:8080" or "[::1]:80"
 * @sa:		AF_INET or AF_INET6 address
 * @buf:	output
 * @len:	size of @buf (PORTMAP_FMTLEN is enough)
 *
 * Return: @buf
 */
const char *portmap_sockaddr_format(const union portmap_sockaddr *sa, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (sa->sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &sa->in6.sin6_addr, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, ntohs(sa->in6.sin6_port));
	} else {
		inet_ntop(AF_INET, &sa->in.sin_addr, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, ntohs(sa->in.sin_port));
	}
	return buf;
}

/**
 * portmap_spec_format() - Format a request as "tcp [::1]:8080 -> :80"
 * @s:		request
 * @buf:	output
 * @len:	size of @buf (PORTMAP_FMTLEN is enough)
 *
 * IPs appear as given; an absent IP leaves only ":PORT".
 *
 * Return: @buf
 */
const char *portmap_spec_format(const struct portmap_spec *s, char *buf, size_t len)
{
	bool p6 = strchr(s->parent_ip, ':'), c6 = strchr(s->child_ip, ':');

	snprintf(buf, len, "%s %s%s%s:%d -> %s%s%s:%d", portmap_proto_str(s->proto), p6 ? "[" : "",
		 s->parent_ip, p6 ? "]" : "", s->parent_port, c6 ? "[" : "", s->child_ip,
		 c6 ? "]" : "", s->child_port);
	return buf;
}

/**
 * portmap_binding_format() - Format a binding as "tcp [::]:8080 -> 127.0.0.1:80"
 * @b:		binding
 * @buf:	output
 * @len:	size of @buf (PORTMAP_FMTLEN is enough)
 *
 * Return: @buf
 */
const char *portmap_binding_format(const struct portmap_binding *b, char *buf, size_t len)
{
	char l[PORTMAP_FMTLEN], t[PORTMAP_FMTLEN];

	snprintf(buf, len, "%s %s -> %s%s", b->socktype == SOCK_DGRAM ? "udp" : "tcp",
		 portmap_sockaddr_format(&b->listen, l, sizeof(l)),
		 portmap_sockaddr_format(&b->target, t, sizeof(t)), b->dual ? " (dual-stack)" : "");
	return buf;
}
