/* fuzz_portspec.c - fuzz harness: -p, rootlessctl and API port specs, resolution, conflicts */
/**
 * DOC: Theory of operation
 *
 * The input is one or two port specs separated by a newline. Each is parsed as a -p string
 * (portspec_parse_publish()) and as a rootlessctl add-ports argument (t_parse_spec(),
 * whose fields then go through portspec_from_fields() as the server takes them). What
 * parses is resolved for the builtin driver and for the slirp4netns driver with and without
 * IPv6, its plan and the spec formatted, and the two specs checked for conflicts. Besides
 * the sanitizers' findings, the harness checks what the callers rely on: a parsed spec has
 * ports in 1..65535 and rebuilds from its own fields, the builtin driver serves every valid
 * spec, a plan's bindings agree with the spec and the driver, formatted text is never cut,
 * and conflicts and overlaps are symmetric.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ctlfmt.h"
#include "error.h"
#include "errtext.h"
#include "fuzz.h"
#include "portmap.h"
#include "topo.h"
#include "util.h"

/* Drivers: builtin, slirp4netns, slirp4netns --ipv6 */
#define FUZZ_PORTSPEC_N_CAPS 3

static struct portmap_caps fuzz_portspec_caps[FUZZ_PORTSPEC_N_CAPS];

/**
 * LLVMFuzzerInitialize() - Driver capabilities for the default network, once
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: 0
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct in_addr net;
	unsigned int prefix;
	struct topo t;

	log_set_level(LOG_LVL_DEBUG);
	if (topo_parse_cidr("10.0.2.0/24", &net, &prefix) || topo_from_cidr(net, prefix, &t))
		abort();
	portmap_caps_builtin(&fuzz_portspec_caps[0]);
	portmap_caps_slirp(&fuzz_portspec_caps[1], &t, false);
	portmap_caps_slirp(&fuzz_portspec_caps[2], &t, true);
	return 0;
}

/**
 * fuzz_portspec_check_text() - Check that a formatted text fits its buffer
 * @s:		the text
 * @what:	what it is, for the message
 *
 * Return: nothing; aborts when the text filled the buffer (it was cut)
 */
static void fuzz_portspec_check_text(const char *s, const char *what)
{
	fuzz_assert(strlen(s) < PORTSPEC_FMTLEN - 1, "%s cut: %s", what, s);
}

/**
 * fuzz_portspec_check_spec() - Check a parsed spec and that its own fields rebuild it
 * @s:		the spec
 *
 * Return: nothing; aborts on a broken promise
 */
static void fuzz_portspec_check_spec(const struct portspec *s)
{
	char err[ERROR_MSGLEN], fmt[PORTSPEC_FMTLEN];
	struct error e = {0};
	struct portspec again;
	int ret;

	fuzz_portspec_check_text(portspec_format(s, fmt, sizeof(fmt)), "spec");
	fuzz_assert(s->parent_port >= 1 && s->parent_port <= 65535, "%s", fmt);
	fuzz_assert(s->child_port >= 1 && s->child_port <= 65535, "%s", fmt);
	fuzz_assert((unsigned int)s->proto < PORTSPEC_PROTO_N, "%s", fmt);
	ret = portspec_from_fields(portspec_proto_str(s->proto), s->parent_ip, s->parent_port,
				   s->child_ip, s->child_port, &again, &e);
	fuzz_assert(!ret, "%s does not rebuild from its fields: %s", fmt,
		    error_str(&e, err, sizeof(err)));
	fuzz_assert(again.proto == s->proto && again.parent_port == s->parent_port &&
			    again.child_port == s->child_port &&
			    !strcmp(again.parent_ip, s->parent_ip) &&
			    !strcmp(again.child_ip, s->child_ip) &&
			    addr_ip_equal(&again.parent_addr, &s->parent_addr) &&
			    addr_ip_equal(&again.child_addr, &s->child_addr),
		    "%s rebuilds differently", fmt);
}

/**
 * fuzz_portspec_check_plan() - Check a resolved plan against its spec and driver
 * @s:		the spec
 * @c:		the driver
 * @p:		the plan
 *
 * Return: nothing; aborts on a broken promise
 */
static void fuzz_portspec_check_plan(const struct portspec *s, const struct portmap_caps *c,
				     const struct portmap_plan *p)
{
	int socktype = portspec_proto_socktype(s->proto);
	char fmt[PORTMAP_FMTLEN];

	fuzz_assert(p->n_bind >= 1 && p->n_bind <= 2, "%zu bindings", p->n_bind);
	fuzz_assert(p->n_skip <= 2 && p->n_bind + p->n_skip <= 2, "%zu skips", p->n_skip);
	for (size_t i = 0; i < p->n_bind; i++) {
		const struct portmap_binding *b = &p->bind[i];
		int lport = b->family == AF_INET6 ? ntohs(b->listen.in6.sin6_port)
						  : ntohs(b->listen.in.sin_port);
		int tport = b->target.sa.sa_family == AF_INET6 ? ntohs(b->target.in6.sin6_port)
							       : ntohs(b->target.in.sin_port);

		fuzz_portspec_check_text(portmap_binding_format(b, fmt, sizeof(fmt)), "binding");
		fuzz_assert(b->family == AF_INET || b->family == AF_INET6, "%s", fmt);
		fuzz_assert(b->listen.sa.sa_family == b->family, "%s", fmt);
		fuzz_assert(b->target.sa.sa_family == AF_INET || b->target.sa.sa_family == AF_INET6,
			    "%s", fmt);
		fuzz_assert(b->socktype == socktype, "%s", fmt);
		fuzz_assert(lport == s->parent_port && tport == s->child_port, "%s", fmt);
		fuzz_assert(!b->v6only || b->family == AF_INET6, "%s", fmt);
		fuzz_assert(!b->dual || (b->family == AF_INET6 && !b->v6only && c->dual_stack),
			    "%s", fmt);
		fuzz_assert(b->family == AF_INET ? c->v4 : c->v6, "%s on %s", fmt, c->driver);
		fuzz_assert(c->cross_family || b->target.sa.sa_family == b->family, "%s on %s", fmt,
			    c->driver);
		for (size_t j = 0; j < p->n_bind; j++)
			fuzz_assert(portmap_binding_overlap(b, &p->bind[j]) ==
					    portmap_binding_overlap(&p->bind[j], b),
				    "overlap of %s is not symmetric", fmt);
	}
	for (size_t i = 0; i < p->n_skip; i++)
		fuzz_assert(memchr(p->skip[i].reason, '\0', sizeof(p->skip[i].reason)),
			    "unterminated skip reason");
}

/**
 * fuzz_portspec_resolve() - Resolve a spec for every driver
 * @s:		the spec
 *
 * Return: nothing; aborts on a broken promise
 */
static void fuzz_portspec_resolve(const struct portspec *s)
{
	for (int i = 0; i < FUZZ_PORTSPEC_N_CAPS; i++) {
		char err[ERROR_MSGLEN] = "";
		struct portmap_plan plan;
		struct error e = {0};
		int ret = portmap_resolve(s, &fuzz_portspec_caps[i], &plan, &e);

		/* the answer must not depend on whether the reason is wanted */
		fuzz_assert(portmap_resolve(s, &fuzz_portspec_caps[i], &plan, NULL) == ret,
			    "resolution depends on the error being wanted");
		error_str(&e, err, sizeof(err));
		if (ret) {
			fuzz_assert(ret == -EINVAL || ret == -EAFNOSUPPORT, "resolve: %d", ret);
			fuzz_assert(*err, "refused without a reason");
			fuzz_assert(i != 0, "the builtin driver refused a valid spec: %s", err);
			continue;
		}
		fuzz_portspec_check_plan(s, &fuzz_portspec_caps[i], &plan);
	}
}

/**
 * fuzz_portspec_parse() - Parse one piece of the input every way a port spec arrives
 * @str:	the piece
 * @out:	the -p parse, or the rootlessctl one when only that succeeded
 *
 * Return: true when @out holds a spec
 */
static bool fuzz_portspec_parse(const char *str, struct portspec *out)
{
	char cerr[ERROR_MSGLEN];
	struct portspec ps = {0}, cs = {0};
	struct ctlfmt_spec ctl;
	struct apijson_spec fields;
	struct error e = {0};
	bool have_p, have_c = false;

	have_p = !portspec_parse_publish(str, &ps, &e);
	fuzz_assert(have_p == !portspec_parse_publish(str, &ps, NULL),
		    "parsing depends on the error being wanted");
	fuzz_assert(have_p || e.errnum == EINVAL, "a refused spec without EINVAL");
	if (have_p)
		fuzz_portspec_check_spec(&ps);

	if (!t_parse_spec(str, &ctl, cerr, sizeof(cerr))) {
		ctlfmt_spec_fields(&ctl, &fields);
		have_c = !portspec_from_fields(fields.proto, fields.parent_ip, fields.parent_port,
					       fields.child_ip, fields.child_port, &cs, NULL);
		if (have_c)
			fuzz_portspec_check_spec(&cs);
	}
	if (have_p)
		*out = ps;
	else if (have_c)
		*out = cs;
	return have_p || have_c;
}

/**
 * LLVMFuzzerTestOneInput() - One or two port specs, newline-separated
 * @data:	input
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cleanup_free char *buf = fuzz_strndup(data, size);
	struct portspec spec[2];
	bool ok[2] = {false, false};
	char *piece[2];
	size_t n = fuzz_split(buf, size, '\n', piece, ARRAY_SIZE(piece));

	for (size_t i = 0; i < n; i++) {
		ok[i] = fuzz_portspec_parse(piece[i], &spec[i]);
		if (ok[i])
			fuzz_portspec_resolve(&spec[i]);
	}
	if (!ok[0] || !ok[1])
		return 0;
	for (int i = 0; i < FUZZ_PORTSPEC_N_CAPS; i++) {
		const struct portmap_caps *c = &fuzz_portspec_caps[i];
		struct error why = {0};
		bool ab = portmap_conflict(&spec[0], &spec[1], c, &why);
		bool ba = portmap_conflict(&spec[1], &spec[0], c, &why);

		fuzz_assert(ab == ba, "conflict on %s is not symmetric", c->driver);
		fuzz_assert(portmap_conflict(&spec[0], &spec[0], c, NULL),
			    "a spec does not conflict with itself");
	}
	return 0;
}
