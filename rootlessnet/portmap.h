/* portmap.h - what port drivers can do, family-aware resolution of requests, conflicts */
#ifndef RN_PORTMAP_H
#define RN_PORTMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "portspec.h"

struct error;
struct topo;

/**
 * DOC: Theory of operation
 *
 * A port request (&struct portspec, portspec.h) is what a user or client asked for. A port
 * driver describes what it can do (&struct portmap_caps). portmap_resolve() turns a request
 * into concrete bindings for that driver (&struct portmap_plan): for each listening socket
 * its family, type, IPV6_V6ONLY setting, listen address and target address, plus the parts
 * it skipped, each with a warning to log. It decides each family in one step
 * (portmap_family()): bind, skip with a warning, or refuse.
 *
 * Families. A request is family-agnostic when its proto is "tcp" or "udp" and its parent IP
 * is empty or a wildcard (0.0.0.0 or ::): it covers every family the driver listens on. A
 * request is explicit when the proto is tcp4/tcp6/udp4/udp6, or the parent IP is a specific
 * address (its family decides). An IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as IPv4,
 * as Go's net package treats it. tcp4 with an IPv6 parent address, or tcp6 with an IPv4 one,
 * is invalid; so are tcp4 with "::" and tcp6 with "0.0.0.0" (Go refuses them too).
 *
 * Skip or refuse. A family of an agnostic request that the driver cannot serve is skipped
 * with a warning that uses the text users saw from Docker 28.0.0, e.g.
 * protocol "tcp" is not supported by the RootlessKit port driver "slirp4netns",
 * skipping request for "[::]:8080" (the IPv4 part is still bound), followed by the driver's
 * hint in parentheses when it has one ("run with --ipv6 to serve IPv6"). An explicit request for a
 * family the driver cannot serve is refused with an error naming the driver and the family.
 * A request fails only when nothing at all can be bound.
 *
 * Listeners. A driver with @dual_stack (builtin) serves an agnostic wildcard request with one
 * AF_INET6 socket without IPV6_V6ONLY, listening on [::] (Go's net.Listen("tcp", ...) does
 * the same for "", "0.0.0.0" and "::", so this matches rootlesskit). Other drivers (slirp4netns,
 * whose dual-stack host sockets drop IPv4 clients) get one socket per family: 0.0.0.0 and
 * [::] with IPV6_V6ONLY. Every AF_INET6 binding that is not the dual-stack one sets
 * IPV6_V6ONLY (for libslirp: SLIRP_HOSTFWD_V6ONLY). On a dual-stack UDP socket, IPv4 clients
 * appear as ::ffff:a.b.c.d, and replies go back to that address.
 *
 * Targets, builtin (joins families, may target loopback). childIP if given; otherwise, as
 * rootlesskit's child does: the parent IP when it is a specific (non-wildcard) address, ::1
 * when the parent IP is "::" (rootlesskit dials [::], which the kernel connects to ::1), and
 * 127.0.0.1 when the parent IP is empty or 0.0.0.0 -- for IPv6 clients too, since one
 * dual-stack listener serves both. A wildcard childIP is replaced by the loopback address of
 * its family, which is where the kernel would connect it. rootlesskit also targets 127.0.0.1
 * when the parent IP equals the host's first non-loopback IPv4 address; that needs the host's
 * addresses and is not done here (give childIP).
 *
 * Targets, slirp4netns (@target_guest: the namespace's own addresses; families must match,
 * since libslirp cannot join an IPv6 host socket to an IPv4 guest; loopback child IPs are
 * refused, rootlesskit's disallowLoopbackChildIP). Each listener targets the guest address of
 * its own family (10.0.2.100, fd00::100) unless childIP is given. A childIP of the other
 * family is taken as meaning "the namespace" when it is the namespace's own address of that
 * family (or a wildcard): an IPv6 listener with childIP 10.0.2.100 targets fd00::100, and an
 * IPv4 listener with childIP fd00::100 targets 10.0.2.100. Any other cross-family child IP
 * cannot be served by that listener: skipped with a warning for an agnostic request, refused
 * for an explicit one.
 *
 * Advertised protos (portmap_caps_protos(), /v1/info). They list what a client may ask for
 * with the child address the API tells it, and every client that reads them (dockerd 20.10
 * through 28 and rootlesskit-docker-proxy) takes networkDriver.childIP, a single IPv4 address,
 * as the child address of both families when the driver disallows loopback child IPs. With
 * the slirp4netns driver and --ipv6, a listed tcp6 makes dockerd ask for the IPv6 binding too,
 * on the same child address and port as the IPv4 one, and its own second bind there fails the
 * whole mapping: the Docker 28 bug from the other side. So the slirp4netns driver lists
 * tcp, tcp4, udp and udp4 only, as rootlesskit does, and dockerd skips IPv6 with a warning.
 * IPv6 is still served to requests that ask for it: tcp6/udp6, an IPv6 parentIP, or tcp/udp
 * on a wildcard with --ipv6 (rootlessctl add-ports, -p).
 *
 * Conflicts (portmap_conflict()). Two requests conflict when they have the same proto string,
 * parentIP string and parentPort (rootlesskit's rule; the API answers "conflict with ID N"),
 * and also when their bindings would collide at bind time. Listeners use SO_REUSEADDR, but
 * the kernel still refuses a second TCP listener on an overlapping address with EADDRINUSE:
 * same family and port with equal addresses or one of them the wildcard; and across
 * families, a dual-stack [::] socket overlaps every IPv4 address of that port. A V6ONLY [::]
 * socket does not overlap IPv4, and two different specific addresses never collide. TCP and
 * UDP never collide. UDP is held to the same rule: with SO_REUSEADDR the kernel would let two
 * overlapping UDP sockets bind and then deliver each datagram to only one of them.
 */

/* Room for one warning or error message */
#define PORTMAP_MSGLEN 256
/* Room for a formatted binding */
#define PORTMAP_FMTLEN 160

/**
 * struct portmap_caps - what a port driver can do
 * @driver:		driver name in messages and /v1/info ("builtin", "slirp4netns")
 * @tcp:		serves TCP
 * @udp:		serves UDP
 * @v4:			listens on IPv4
 * @v6:			listens on IPv6
 * @dual_stack:		one AF_INET6 socket without IPV6_V6ONLY serves an agnostic wildcard
 *			request for both families (used only with @cross_family, since
 *			clients of both families then reach one target)
 * @loopback_child:	may target a loopback child IP (false: rootlesskit's
 *			disallowLoopbackChildIP)
 * @cross_family:	can join a listener of one family to a target of the other
 * @target_guest:	the default target is the namespace's own address (@guest, @guest6),
 *			not loopback
 * @guest:		the namespace's IPv4 address (with @target_guest)
 * @guest6:		the namespace's IPv6 address (with @target_guest and @v6)
 * @hint:		what to do to serve the families this driver cannot, or NULL; appended
 *			to skip and refusal messages
 * @unlisted_v6:	leave tcp6/udp6 out of /v1/info's protos although @v6 serves them
 *			(slirp4netns: see "Advertised protos" above)
 */
struct portmap_caps {
	const char *driver;
	bool tcp, udp;
	bool v4, v6;
	bool dual_stack;
	bool loopback_child;
	bool cross_family;
	bool target_guest;
	struct in_addr guest;
	struct in6_addr guest6;
	const char *hint;
	bool unlisted_v6;
};

/**
 * struct portmap_binding - one socket to listen on, and where its traffic goes
 * @family:	AF_INET or AF_INET6, the listening socket's family
 * @socktype:	SOCK_STREAM or SOCK_DGRAM
 * @v6only:	set IPV6_V6ONLY (AF_INET6 only)
 * @dual:	AF_INET6 without IPV6_V6ONLY: also serves IPv4 clients
 * @listen:	address to bind in the host network namespace
 * @target:	address to reach inside the namespace (its family may differ from @family
 *		only for drivers with @cross_family)
 */
struct portmap_binding {
	int family;
	int socktype;
	bool v6only;
	bool dual;
	union addr_sa listen;
	union addr_sa target;
};

/**
 * struct portmap_skip - a part of a request that is not bound
 * @family:	AF_INET or AF_INET6
 * @reason:	warning text, to be logged
 */
struct portmap_skip {
	int family;
	char reason[PORTMAP_MSGLEN];
};

/**
 * struct portmap_plan - the bindings a request resolves to for a driver
 * @bind:	bindings to make, @n_bind of them (1 or 2)
 * @n_bind:	number of @bind
 * @skip:	parts skipped, @n_skip of them
 * @n_skip:	number of @skip
 */
struct portmap_plan {
	struct portmap_binding bind[2];
	size_t n_bind;
	struct portmap_skip skip[2];
	size_t n_skip;
};

/*
 * Driver capabilities. portmap_caps_protos() fills @out with the protos for /v1/info's
 * portDriver.protos, in rootlesskit's order, and returns how many.
 */
void portmap_caps_builtin(struct portmap_caps *c);
void portmap_caps_slirp(struct portmap_caps *c, const struct topo *t, bool ipv6);
size_t portmap_caps_protos(const struct portmap_caps *c, const char *out[PORTSPEC_PROTO_N]);

/*
 * Resolution: 0 with @plan filled (log each plan->skip[i].reason as a warning), or -EINVAL
 * (explicit family or proto the driver cannot serve, child IP it cannot target) or
 * -EAFNOSUPPORT (every part skipped) with the reason in @e.
 */
int portmap_resolve(const struct portspec *s, const struct portmap_caps *c,
		    struct portmap_plan *plan, struct error *e);

/*
 * Conflicts: portmap_conflict() is true when @a and @b must not both exist on driver @c;
 * @why stays unset for rootlesskit's same proto/parentIP/parentPort rule (answer "conflict
 * with ID N") and says which bindings collide otherwise (answer "conflict with ID N: <why>").
 */
bool portmap_binding_overlap(const struct portmap_binding *a, const struct portmap_binding *b);
bool portmap_conflict(const struct portspec *a, const struct portspec *b,
		      const struct portmap_caps *c, struct error *why);

/* Formatting: a binding as "tcp [::]:8080 -> 127.0.0.1:80" (" (dual-stack)" appended) */
const char *portmap_binding_format(const struct portmap_binding *b, char *buf, size_t len);

#endif /* RN_PORTMAP_H */
