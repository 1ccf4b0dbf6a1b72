/* portmap.c - what port drivers can do, family-aware resolution of requests, conflicts */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "error.h"
#include "portmap.h"
#include "portspec.h"
#include "topo.h"

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
size_t portmap_caps_protos(const struct portmap_caps *c, const char *out[PORTSPEC_PROTO_N])
{
	size_t i, n = 0;

	for (i = 0; i < PORTSPEC_PROTO_N; i++) {
		int fam = portspec_proto_family((enum portspec_proto)i);
		bool proto_ok = portspec_proto_socktype((enum portspec_proto)i) == SOCK_STREAM
					? c->tcp
					: c->udp;

		if (!proto_ok)
			continue;
		if ((fam == AF_UNSPEC && (c->v4 || c->v6)) || (fam == AF_INET && c->v4) ||
		    (fam == AF_INET6 && c->v6 && !c->unlisted_v6))
			out[n++] = portspec_proto_str((enum portspec_proto)i);
	}
	return n;
}

/**
 * portmap_ip_guest() - The namespace's own address of a family
 * @c:		capabilities of a driver with @target_guest
 * @family:	AF_INET or AF_INET6
 *
 * Return: @c->guest or @c->guest6
 */
static struct addr_ip portmap_ip_guest(const struct portmap_caps *c, int family)
{
	struct addr_ip ip = {.family = family};

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
static bool portmap_ip_is_guest(const struct portmap_caps *c, const struct addr_ip *ip)
{
	if (addr_ip_wildcard(ip))
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
static int portmap_target(const struct portspec *s, const struct portmap_caps *c, int family,
			  struct addr_ip *t)
{
	const struct addr_ip *ci = &s->child_addr, *pi = &s->parent_addr;

	if (c->target_guest) {
		if (ci->family == AF_UNSPEC || portmap_ip_is_guest(c, ci)) {
			*t = portmap_ip_guest(c, family);
			return 0;
		}
		*t = *ci;
	} else if (ci->family != AF_UNSPEC) {
		*t = addr_ip_wildcard(ci) ? addr_ip_lo(ci->family) : *ci;
	} else if (pi->family != AF_UNSPEC && !addr_ip_wildcard(pi)) {
		*t = *pi;
	} else if (pi->family == AF_INET6) {
		*t = addr_ip_lo(AF_INET6);
	} else {
		*t = addr_ip_lo(AF_INET);
	}
	if (t->family == family || c->cross_family)
		return 0;
	if (ci->family == AF_UNSPEC) {
		/* a default of the other family: use loopback of the listener's own */
		*t = addr_ip_lo(family);
		return 0;
	}
	return -EAFNOSUPPORT;
}

/**
 * portmap_note() - Write a warning into a plan's buffer, cutting its middle if it is long
 * @buf:	PORTMAP_MSGLEN bytes
 * @fmt:	printf format
 *
 * Return: nothing
 */
static void __attribute__((format(printf, 2, 3))) portmap_note(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vformat(buf, PORTMAP_MSGLEN, fmt, ap);
	va_end(ap);
}

/**
 * enum portmap_step - what portmap_family() decided for one family of a request
 * @PORTMAP_BIND:	a binding is made
 * @PORTMAP_SKIP:	the family is left out, with a warning
 * @PORTMAP_REFUSE:	the whole request is refused
 */
enum portmap_step {
	PORTMAP_BIND,
	PORTMAP_SKIP,
	PORTMAP_REFUSE,
};

/**
 * struct portmap_req - what portmap_resolve() derived from a request, for each family step
 * @s:		the request
 * @c:		the driver
 * @proto:	proto name
 * @socktype:	SOCK_STREAM or SOCK_DGRAM
 * @wild:	the parent IP is empty or a wildcard
 * @agnostic:	tcp/udp on a wildcard: every family the driver serves
 * @hint:	the driver's hint, " (...)", or ""
 */
struct portmap_req {
	const struct portspec *s;
	const struct portmap_caps *c;
	const char *proto;
	int socktype;
	bool wild;
	bool agnostic;
	char hint[PORTMAP_MSGLEN];
};

/**
 * portmap_family() - Decide one family of a request: bind, skip or refuse
 * @r:		the request and driver
 * @fam:	AF_INET or AF_INET6
 * @b:		the binding, for PORTMAP_BIND
 * @why:	the warning, for PORTMAP_SKIP (PORTMAP_MSGLEN bytes)
 * @e:		the reason, for PORTMAP_REFUSE
 *
 * A family the driver does not listen on is skipped for a family-agnostic request and
 * refused for an explicit one; so is a child IP the driver cannot reach from a listener of
 * this family (see portmap.h).
 *
 * Return: the decision
 */
static enum portmap_step portmap_family(const struct portmap_req *r, int fam,
					struct portmap_binding *b, char *why, struct error *e)
{
	const struct portspec *s = r->s;
	const struct portmap_caps *c = r->c;
	struct addr_ip lip = r->wild ? addr_ip_any(fam) : s->parent_addr, t;
	char addr[ADDR_FMTLEN];
	union addr_sa lsa;

	addr_sa_set(&lsa, &lip, s->parent_port);
	addr_sa_format(&lsa, addr, sizeof(addr));
	if (!(fam == AF_INET ? c->v4 : c->v6)) {
		if (!r->agnostic) {
			error_plain(e, EINVAL,
				    "the RootlessKit port driver \"%s\" cannot listen on %s: "
				    "refusing request for %s \"%s\"%s",
				    c->driver, addr_family_str(fam), r->proto, addr, r->hint);
			return PORTMAP_REFUSE;
		}
		portmap_note(why,
			     "protocol \"%s\" is not supported by the RootlessKit port driver "
			     "\"%s\", skipping request for \"%s\"%s",
			     r->proto, c->driver, addr, r->hint);
		return PORTMAP_SKIP;
	}
	if (portmap_target(s, c, fam, &t)) {
		char cant[PORTMAP_MSGLEN];

		portmap_note(
			cant,
			"the RootlessKit port driver \"%s\" cannot forward %s \"%s\" to the %s "
			"childIP \"%s\" (families must match)",
			c->driver, addr_family_str(fam), addr,
			addr_family_str(s->child_addr.family), s->child_ip);
		if (!r->agnostic) {
			error_plain(e, EINVAL, "%s: refusing request", cant);
			return PORTMAP_REFUSE;
		}
		portmap_note(why, "%s, skipping", cant);
		return PORTMAP_SKIP;
	}
	memset(b, 0, sizeof(*b));
	b->family = fam;
	b->socktype = r->socktype;
	b->v6only = fam == AF_INET6;
	b->listen = lsa;
	addr_sa_set(&b->target, &t, s->child_port);
	return PORTMAP_BIND;
}

/**
 * portmap_resolve() - Turn a request into the bindings a driver makes
 * @s:		validated request
 * @c:		driver capabilities
 * @plan:	bindings and skipped parts; filled on success
 * @e:		why the request is refused, on failure
 *
 * See the theory of operation in portmap.h for the rules.
 *
 * Return: 0, -EINVAL if the request asks explicitly for what the driver cannot do, or
 * -EAFNOSUPPORT if every part of a family-agnostic request had to be skipped
 */
int portmap_resolve(const struct portspec *s, const struct portmap_caps *c,
		    struct portmap_plan *plan, struct error *e)
{
	int pfam = portspec_proto_family(s->proto), fams[2], n_fams = 0;
	struct portmap_req r = {
		.s = s,
		.c = c,
		.proto = portspec_proto_str(s->proto),
		.socktype = portspec_proto_socktype(s->proto),
		.wild = s->parent_addr.family == AF_UNSPEC || addr_ip_wildcard(&s->parent_addr),
	};

	memset(plan, 0, sizeof(*plan));
	r.agnostic = pfam == AF_UNSPEC && r.wild;
	if (c->hint)
		portmap_note(r.hint, " (%s)", c->hint);
	if (!(r.socktype == SOCK_STREAM ? c->tcp : c->udp))
		return error_plain(
			e, EINVAL,
			"protocol \"%s\" is not supported by the RootlessKit port driver \"%s\"",
			r.proto, c->driver);
	if (s->child_addr.family != AF_UNSPEC && !c->loopback_child &&
	    addr_ip_loopback(&s->child_addr))
		return error_plain(e, EINVAL,
				   "childIP \"%s\" is a loopback address, which the RootlessKit "
				   "port driver \"%s\" cannot reach: leave childIP empty to reach "
				   "the namespace itself",
				   s->child_ip, c->driver);
	if (r.agnostic && c->dual_stack && c->cross_family && c->v4 && c->v6) {
		/* one socket for both families, one target for clients of either */
		struct portmap_binding *b = &plan->bind[plan->n_bind++];
		struct addr_ip any = addr_ip_any(AF_INET6), t;

		portmap_target(s, c, AF_INET6, &t); /* cannot fail with cross_family */
		b->family = AF_INET6;
		b->socktype = r.socktype;
		b->dual = true;
		addr_sa_set(&b->listen, &any, s->parent_port);
		addr_sa_set(&b->target, &t, s->child_port);
		return 0;
	}
	if (r.agnostic) {
		fams[n_fams++] = AF_INET;
		fams[n_fams++] = AF_INET6;
	} else {
		fams[n_fams++] = pfam != AF_UNSPEC ? pfam : s->parent_addr.family;
	}
	for (int i = 0; i < n_fams; i++) {
		struct portmap_skip *skip = &plan->skip[plan->n_skip];

		switch (portmap_family(&r, fams[i], &plan->bind[plan->n_bind], skip->reason, e)) {
		case PORTMAP_BIND:
			plan->n_bind++;
			break;
		case PORTMAP_SKIP:
			skip->family = fams[i];
			plan->n_skip++;
			break;
		case PORTMAP_REFUSE:
			return -EINVAL;
		}
	}
	if (!plan->n_bind)
		return error_plain(e, EAFNOSUPPORT, "nothing can be bound for %s: %s%s%s", r.proto,
				   plan->skip[0].reason, plan->n_skip > 1 ? "; " : "",
				   plan->n_skip > 1 ? plan->skip[1].reason : "");
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
 * @why:	left unset for rootlesskit's rule (same proto, parentIP text and parentPort),
 *		else which listeners collide (EADDRINUSE); may be NULL
 *
 * Return: true on conflict
 */
bool portmap_conflict(const struct portspec *a, const struct portspec *b,
		      const struct portmap_caps *c, struct error *why)
{
	struct portmap_plan pa, pb;

	if (a->proto == b->proto && !strcmp(a->parent_ip, b->parent_ip) &&
	    a->parent_port == b->parent_port)
		return true;
	if (a->parent_port != b->parent_port ||
	    portspec_proto_socktype(a->proto) != portspec_proto_socktype(b->proto))
		return false;
	if (portmap_resolve(a, c, &pa, NULL) || portmap_resolve(b, c, &pb, NULL))
		return false;
	for (size_t i = 0; i < pa.n_bind; i++) {
		for (size_t j = 0; j < pb.n_bind; j++) {
			char x[ADDR_FMTLEN], y[PORTMAP_FMTLEN];

			if (!portmap_binding_overlap(&pa.bind[i], &pb.bind[j]))
				continue;
			error_plain(why, EADDRINUSE, "%s would collide with its listener %s",
				    addr_sa_format(&pa.bind[i].listen, x, sizeof(x)),
				    portmap_binding_format(&pb.bind[j], y, sizeof(y)));
			return true;
		}
	}
	return false;
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
	char l[ADDR_FMTLEN], t[ADDR_FMTLEN];

	snprintf(buf, len, "%s %s -> %s%s", b->socktype == SOCK_DGRAM ? "udp" : "tcp",
		 addr_sa_format(&b->listen, l, sizeof(l)), addr_sa_format(&b->target, t, sizeof(t)),
		 b->dual ? " (dual-stack)" : "");
	return buf;
}
