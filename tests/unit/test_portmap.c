/* test_portmap.c - unit tests for port specs, driver capabilities, resolution and conflicts */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "error.h"
#include "errtext.h"
#include "portmap.h"
#include "topo.h"

enum drv {
	BI,
	S4,
	S6
};

static const char *const drv_names[] = {"builtin", "slirp4netns", "slirp4netns --ipv6"};

static void caps_for(enum drv d, struct portmap_caps *c)
{
	struct in_addr net;
	unsigned int prefix;
	struct topo t;

	if (d == BI) {
		portmap_caps_builtin(c);
		return;
	}
	assert_int_equal(topo_parse_cidr("10.0.2.0/24", &net, &prefix), 0);
	assert_int_equal(topo_from_cidr(net, prefix, &t), 0);
	portmap_caps_slirp(c, &t, d == S6);
}

/* The plan as one line: bindings joined by "; " (v6only marked), then each skip */
static const char *plan_str(const struct portmap_plan *p, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < p->n_bind; i++) {
		char b[PORTMAP_FMTLEN];

		off += (size_t)snprintf(buf + off, len - off, "%s%s%s", i ? "; " : "",
					portmap_binding_format(&p->bind[i], b, sizeof(b)),
					p->bind[i].v6only ? " v6only" : "");
		assert_true(off < len);
		/* consistency every driver relies on */
		assert_int_equal(p->bind[i].listen.sa.sa_family, p->bind[i].family);
		assert_false(p->bind[i].v6only && p->bind[i].dual);
		if (p->bind[i].family == AF_INET)
			assert_false(p->bind[i].v6only || p->bind[i].dual);
	}
	for (i = 0; i < p->n_skip; i++) {
		off += (size_t)snprintf(buf + off, len - off, " | skip %s: %s",
					p->skip[i].family == AF_INET6 ? "IPv6" : "IPv4",
					p->skip[i].reason);
		assert_true(off < len);
	}
	return buf;
}

/*
 * Run one request through validation and resolution and describe the outcome:
 * "E:<validation error>", "R:<resolution error>", or the plan.
 */
static const char *outcome(const char *proto, const char *pip, const char *cip, enum drv d,
			   char *buf, size_t len)
{
	struct portmap_caps c;
	struct portspec s;
	struct portmap_plan p;
	char err[512];
	int r;

	caps_for(d, &c);
	err[0] = '\0';
	r = t_from_fields(proto, pip, 8080, cip, 80, &s, err, sizeof(err));
	if (r) {
		assert_int_equal(r, -EINVAL);
		snprintf(buf, len, "E:%s", err);
		return buf;
	}
	r = t_resolve(&s, &c, &p, err, sizeof(err));
	if (r) {
		assert_true(r == -EINVAL || r == -EAFNOSUPPORT);
		snprintf(buf, len, "R:%s", err);
		return buf;
	}
	assert_true(p.n_bind >= 1);
	return plan_str(&p, buf, len);
}

/* Replace every "tcp" by "udp": the table is written for TCP and holds for UDP alike */
static const char *to_udp(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (; *in && o + 1 < len; in++) {
		if (!strncmp(in, "tcp", 3)) {
			out[o++] = 'u';
			out[o++] = 'd';
			out[o++] = 'p';
			in += 2;
		} else {
			out[o++] = *in;
		}
	}
	out[o] = '\0';
	return out;
}

#define V4S   "192.0.2.1"
#define V6S   "2001:db8::1"
#define HINT6 " (run with --ipv6 to serve IPv6)"
#define SKIP6                                                                                      \
	" | skip IPv6: protocol \"tcp\" is not supported by the RootlessKit port driver "          \
	"\"slirp4netns\", skipping request for \"[::]:8080\"" HINT6
#define REFUSE6(proto, addr)                                                                       \
	"R:the RootlessKit port driver \"slirp4netns\" cannot listen on IPv6: refusing "           \
	"request for " proto " \"" addr "\"" HINT6
#define NEED(proto, fam, ip) "E:proto \"" proto "\" needs an " fam " parentIP, got \"" ip "\""
#define NEED4(ip)	     NEED("tcp4", "IPv4", ip)
#define NEED6(ip)	     NEED("tcp6", "IPv6", ip)

#define BI_ANY "tcp [::]:8080 -> 127.0.0.1:80 (dual-stack)"
#define BI_V4  "tcp 0.0.0.0:8080 -> 127.0.0.1:80"
#define S_V4   "tcp 0.0.0.0:8080 -> 10.0.2.100:80"
#define S_V6   "tcp [::]:8080 -> [fd00::100]:80 v6only"

/* every proto suffix x parent address form x driver; run for tcp and for udp */
static const struct matrix_row {
	const char *suffix;
	const char *pip;
	enum drv d;
	const char *want;
} matrix[] = {
	/* builtin: one dual-stack socket for agnostic wildcards, targets per rootlesskit */
	{"", "", BI, BI_ANY},
	{"", "0.0.0.0", BI, BI_ANY},
	{"", "::", BI, "tcp [::]:8080 -> [::1]:80 (dual-stack)"},
	{"", "127.0.0.1", BI, "tcp 127.0.0.1:8080 -> 127.0.0.1:80"},
	{"", "::1", BI, "tcp [::1]:8080 -> [::1]:80 v6only"},
	{"", V4S, BI, "tcp 192.0.2.1:8080 -> 192.0.2.1:80"},
	{"", V6S, BI, "tcp [2001:db8::1]:8080 -> [2001:db8::1]:80 v6only"},
	{"4", "", BI, BI_V4},
	{"4", "0.0.0.0", BI, BI_V4},
	{"4", "::", BI, NEED4("::")},
	{"4", "127.0.0.1", BI, "tcp 127.0.0.1:8080 -> 127.0.0.1:80"},
	{"4", "::1", BI, NEED4("::1")},
	{"4", V4S, BI, "tcp 192.0.2.1:8080 -> 192.0.2.1:80"},
	{"4", V6S, BI, NEED4(V6S)},
	{"6", "", BI, "tcp [::]:8080 -> 127.0.0.1:80 v6only"},
	{"6", "0.0.0.0", BI, NEED6("0.0.0.0")},
	{"6", "::", BI, "tcp [::]:8080 -> [::1]:80 v6only"},
	{"6", "127.0.0.1", BI, NEED6("127.0.0.1")},
	{"6", "::1", BI, "tcp [::1]:8080 -> [::1]:80 v6only"},
	{"6", V4S, BI, NEED6(V4S)},
	{"6", V6S, BI, "tcp [2001:db8::1]:8080 -> [2001:db8::1]:80 v6only"},

	/* slirp4netns without --ipv6: agnostic requests lose only their IPv6 part */
	{"", "", S4, S_V4 SKIP6},
	{"", "0.0.0.0", S4, S_V4 SKIP6},
	{"", "::", S4, S_V4 SKIP6},
	{"", "127.0.0.1", S4, "tcp 127.0.0.1:8080 -> 10.0.2.100:80"},
	{"", "::1", S4, REFUSE6("tcp", "[::1]:8080")},
	{"", V4S, S4, "tcp 192.0.2.1:8080 -> 10.0.2.100:80"},
	{"", V6S, S4, REFUSE6("tcp", "[2001:db8::1]:8080")},
	{"4", "", S4, S_V4},
	{"4", "0.0.0.0", S4, S_V4},
	{"4", "::", S4, NEED4("::")},
	{"4", "127.0.0.1", S4, "tcp 127.0.0.1:8080 -> 10.0.2.100:80"},
	{"4", "::1", S4, NEED4("::1")},
	{"4", V4S, S4, "tcp 192.0.2.1:8080 -> 10.0.2.100:80"},
	{"4", V6S, S4, NEED4(V6S)},
	{"6", "", S4, REFUSE6("tcp6", "[::]:8080")},
	{"6", "0.0.0.0", S4, NEED6("0.0.0.0")},
	{"6", "::", S4, REFUSE6("tcp6", "[::]:8080")},
	{"6", "127.0.0.1", S4, NEED6("127.0.0.1")},
	{"6", "::1", S4, REFUSE6("tcp6", "[::1]:8080")},
	{"6", V4S, S4, NEED6(V4S)},
	{"6", V6S, S4, REFUSE6("tcp6", "[2001:db8::1]:8080")},

	/* slirp4netns with --ipv6: a socket per family, each to the guest of its family */
	{"", "", S6, S_V4 "; " S_V6},
	{"", "0.0.0.0", S6, S_V4 "; " S_V6},
	{"", "::", S6, S_V4 "; " S_V6},
	{"", "127.0.0.1", S6, "tcp 127.0.0.1:8080 -> 10.0.2.100:80"},
	{"", "::1", S6, "tcp [::1]:8080 -> [fd00::100]:80 v6only"},
	{"", V4S, S6, "tcp 192.0.2.1:8080 -> 10.0.2.100:80"},
	{"", V6S, S6, "tcp [2001:db8::1]:8080 -> [fd00::100]:80 v6only"},
	{"4", "", S6, S_V4},
	{"4", "0.0.0.0", S6, S_V4},
	{"4", "::", S6, NEED4("::")},
	{"4", "127.0.0.1", S6, "tcp 127.0.0.1:8080 -> 10.0.2.100:80"},
	{"4", "::1", S6, NEED4("::1")},
	{"4", V4S, S6, "tcp 192.0.2.1:8080 -> 10.0.2.100:80"},
	{"4", V6S, S6, NEED4(V6S)},
	{"6", "", S6, S_V6},
	{"6", "0.0.0.0", S6, NEED6("0.0.0.0")},
	{"6", "::", S6, S_V6},
	{"6", "127.0.0.1", S6, NEED6("127.0.0.1")},
	{"6", "::1", S6, "tcp [::1]:8080 -> [fd00::100]:80 v6only"},
	{"6", V4S, S6, NEED6(V4S)},
	{"6", V6S, S6, "tcp [2001:db8::1]:8080 -> [fd00::100]:80 v6only"},
};

static void test_matrix(void **state)
{
	static const char *const base[] = {"tcp", "udp"};
	size_t i, b, n = 0;

	(void)state;
	for (b = 0; b < 2; b++) {
		for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
			const struct matrix_row *r = &matrix[i];
			char proto[8], got[1024], want[1024];

			snprintf(proto, sizeof(proto), "%s%s", base[b], r->suffix);
			if (b)
				to_udp(r->want, want, sizeof(want));
			else
				snprintf(want, sizeof(want), "%s", r->want);
			outcome(proto, r->pip, NULL, r->d, got, sizeof(got));
			if (strcmp(got, want))
				fail_msg("%s on \"%s\" with %s:\n got  %s\n want %s", proto, r->pip,
					 drv_names[r->d], got, want);
			n++;
		}
	}
	/* 6 protos x 7 address forms x 3 drivers */
	assert_int_equal(n, 6 * 7 * 3);
}

/* The case Docker 28.0.0 failed: -p 8080:80 against the v4-only slirp4netns driver */
static void test_docker28_agnostic(void **state)
{
	static const char *const pips[] = {"", "::", "0.0.0.0"};
	struct portmap_caps c;
	struct portspec s;
	struct portmap_plan p;
	char err[256], buf[PORTMAP_FMTLEN];
	size_t i;

	(void)state;
	caps_for(S4, &c);
	for (i = 0; i < 3; i++) {
		assert_int_equal(
			t_from_fields("tcp", pips[i], 8080, NULL, 80, &s, err, sizeof(err)), 0);
		assert_int_equal(t_resolve(&s, &c, &p, err, sizeof(err)), 0);
		assert_int_equal(p.n_bind, 1);
		assert_int_equal(p.bind[0].family, AF_INET);
		assert_int_equal(p.bind[0].socktype, SOCK_STREAM);
		assert_string_equal(addr_sa_format(&p.bind[0].listen, buf, sizeof(buf)),
				    "0.0.0.0:8080");
		assert_string_equal(addr_sa_format(&p.bind[0].target, buf, sizeof(buf)),
				    "10.0.2.100:80");
		assert_int_equal(addr_sa_len(&p.bind[0].listen), sizeof(struct sockaddr_in));
		assert_int_equal(p.n_skip, 1);
		assert_int_equal(p.skip[0].family, AF_INET6);
		assert_string_equal(
			p.skip[0].reason,
			"protocol \"tcp\" is not supported by the RootlessKit port "
			"driver \"slirp4netns\", skipping request for \"[::]:8080\" (run "
			"with --ipv6 to serve IPv6)");
	}

	/* asking for IPv6 explicitly is refused, naming driver and family */
	assert_int_equal(t_parse_publish("[::]:8080:80/tcp6", &s, err, sizeof(err)), 0);
	assert_int_equal(t_resolve(&s, &c, &p, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "the RootlessKit port driver \"slirp4netns\" cannot listen on "
				 "IPv6: refusing request for tcp6 \"[::]:8080\" (run with --ipv6 "
				 "to serve IPv6)");
}

/* What dockerd 28 sends per binding: tcp4 on 0.0.0.0 and tcp6 on :: as two requests */
static void test_docker28_per_binding(void **state)
{
	struct portspec s4, s6;
	struct portmap_caps c;
	struct portmap_plan p;
	char err[256], got[512], why[256];
	enum drv d;

	(void)state;
	assert_int_equal(t_from_fields("tcp4", "0.0.0.0", 8080, NULL, 80, &s4, err, sizeof(err)),
			 0);
	assert_int_equal(t_from_fields("tcp6", "::", 8080, NULL, 80, &s6, err, sizeof(err)), 0);
	for (d = BI; d <= S6; d++) {
		caps_for(d, &c);
		assert_int_equal(t_resolve(&s4, &c, &p, err, sizeof(err)), 0);
		assert_string_equal(plan_str(&p, got, sizeof(got)),
				    d == BI ? BI_V4 : "tcp 0.0.0.0:8080 -> 10.0.2.100:80");
		/* the two halves must coexist: they bind disjoint addresses */
		assert_false(t_conflict(&s6, &s4, &c, why, sizeof(why)));
		assert_false(t_conflict(&s4, &s6, &c, why, sizeof(why)));
	}
	caps_for(BI, &c);
	assert_int_equal(t_resolve(&s6, &c, &p, err, sizeof(err)), 0);
	assert_string_equal(plan_str(&p, got, sizeof(got)), "tcp [::]:8080 -> [::1]:80 v6only");
	caps_for(S6, &c);
	assert_int_equal(t_resolve(&s6, &c, &p, err, sizeof(err)), 0);
	assert_string_equal(plan_str(&p, got, sizeof(got)), S_V6);
	caps_for(S4, &c);
	assert_int_equal(t_resolve(&s6, &c, &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "\"slirp4netns\" cannot listen on IPv6"));

	/* with dockerd's child IPs (the namespace's address for slirp4netns) */
	assert_int_equal(t_from_fields("tcp6", "::", 8080, "10.0.2.100", 80, &s6, err, sizeof(err)),
			 0);
	caps_for(S6, &c);
	assert_int_equal(t_resolve(&s6, &c, &p, err, sizeof(err)), 0);
	assert_string_equal(plan_str(&p, got, sizeof(got)), S_V6);
}

/* childIP rules: loopback, wildcard, own address across families, other cross-family IPs */
static void test_child_ip(void **state)
{
	static const struct {
		const char *proto, *pip, *cip;
		enum drv d;
		const char *want;
	} rows[] = {
		{"tcp", "", "127.0.0.1", S6,
		 "R:childIP \"127.0.0.1\" is a loopback address, which the RootlessKit port "
		 "driver \"slirp4netns\" cannot reach: leave childIP empty to reach the "
		 "namespace itself"},
		{"udp6", "::", "::1", S6,
		 "R:childIP \"::1\" is a loopback address, which the RootlessKit port driver "
		 "\"slirp4netns\" cannot reach: leave childIP empty to reach the namespace "
		 "itself"},
		{"tcp", "", "127.0.0.2", S4,
		 "R:childIP \"127.0.0.2\" is a loopback address, which the RootlessKit port "
		 "driver \"slirp4netns\" cannot reach: leave childIP empty to reach the "
		 "namespace itself"},
		{"tcp", "", "127.0.0.2", BI, "tcp [::]:8080 -> 127.0.0.2:80 (dual-stack)"},
		{"tcp4", "", "::1", BI, "tcp 0.0.0.0:8080 -> [::1]:80"},
		{"tcp6", "::1", "10.1.2.3", BI, "tcp [::1]:8080 -> 10.1.2.3:80 v6only"},
		{"tcp", "", "0.0.0.0", BI, "tcp [::]:8080 -> 127.0.0.1:80 (dual-stack)"},
		{"tcp", "", "::", BI, "tcp [::]:8080 -> [::1]:80 (dual-stack)"},
		{"tcp", "127.0.0.1", "", BI, "tcp 127.0.0.1:8080 -> 127.0.0.1:80"},
		/* slirp4netns: the namespace's own address maps to the listener's family */
		{"tcp", "", "10.0.2.100", S6, S_V4 "; " S_V6},
		{"tcp", "", "fd00::100", S6, S_V4 "; " S_V6},
		{"tcp", "", "0.0.0.0", S6, S_V4 "; " S_V6},
		{"tcp", "", "::ffff:10.0.2.100", S6, S_V4 "; " S_V6},
		{"tcp4", "", "fd00::100", S6, S_V4},
		{"tcp6", "", "10.0.2.100", S6, S_V6},
		/* another address of the same family is targeted as given */
		{"tcp", "", "10.0.2.5", S4, "tcp 0.0.0.0:8080 -> 10.0.2.5:80" SKIP6},
		{"tcp", "", "fd00::5", S6,
		 "tcp [::]:8080 -> [fd00::5]:80 v6only | skip IPv4: the RootlessKit port driver "
		 "\"slirp4netns\" cannot forward IPv4 \"0.0.0.0:8080\" to the IPv6 childIP "
		 "\"fd00::5\" (families must match), skipping"},
		{"tcp", "", "10.0.2.5", S6,
		 "tcp 0.0.0.0:8080 -> 10.0.2.5:80 | skip IPv6: the RootlessKit port driver "
		 "\"slirp4netns\" cannot forward IPv6 \"[::]:8080\" to the IPv4 childIP "
		 "\"10.0.2.5\" (families must match), skipping"},
		{"tcp6", "", "10.0.2.5", S6,
		 "R:the RootlessKit port driver \"slirp4netns\" cannot forward IPv6 \"[::]:8080\" "
		 "to the IPv4 childIP \"10.0.2.5\" (families must match): refusing request"},
		{"udp", "127.0.0.1", "fd00::5", S6,
		 "R:the RootlessKit port driver \"slirp4netns\" cannot forward IPv4 "
		 "\"127.0.0.1:8080\" to the IPv6 childIP \"fd00::5\" (families must match): "
		 "refusing request"},
		/* without --ipv6, fd00::100 is not the namespace's: nothing can be bound */
		{"tcp", "", "fd00::100", S4,
		 "R:nothing can be bound for tcp: the RootlessKit port driver \"slirp4netns\" "
		 "cannot forward IPv4 \"0.0.0.0:8080\" to the IPv6 childIP \"fd00::100\" "
		 "(families must match), skipping; protocol \"tcp\" is not supported by the "
		 "RootlessKit port driver \"slirp4netns\", skipping request for \"[::]:8080\" "
		 "(run with --ipv6 to serve IPv6)"},
	};
	char got[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		outcome(rows[i].proto, rows[i].pip, rows[i].cip, rows[i].d, got, sizeof(got));
		if (strcmp(got, rows[i].want))
			fail_msg("%s %s -> %s with %s:\n got  %s\n want %s", rows[i].proto,
				 rows[i].pip, rows[i].cip, drv_names[rows[i].d], got, rows[i].want);
	}
}

/* Every invalid field, with its message */
static void test_fields_invalid(void **state)
{
	static const struct {
		const char *proto, *pip;
		long long pport;
		const char *cip;
		long long cport;
		const char *want;
	} rows[] = {
		{NULL, "", 8080, "", 80,
		 "proto is missing: want one of tcp, tcp4, tcp6, udp, udp4, udp6"},
		{"", "", 8080, "", 80,
		 "proto is missing: want one of tcp, tcp4, tcp6, udp, udp4, udp6"},
		{"sctp", "", 8080, "", 80,
		 "unknown proto \"sctp\": want one of tcp, tcp4, tcp6, udp, udp4, udp6"},
		{"TCP", "", 8080, "", 80,
		 "unknown proto \"TCP\": want one of tcp, tcp4, tcp6, udp, udp4, udp6"},
		{"tcp ", "", 8080, "", 80,
		 "unknown proto \"tcp \": want one of tcp, tcp4, tcp6, udp, udp4, udp6"},
		{"tcp", "localhost", 8080, "", 80, "parentIP \"localhost\" is not an IP address"},
		{"tcp", "1.2.3", 8080, "", 80, "parentIP \"1.2.3\" is not an IP address"},
		{"tcp", "127.0.0.01", 8080, "", 80, "parentIP \"127.0.0.01\" is not an IP address"},
		{"tcp", "fe80::1%lo", 8080, "", 80, "parentIP \"fe80::1%lo\" is not an IP address"},
		{"tcp", "[::1]", 8080, "", 80, "parentIP \"[::1]\" is not an IP address"},
		{"tcp", " 127.0.0.1", 8080, "", 80, "parentIP \" 127.0.0.1\" is not an IP address"},
		{"tcp", "0000:0000:0000:0000:0000:0000:0000:0000:0", 8080, "", 80,
		 "parentIP \"0000:0000:0000:0000:0000:0000:0000:0000:0\" is not an IP address"},
		{"tcp", "0000:0000:0000:0000:0000:ffff:127.000.000.001", 8080, "", 80,
		 "parentIP \"0000:0000:0000:0000:0000:ffff:127.000.000.001\" is not an IP "
		 "address"},
		{"tcp", "", 8080, "10.0.2", 80, "childIP \"10.0.2\" is not an IP address"},
		{"tcp", "", 0, "", 80, "parentPort 0 is outside 1..65535"},
		{"tcp", "", -200, "", 80, "parentPort -200 is outside 1..65535"},
		{"tcp", "", 65536, "", 80, "parentPort 65536 is outside 1..65535"},
		{"tcp", "", 1000000, "", 80, "parentPort 1000000 is outside 1..65535"},
		{"tcp", "", 4294967297LL, "", 80, "parentPort 4294967297 is outside 1..65535"},
		{"tcp", "", 8080, "", 0, "childPort 0 is outside 1..65535"},
		{"tcp", "", 8080, "", 70000, "childPort 70000 is outside 1..65535"},
		{"tcp4", "::1", 8080, "", 80, "proto \"tcp4\" needs an IPv4 parentIP, got \"::1\""},
		{"udp6", "127.0.0.1", 8080, "", 80,
		 "proto \"udp6\" needs an IPv6 parentIP, got \"127.0.0.1\""},
		/* an IPv4-mapped address is IPv4, as in Go */
		{"tcp6", "::ffff:127.0.0.1", 8080, "", 80,
		 "proto \"tcp6\" needs an IPv6 parentIP, got \"::ffff:127.0.0.1\""},
		/* rootlesskit's order: proto, parentIP, childIP, parentPort, childPort */
		{"x", "y", 0, "z", 0,
		 "unknown proto \"x\": want one of tcp, tcp4, tcp6, udp, udp4, udp6"},
		{"tcp", "y", 0, "z", 0, "parentIP \"y\" is not an IP address"},
		{"tcp", "", 0, "z", 0, "childIP \"z\" is not an IP address"},
		{"tcp", "", 0, "", 0, "parentPort 0 is outside 1..65535"},
	};
	struct portspec s;
	char err[256];
	size_t i;

	(void)state;
	memset(&s, 0x5a, sizeof(s));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		err[0] = '\0';
		assert_int_equal(t_from_fields(rows[i].proto, rows[i].pip, rows[i].pport,
					       rows[i].cip, rows[i].cport, &s, err, sizeof(err)),
				 -EINVAL);
		if (strcmp(err, rows[i].want))
			fail_msg("row %zu:\n got  %s\n want %s", i, err, rows[i].want);
		/* @out is left alone on failure */
		assert_int_equal(s.parent_port, 0x5a5a5a5a);
	}
	/* a NULL or short error buffer is fine */
	assert_int_equal(t_from_fields("x", NULL, 1, NULL, 1, &s, NULL, 0), -EINVAL);
	assert_int_equal(t_from_fields("x", NULL, 1, NULL, 1, &s, err, 4), -EINVAL);
	assert_string_equal(err, "unk");
}

static void test_fields_valid(void **state)
{
	struct portspec s;
	char err[256], buf[PORTMAP_FMTLEN];

	(void)state;
	assert_int_equal(
		t_from_fields("udp4", "::ffff:127.0.0.1", 1, "::2", 65535, &s, err, sizeof(err)),
		0);
	assert_int_equal(s.proto, PORTSPEC_UDP4);
	assert_string_equal(s.parent_ip, "::ffff:127.0.0.1"); /* kept as given */
	assert_int_equal(s.parent_addr.family, AF_INET);
	assert_int_equal(s.parent_addr.v4.s_addr, htonl(INADDR_LOOPBACK));
	assert_string_equal(s.child_ip, "::2");
	assert_int_equal(s.child_addr.family, AF_INET6);
	assert_int_equal(s.parent_port, 1);
	assert_int_equal(s.child_port, 65535);
	assert_string_equal(portspec_format(&s, buf, sizeof(buf)),
			    "udp4 [::ffff:127.0.0.1]:1 -> [::2]:65535");

	assert_int_equal(t_from_fields("tcp", NULL, 8080, NULL, 80, &s, err, sizeof(err)), 0);
	assert_string_equal(s.parent_ip, "");
	assert_int_equal(s.parent_addr.family, AF_UNSPEC);
	assert_int_equal(s.child_addr.family, AF_UNSPEC);
	assert_string_equal(portspec_format(&s, buf, sizeof(buf)), "tcp :8080 -> :80");

	/* the longest IPv6 text there is still fits */
	assert_int_equal(t_from_fields("tcp", "0000:0000:0000:0000:0000:ffff:255.255.255.255", 8080,
				       NULL, 80, &s, err, sizeof(err)),
			 0);
	assert_int_equal(s.parent_addr.family, AF_INET);
}

static void test_proto(void **state)
{
	static const char *const names[] = {"tcp", "tcp4", "tcp6", "udp", "udp4", "udp6"};
	static const int fam[] = {AF_UNSPEC, AF_INET, AF_INET6, AF_UNSPEC, AF_INET, AF_INET6};
	enum portspec_proto p;
	size_t i;

	(void)state;
	for (i = 0; i < 6; i++) {
		assert_int_equal(portspec_proto_parse(names[i], &p), 0);
		assert_int_equal(p, (enum portspec_proto)i);
		assert_string_equal(portspec_proto_str(p), names[i]);
		assert_int_equal(portspec_proto_family(p), fam[i]);
		assert_int_equal(portspec_proto_socktype(p), i < 3 ? SOCK_STREAM : SOCK_DGRAM);
	}
	assert_int_equal(portspec_proto_parse("sctp", &p), -EINVAL);
	assert_int_equal(portspec_proto_parse("tcp46", &p), -EINVAL);
	assert_int_equal(portspec_proto_parse(NULL, &p), -EINVAL);
	assert_string_equal(portspec_proto_str(PORTSPEC_PROTO_N), "?");
}

/* -p/--publish: every accepted form */
static void test_publish_valid(void **state)
{
	static const struct {
		const char *in;
		enum portspec_proto proto;
		const char *pip;
		int pport;
		const char *cip;
		int cport;
	} rows[] = {
		{"8080:80", PORTSPEC_TCP, "", 8080, "", 80},
		{"8080:80/udp", PORTSPEC_UDP, "", 8080, "", 80},
		{"127.0.0.1:8080:80/tcp", PORTSPEC_TCP, "127.0.0.1", 8080, "", 80},
		{"127.0.0.1:8080:80/tcp4", PORTSPEC_TCP4, "127.0.0.1", 8080, "", 80},
		{"[::1]:8080:80/tcp6", PORTSPEC_TCP6, "::1", 8080, "", 80},
		{"[::1]:8080:80/tcp", PORTSPEC_TCP, "::1", 8080, "", 80},
		{"0.0.0.0:8080:80/tcp", PORTSPEC_TCP, "0.0.0.0", 8080, "", 80},
		{"[::]:8080:80/udp6", PORTSPEC_UDP6, "::", 8080, "", 80},
		{":8080:80/tcp", PORTSPEC_TCP, "", 8080, "", 80},
		{"127.0.0.1:8080:10.0.2.100:80/tcp", PORTSPEC_TCP, "127.0.0.1", 8080, "10.0.2.100",
		 80},
		{"[::1]:8080:[::2]:80/udp", PORTSPEC_UDP, "::1", 8080, "::2", 80},
		{"[127.0.0.1]:8080:80", PORTSPEC_TCP, "127.0.0.1", 8080, "", 80},
		{"1:65535/udp4", PORTSPEC_UDP4, "", 1, "", 65535},
		{"00080:0080", PORTSPEC_TCP, "", 80, "", 80},
	};
	struct portspec s;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		err[0] = '\0';
		if (t_parse_publish(rows[i].in, &s, err, sizeof(err)))
			fail_msg("%s: %s", rows[i].in, err);
		assert_int_equal(s.proto, rows[i].proto);
		assert_string_equal(s.parent_ip, rows[i].pip);
		assert_int_equal(s.parent_port, rows[i].pport);
		assert_string_equal(s.child_ip, rows[i].cip);
		assert_int_equal(s.child_port, rows[i].cport);
	}
}

/* -p/--publish: every malformed form, with its message */
static void test_publish_invalid(void **state)
{
#define FORM                                                                                       \
	"want [PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT[/PROTO], with IPv6 addresses in brackets"
	static const struct {
		const char *in, *want;
	} rows[] = {
		{"", "\"\": " FORM},
		{"8080", "\"8080\": " FORM},
		{"bad", "\"bad\": " FORM},
		{"8080/tcp", "\"8080/tcp\": " FORM},
		{"::1:8080:80/tcp", "\"::1:8080:80/tcp\": " FORM},
		{"1:2:3:4:5", "\"1:2:3:4:5\": " FORM},
		{"[::1:8080:80", "\"[::1:8080:80\": " FORM},
		{"[::1]x:8080:80", "\"[::1]x:8080:80\": " FORM},
		{"::1]:8080:80", "\"::1]:8080:80\": " FORM},
		{"8080:80/sctp",
		 "\"8080:80/sctp\": unknown proto \"sctp\": want one of tcp, tcp4, tcp6, udp, "
		 "udp4, udp6"},
		{"8080:80/", "\"8080:80/\": proto is missing: want one of tcp, tcp4, tcp6, udp, "
			     "udp4, udp6"},
		{"127.0.0.1:8080:80/tcp,127.0.0.1:4040:40/tcp",
		 "\"127.0.0.1:8080:80/tcp,127.0.0.1:4040:40/tcp\": unknown proto "
		 "\"tcp,127.0.0.1:4040:40/tcp\": want one of tcp, tcp4, tcp6, udp, udp4, udp6"},
		{"8080:80/tcp/udp",
		 "\"8080:80/tcp/udp\": unknown proto \"tcp/udp\": want one of tcp, tcp4, tcp6, "
		 "udp, udp4, udp6"},
		{"8080-8081:80", "\"8080-8081:80\": parentPort \"8080-8081\" is not a number (port "
				 "ranges are not supported)"},
		{"abc:80", "\"abc:80\": parentPort \"abc\" is not a number"},
		{"8080:", "\"8080:\": childPort \"\" is not a number"},
		{"8080:+80", "\"8080:+80\": childPort \"+80\" is not a number"},
		{"[8080]:80", "\"[8080]:80\": parentPort \"[8080]\" is not a number"},
		{"70000:80", "\"70000:80\": parentPort 70000 is outside 1..65535"},
		{"99999999999999999999:80",
		 "\"99999999999999999999:80\": parentPort 99999999999999999999 is outside "
		 "1..65535"},
		{"8080:0/udp", "\"8080:0/udp\": childPort 0 is outside 1..65535"},
		{"8080:8080:80", "\"8080:8080:80\": parentIP \"8080\" is not an IP address"},
		{"1.2.3.4.5:8080:80", "\"1.2.3.4.5:8080:80\": parentIP \"1.2.3.4.5\" is not an IP "
				      "address"},
		{"127.0.0.1:8080:10.0.2:80",
		 "\"127.0.0.1:8080:10.0.2:80\": childIP \"10.0.2\" is not an IP address"},
		{"[0000:0000:0000:0000:0000:0000:0000:0000:0000:1]:8080:80",
		 "\"[0000:0000:0000:0000:0000:0000:0000:0000:0000:1]:8080:80\": parentIP "
		 "\"0000:0000:0000:0000:0000:0000:0000:0000:0000:1\" is not an IP address"},
		{"[::1]:8080:80/tcp4",
		 "\"[::1]:8080:80/tcp4\": proto \"tcp4\" needs an IPv4 parentIP, got \"::1\""},
		{"0.0.0.0:8080:80/udp6",
		 "\"0.0.0.0:8080:80/udp6\": proto \"udp6\" needs an IPv6 parentIP, got "
		 "\"0.0.0.0\""},
	};
	struct portspec s;
	char err[256];
	size_t i;

	(void)state;
	memset(&s, 0, sizeof(s));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		err[0] = '\0';
		assert_int_equal(t_parse_publish(rows[i].in, &s, err, sizeof(err)), -EINVAL);
		if (strcmp(err, rows[i].want))
			fail_msg("%s:\n got  %s\n want %s", rows[i].in, err, rows[i].want);
		assert_int_equal(s.parent_port, 0);
	}
	assert_int_equal(t_parse_publish(NULL, &s, err, sizeof(err)), -EINVAL);
#undef FORM
}

static void test_caps_protos(void **state)
{
	const char *out[PORTSPEC_PROTO_N];
	char got[128];
	struct portmap_caps c;
	size_t n, i, off;
	enum drv d;
	/* slirp4netns lists no IPv6 proto even with --ipv6 (portmap.h: "Advertised protos") */
	static const char *const want[] = {"tcp,tcp4,tcp6,udp,udp4,udp6", "tcp,tcp4,udp,udp4",
					   "tcp,tcp4,udp,udp4"};

	(void)state;
	for (d = BI; d <= S6; d++) {
		caps_for(d, &c);
		n = portmap_caps_protos(&c, out);
		for (i = 0, off = 0; i < n; i++)
			off += (size_t)snprintf(got + off, sizeof(got) - off, "%s%s", i ? "," : "",
						out[i]);
		assert_string_equal(got, want[d]);
	}
	/* the list follows the capabilities, not the driver's name */
	caps_for(BI, &c);
	c.udp = false;
	c.v4 = false;
	n = portmap_caps_protos(&c, out);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "tcp");
	assert_string_equal(out[1], "tcp6");
	/* ...while it still serves IPv6 to a request that asks for it */
	caps_for(S6, &c);
	assert_true(c.v6);
	assert_true(c.unlisted_v6);
	assert_false(c.loopback_child); /* disallowLoopbackChildIP */
	assert_string_equal(c.driver, "slirp4netns");
	caps_for(BI, &c);
	assert_true(c.loopback_child);
	assert_string_equal(c.driver, "builtin");
}

/* A driver without a proto, or with only IPv6, refuses and skips accordingly */
static void test_caps_limits(void **state)
{
	struct portmap_caps c;
	struct portspec s;
	struct portmap_plan p;
	char err[256], got[512];

	(void)state;
	caps_for(BI, &c);
	c.udp = false;
	assert_int_equal(t_parse_publish("8080:80/udp", &s, err, sizeof(err)), 0);
	assert_int_equal(t_resolve(&s, &c, &p, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "protocol \"udp\" is not supported by the RootlessKit port driver "
				 "\"builtin\"");
	/* an IPv6-only driver without dual stack skips IPv4 */
	c.v4 = false;
	assert_int_equal(t_parse_publish("8080:80/tcp", &s, err, sizeof(err)), 0);
	assert_int_equal(t_resolve(&s, &c, &p, err, sizeof(err)), 0);
	assert_string_equal(plan_str(&p, got, sizeof(got)),
			    "tcp [::]:8080 -> 127.0.0.1:80 v6only | skip IPv4: protocol \"tcp\" is "
			    "not supported by the RootlessKit port driver \"builtin\", skipping "
			    "request for \"0.0.0.0:8080\"");
	/* a dual-stack driver that cannot join families gets one socket per family */
	caps_for(BI, &c);
	c.cross_family = false;
	assert_int_equal(t_resolve(&s, &c, &p, err, sizeof(err)), 0);
	assert_string_equal(plan_str(&p, got, sizeof(got)),
			    BI_V4 "; tcp [::]:8080 -> [::1]:80 v6only");
}

/* Conflicts: rootlesskit's same-spec rule and bind-time overlaps */
static void test_conflict(void **state)
{
	static const struct {
		const char *a, *b;
		enum drv d;
		const char *why; /* NULL: no conflict */
	} rows[] = {
		/* rootlesskit's rule: same proto, parentIP text and parentPort */
		{"8080:80/tcp", "8080:90/tcp", BI, ""},
		{"10.10.10.10:8080:80/tcp", "10.10.10.10:8080:8080/tcp", S4, ""},
		{"[::1]:8080:80/tcp6", "[::1]:8080:80/tcp6", S4, ""},
		/* bind-time overlaps */
		{"0.0.0.0:8080:80/tcp4", "0.0.0.0:8080:80/tcp", BI,
		 "0.0.0.0:8080 would collide with its listener tcp [::]:8080 -> 127.0.0.1:80 "
		 "(dual-stack)"},
		{"0.0.0.0:8080:80/tcp4", "0.0.0.0:8080:80/tcp", S4,
		 "0.0.0.0:8080 would collide with its listener tcp 0.0.0.0:8080 -> 10.0.2.100:80"},
		{"[::]:8080:80/tcp6", "[::]:8080:80/tcp", BI,
		 "[::]:8080 would collide with its listener tcp [::]:8080 -> [::1]:80 "
		 "(dual-stack)"},
		{"[::]:8080:80/tcp6", "[::]:8080:80/tcp", S6,
		 "[::]:8080 would collide with its listener tcp [::]:8080 -> [fd00::100]:80"},
		{"127.0.0.1:8080:80/tcp4", "0.0.0.0:8080:80/tcp4", S4,
		 "127.0.0.1:8080 would collide with its listener tcp 0.0.0.0:8080 -> "
		 "10.0.2.100:80"},
		{"127.0.0.1:8080:80/tcp4", "8080:80/tcp", BI,
		 "127.0.0.1:8080 would collide with its listener tcp [::]:8080 -> 127.0.0.1:80 "
		 "(dual-stack)"},
		{"8080:80/tcp", "0.0.0.0:8080:80/tcp", BI,
		 "[::]:8080 would collide with its listener tcp [::]:8080 -> 127.0.0.1:80 "
		 "(dual-stack)"},
		{"[::1]:8080:80/tcp", "[::]:8080:80/tcp6", S6,
		 "[::1]:8080 would collide with its listener tcp [::]:8080 -> [fd00::100]:80"},
		{"8080:80/udp", "127.0.0.1:8080:80/udp", S4,
		 "0.0.0.0:8080 would collide with its listener udp 127.0.0.1:8080 -> "
		 "10.0.2.100:80"},
		/* [::] for tcp on a v4-only driver binds only IPv4, which still collides */
		{"[::]:8080:80/tcp", "0.0.0.0:8080:80/tcp4", S4,
		 "0.0.0.0:8080 would collide with its listener tcp 0.0.0.0:8080 -> 10.0.2.100:80"},
		/* no collision */
		{"8080:80/tcp", "8080:80/udp", BI, NULL},
		{"0.0.0.0:8080:80/tcp4", "0.0.0.0:8080:80/udp", S6, NULL},
		{"127.0.0.1:8080:80/tcp4", "127.0.0.2:8080:80/tcp4", BI, NULL},
		{"0.0.0.0:8080:80/tcp4", "[::]:8080:80/tcp6", BI, NULL},
		{"0.0.0.0:8080:80/tcp4", "[::]:8080:80/tcp6", S6, NULL},
		{"[::1]:8080:80/tcp", "0.0.0.0:8080:80/tcp4", BI, NULL},
		{"[::1]:8080:80/tcp", "[::2]:8080:80/tcp", S6, NULL},
		{"8080:80/tcp", "8081:80/tcp", BI, NULL},
		/* a request the driver refuses cannot collide with anything */
		{"8080:80/tcp", "[::]:8080:80/tcp6", S4, NULL},
	};
	struct portspec a, b;
	struct portmap_caps c;
	char err[256], why[256];
	size_t i;
	bool r;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(t_parse_publish(rows[i].a, &a, err, sizeof(err)), 0);
		assert_int_equal(t_parse_publish(rows[i].b, &b, err, sizeof(err)), 0);
		caps_for(rows[i].d, &c);
		strcpy(why, "unset");
		r = t_conflict(&a, &b, &c, why, sizeof(why));
		if (r != !!rows[i].why || (r && strcmp(why, rows[i].why)))
			fail_msg("%s vs %s with %s: got %d \"%s\", want %s", rows[i].a, rows[i].b,
				 drv_names[rows[i].d], r, why, rows[i].why ? rows[i].why : "none");
		if (!r)
			assert_string_equal(why, "");
		/* symmetric */
		assert_int_equal(t_conflict(&b, &a, &c, NULL, 0), r);
	}
}

/* ------------------------------------------------------------------------------------------
 * portmap_binding_overlap() against the kernel: bind (and listen) the first socket, then try
 * the second. TCP listeners use SO_REUSEADDR, as the drivers do; UDP sockets go without it
 * (with it the kernel would let overlapping UDP sockets share a port, which the conflict
 * check refuses anyway). Runs in a new network namespace so nothing binds on the host.
 */
struct kaddr {
	const char *name;
	int family;
	const char *ip;
	bool v6only;
};

static const struct kaddr kaddrs[] = {
	{"0.0.0.0", AF_INET, "0.0.0.0", false},	    {"127.0.0.1", AF_INET, "127.0.0.1", false},
	{"127.0.0.2", AF_INET, "127.0.0.2", false}, {"[::] dual", AF_INET6, "::", false},
	{"[::] v6only", AF_INET6, "::", true},	    {"[::1] v6only", AF_INET6, "::1", true},
	{"[::1]", AF_INET6, "::1", false},
};

static void kbinding(const struct kaddr *k, int socktype, uint16_t port, struct portmap_binding *b)
{
	memset(b, 0, sizeof(*b));
	b->family = k->family;
	b->socktype = socktype;
	b->v6only = k->v6only;
	b->dual = k->family == AF_INET6 && !k->v6only && !strcmp(k->ip, "::");
	if (k->family == AF_INET) {
		b->listen.in.sin_family = AF_INET;
		b->listen.in.sin_port = htons(port);
		assert_int_equal(inet_pton(AF_INET, k->ip, &b->listen.in.sin_addr), 1);
	} else {
		b->listen.in6.sin6_family = AF_INET6;
		b->listen.in6.sin6_port = htons(port);
		assert_int_equal(inet_pton(AF_INET6, k->ip, &b->listen.in6.sin6_addr), 1);
	}
}

/* Returns the fd, or -errno of bind() */
static int kbind(const struct portmap_binding *b)
{
	int fd = socket(b->family, b->socktype | SOCK_CLOEXEC, 0), one = 1, v6only = b->v6only;

	assert_true(fd >= 0);
	if (b->socktype == SOCK_STREAM)
		assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	if (b->family == AF_INET6)
		assert_int_equal(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)),
				 0);
	if (bind(fd, &b->listen.sa, addr_sa_len(&b->listen))) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (b->socktype == SOCK_STREAM)
		assert_int_equal(listen(fd, 1), 0);
	return fd;
}

static int knetns(void)
{
	struct ifreq ifr;
	int fd;

	if (unshare(CLONE_NEWNET) && unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return -errno;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) == 0) {
			close(fd);
			return 0;
		}
	}
	close(fd);
	return -EPERM;
}

static void test_overlap_kernel(void **state)
{
	static const int types[] = {SOCK_STREAM, SOCK_DGRAM};
	size_t i, j, t, checked = 0;
	bool have6;
	int fd;

	(void)state;
	if (knetns()) {
		print_message("cannot make a network namespace: skipping the kernel check\n");
		skip();
	}
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	have6 = fd >= 0;
	if (fd >= 0)
		close(fd);
	for (t = 0; t < 2; t++) {
		for (i = 0; i < sizeof(kaddrs) / sizeof(kaddrs[0]); i++) {
			for (j = 0; j < sizeof(kaddrs) / sizeof(kaddrs[0]); j++) {
				struct portmap_binding a, b;
				union addr_sa sa;
				socklen_t len = sizeof(sa);
				int fa, fb;
				bool want;

				if (!have6 &&
				    (kaddrs[i].family == AF_INET6 || kaddrs[j].family == AF_INET6))
					continue;
				/* the first socket takes a free port; nothing else is here */
				kbinding(&kaddrs[i], types[t], 0, &a);
				fa = kbind(&a);
				assert_true(fa >= 0);
				assert_int_equal(getsockname(fa, &sa.sa, &len), 0);
				kbinding(&kaddrs[i], types[t], ntohs(sa.in.sin_port), &a);
				kbinding(&kaddrs[j], types[t], ntohs(sa.in.sin_port), &b);
				want = portmap_binding_overlap(&a, &b);
				assert_int_equal(portmap_binding_overlap(&b, &a), want);
				fb = kbind(&b);
				if (want != (fb == -EADDRINUSE))
					fail_msg("%s %s then %s: kernel says %s, overlap() says %d",
						 types[t] == SOCK_STREAM ? "tcp" : "udp",
						 kaddrs[i].name, kaddrs[j].name,
						 fb >= 0 ? "ok" : strerror(-fb), want);
				assert_true(fb >= 0 || fb == -EADDRINUSE);
				if (fb >= 0)
					close(fb);
				close(fa);
				checked++;
			}
		}
	}
	assert_true(checked >= 2 * 3 * 3);
	/* another port or another socket type never collides */
	{
		struct portmap_binding a, b;

		kbinding(&kaddrs[0], SOCK_STREAM, 8080, &a);
		kbinding(&kaddrs[0], SOCK_STREAM, 8081, &b);
		assert_false(portmap_binding_overlap(&a, &b));
		kbinding(&kaddrs[3], SOCK_STREAM, 8080, &a);
		kbinding(&kaddrs[1], SOCK_DGRAM, 8080, &b);
		assert_false(portmap_binding_overlap(&a, &b));
		kbinding(&kaddrs[1], SOCK_STREAM, 8080, &b);
		assert_true(portmap_binding_overlap(&a, &b));
	}
}

static void test_format(void **state)
{
	struct portmap_binding b;
	char buf[PORTMAP_FMTLEN], small[8];

	(void)state;
	kbinding(&kaddrs[3], SOCK_DGRAM, 53, &b);
	b.target.in.sin_family = AF_INET;
	b.target.in.sin_port = htons(5353);
	inet_pton(AF_INET, "10.0.2.100", &b.target.in.sin_addr);
	assert_string_equal(portmap_binding_format(&b, buf, sizeof(buf)),
			    "udp [::]:53 -> 10.0.2.100:5353 (dual-stack)");
	assert_int_equal(addr_sa_len(&b.target), sizeof(struct sockaddr_in));
	assert_int_equal(addr_sa_len(&b.listen), sizeof(struct sockaddr_in6));
	/* truncation stays terminated */
	assert_string_equal(portmap_binding_format(&b, small, sizeof(small)), "udp [::");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proto),
		cmocka_unit_test(test_fields_valid),
		cmocka_unit_test(test_fields_invalid),
		cmocka_unit_test(test_publish_valid),
		cmocka_unit_test(test_publish_invalid),
		cmocka_unit_test(test_caps_protos),
		cmocka_unit_test(test_caps_limits),
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_docker28_agnostic),
		cmocka_unit_test(test_docker28_per_binding),
		cmocka_unit_test(test_child_ip),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_overlap_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
