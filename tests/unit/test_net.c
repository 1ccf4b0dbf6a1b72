/* test_net.c - unit tests for the network module's pure logic: flags, netlink, requests */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "conf.h"
#include "loop.h"
#include "net.h"
#include "netns.h"
#include "netproc.h"
#include "nl.h"
#include "usernet.h"

/* --- nl messages --- */

struct attrs {
	const struct nlattr *tb[64];
};

static int collect_cb(const struct nlattr *a, void *data)
{
	struct attrs *at = data;
	int t = mnl_attr_get_type(a);

	if (t >= 0 && t < 64)
		at->tb[t] = a;
	return MNL_CB_OK;
}

static void test_nl_link(void **state)
{
	char buf[512];
	struct attrs at = {0};
	struct nlmsghdr *nlh = nl_msg_link(buf, sizeof(buf), 7, 3, true, 65520, 0);
	struct ifinfomsg *ifi;

	(void)state;
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWLINK);
	assert_int_equal(nlh->nlmsg_seq, 7);
	assert_true(nlh->nlmsg_flags & NLM_F_ACK);
	ifi = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifi->ifi_index, 3);
	assert_int_equal(ifi->ifi_flags & IFF_UP, IFF_UP);
	assert_int_equal(ifi->ifi_change & IFF_UP, IFF_UP);
	mnl_attr_parse(nlh, sizeof(*ifi), collect_cb, &at);
	assert_non_null(at.tb[IFLA_MTU]);
	assert_int_equal(mnl_attr_get_u32(at.tb[IFLA_MTU]), 65520);
	assert_null(at.tb[IFLA_TXQLEN]);

	/* lo up: no MTU attribute */
	memset(&at, 0, sizeof(at));
	nlh = nl_msg_link(buf, sizeof(buf), 8, 1, true, 0, 0);
	mnl_attr_parse(nlh, sizeof(*ifi), collect_cb, &at);
	assert_null(at.tb[IFLA_MTU]);
	assert_null(nl_msg_link(buf, 8, 8, 1, true, 0, 0));
}

static void test_nl_addr(void **state)
{
	char buf[512];
	struct attrs at = {0};
	struct in6_addr a6;
	struct in_addr a4;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	(void)state;
	inet_pton(AF_INET6, "fd00::100", &a6);
	nlh = nl_msg_addr(buf, sizeof(buf), 9, 2, AF_INET6, &a6, 64, IFA_F_NODAD);
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWADDR);
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_family, AF_INET6);
	assert_int_equal(ifa->ifa_prefixlen, 64);
	assert_int_equal(ifa->ifa_index, 2);
	assert_true(ifa->ifa_flags & IFA_F_NODAD);
	mnl_attr_parse(nlh, sizeof(*ifa), collect_cb, &at);
	assert_non_null(at.tb[IFA_LOCAL]);
	assert_int_equal(mnl_attr_get_payload_len(at.tb[IFA_LOCAL]), 16);
	assert_memory_equal(mnl_attr_get_payload(at.tb[IFA_LOCAL]), &a6, 16);
	assert_non_null(at.tb[IFA_FLAGS]);
	assert_int_equal(mnl_attr_get_u32(at.tb[IFA_FLAGS]), IFA_F_NODAD);

	memset(&at, 0, sizeof(at));
	inet_pton(AF_INET, "10.0.2.100", &a4);
	nlh = nl_msg_addr(buf, sizeof(buf), 10, 2, AF_INET, &a4, 24, 0);
	assert_non_null(nlh);
	mnl_attr_parse(nlh, sizeof(*ifa), collect_cb, &at);
	assert_int_equal(mnl_attr_get_payload_len(at.tb[IFA_ADDRESS]), 4);
	assert_memory_equal(mnl_attr_get_payload(at.tb[IFA_ADDRESS]), &a4, 4);
	assert_null(at.tb[IFA_FLAGS]);

	assert_null(nl_msg_addr(buf, sizeof(buf), 11, 2, AF_INET, &a4, 33, 0));
	assert_null(nl_msg_addr(buf, sizeof(buf), 11, 2, AF_UNIX, &a4, 8, 0));
}

static void test_nl_route(void **state)
{
	char buf[512];
	struct attrs at = {0};
	struct in_addr gw;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct nl_route r = {.family = AF_INET, .ifindex = 5, .gw = &gw, .protocol = RTPROT_BOOT};

	(void)state;
	inet_pton(AF_INET, "10.0.2.2", &gw);
	nlh = nl_msg_route(buf, sizeof(buf), 12, RTM_NEWROUTE, &r);
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWROUTE);
	assert_true(nlh->nlmsg_flags & NLM_F_CREATE);
	assert_true(nlh->nlmsg_flags & NLM_F_EXCL);
	assert_false(nlh->nlmsg_flags & NLM_F_REPLACE);
	rtm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(rtm->rtm_dst_len, 0);
	assert_int_equal(rtm->rtm_table, RT_TABLE_MAIN);
	assert_int_equal(rtm->rtm_type, RTN_UNICAST);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(rtm->rtm_protocol, RTPROT_BOOT);
	mnl_attr_parse(nlh, sizeof(*rtm), collect_cb, &at);
	assert_memory_equal(mnl_attr_get_payload(at.tb[RTA_GATEWAY]), &gw, 4);
	assert_int_equal(mnl_attr_get_u32(at.tb[RTA_OIF]), 5);
	assert_null(at.tb[RTA_DST]);
	assert_null(at.tb[RTA_METRICS]);
	/* 0: the kernel's default metric */
	assert_int_equal(mnl_attr_get_u32(at.tb[RTA_PRIORITY]), 0);
}

/* collect the RTAX_* attributes nested in RTA_METRICS */
static int metrics_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(attr) <= RTAX_MAX)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static void test_nl_route_prefix_quickack(void **state)
{
	char buf[512];
	struct attrs at = {0};
	const struct nlattr *mx[RTAX_MAX + 1] = {0};
	struct in6_addr net6;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct nl_route r = {
		.family = AF_INET6,
		.ifindex = 3,
		.dst = &net6,
		.dst_len = 64,
		.priority = 256,
		.protocol = RTPROT_KERNEL,
		.replace = true,
		.quickack = true,
	};

	(void)state;
	inet_pton(AF_INET6, "fd00::", &net6);
	nlh = nl_msg_route(buf, sizeof(buf), 13, RTM_NEWROUTE, &r);
	assert_non_null(nlh);
	assert_true(nlh->nlmsg_flags & NLM_F_REPLACE);
	assert_false(nlh->nlmsg_flags & NLM_F_EXCL);
	rtm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(rtm->rtm_family, AF_INET6);
	assert_int_equal(rtm->rtm_dst_len, 64);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_LINK);
	assert_int_equal(rtm->rtm_protocol, RTPROT_KERNEL);
	mnl_attr_parse(nlh, sizeof(*rtm), collect_cb, &at);
	assert_memory_equal(mnl_attr_get_payload(at.tb[RTA_DST]), &net6, 16);
	assert_null(at.tb[RTA_GATEWAY]);
	assert_int_equal(mnl_attr_get_u32(at.tb[RTA_PRIORITY]), 256);
	assert_int_equal(mnl_attr_get_u32(at.tb[RTA_OIF]), 3);
	assert_non_null(at.tb[RTA_METRICS]);
	mnl_attr_parse_nested(at.tb[RTA_METRICS], metrics_cb, mx);
	assert_non_null(mx[RTAX_QUICKACK]);
	assert_int_equal(mnl_attr_get_u32(mx[RTAX_QUICKACK]), 1);

	/* a prefix longer than the family allows, or a length without a destination */
	r.dst_len = 129;
	assert_null(nl_msg_route(buf, sizeof(buf), 14, RTM_NEWROUTE, &r));
	r.dst_len = 64;
	r.dst = NULL;
	assert_null(nl_msg_route(buf, sizeof(buf), 14, RTM_NEWROUTE, &r));
	r.dst = &net6;
	r.family = AF_UNIX;
	assert_null(nl_msg_route(buf, sizeof(buf), 14, RTM_NEWROUTE, &r));
	r.family = AF_INET6;
	assert_null(nl_msg_route(buf, 32, 14, RTM_NEWROUTE, &r));
	assert_null(nl_msg_route(buf, sizeof(buf), 14, RTM_NEWLINK, &r));
}

static void test_nl_route_local(void **state)
{
	char buf[512];
	struct attrs at = {0};
	struct in6_addr lo6 = IN6ADDR_LOOPBACK_INIT;
	struct in_addr lo4;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct nl_route r = {
		.family = AF_INET,
		.ifindex = 1,
		.table = RT_TABLE_LOCAL,
		.type = RTN_LOCAL,
		.dst = &lo4,
		.dst_len = 8,
		.prefsrc = &lo4,
		.protocol = RTPROT_KERNEL,
		.replace = true,
		.quickack = true,
	};

	(void)state;
	inet_pton(AF_INET, "127.0.0.0", &lo4);
	nlh = nl_msg_route(buf, sizeof(buf), 15, RTM_NEWROUTE, &r);
	assert_non_null(nlh);
	rtm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(rtm->rtm_table, RT_TABLE_LOCAL);
	assert_int_equal(rtm->rtm_type, RTN_LOCAL);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_HOST);
	assert_true(nlh->nlmsg_flags & NLM_F_REPLACE);
	mnl_attr_parse(nlh, sizeof(*rtm), collect_cb, &at);
	assert_memory_equal(mnl_attr_get_payload(at.tb[RTA_PREFSRC]), &lo4, 4);
	assert_non_null(at.tb[RTA_METRICS]);

	/* a deletion: no create/replace flags, no metrics, the protocol to match */
	r = (struct nl_route){.family = AF_INET6,
			      .ifindex = 1,
			      .table = RT_TABLE_LOCAL,
			      .type = RTN_LOCAL,
			      .dst = &lo6,
			      .dst_len = 128,
			      .protocol = RTPROT_KERNEL,
			      .quickack = true};
	memset(&at, 0, sizeof(at));
	nlh = nl_msg_route(buf, sizeof(buf), 16, RTM_DELROUTE, &r);
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_type, RTM_DELROUTE);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	rtm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(rtm->rtm_protocol, RTPROT_KERNEL);
	assert_int_equal(rtm->rtm_dst_len, 128);
	mnl_attr_parse(nlh, sizeof(*rtm), collect_cb, &at);
	assert_memory_equal(mnl_attr_get_payload(at.tb[RTA_DST]), &lo6, 16);
	assert_null(at.tb[RTA_METRICS]);
}

/* a table above 255 travels in RTA_TABLE; rtm_table says RT_TABLE_COMPAT */
static void test_nl_route_big_table(void **state)
{
	char buf[512];
	struct attrs at = {0};
	struct in_addr client, src;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct nl_route r = {
		.family = AF_INET,
		.ifindex = 1,
		.table = 29295,
		.type = RTN_LOCAL,
		.dst = &client,
		.dst_len = 32,
		.prefsrc = &src,
		.replace = true,
	};

	(void)state;
	inet_pton(AF_INET, "198.18.77.2", &client);
	inet_pton(AF_INET, "127.0.0.1", &src);
	nlh = nl_msg_route(buf, sizeof(buf), 17, RTM_NEWROUTE, &r);
	assert_non_null(nlh);
	rtm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(rtm->rtm_table, RT_TABLE_COMPAT);
	mnl_attr_parse(nlh, sizeof(*rtm), collect_cb, &at);
	assert_int_equal(mnl_attr_get_u32(at.tb[RTA_TABLE]), 29295);
	assert_memory_equal(mnl_attr_get_payload(at.tb[RTA_PREFSRC]), &src, 4);
	/* a default route (no destination) of type local: "local default dev lo table N" */
	r.dst = NULL;
	r.dst_len = 0;
	r.prefsrc = NULL;
	memset(&at, 0, sizeof(at));
	nlh = nl_msg_route(buf, sizeof(buf), 18, RTM_NEWROUTE, &r);
	assert_non_null(nlh);
	mnl_attr_parse(nlh, sizeof(*rtm), collect_cb, &at);
	assert_null(at.tb[RTA_DST]);
	assert_int_equal(mnl_attr_get_u32(at.tb[RTA_TABLE]), 29295);
	/* the main table stays in rtm_table alone */
	r.table = 0;
	memset(&at, 0, sizeof(at));
	nlh = nl_msg_route(buf, sizeof(buf), 19, RTM_NEWROUTE, &r);
	rtm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(rtm->rtm_table, RT_TABLE_MAIN);
	mnl_attr_parse(nlh, sizeof(*rtm), collect_cb, &at);
	assert_null(at.tb[RTA_TABLE]);
}

static void test_nl_rule(void **state)
{
	char buf[512];
	struct attrs at = {0};
	struct fib_rule_hdr *frh;
	struct nlmsghdr *nlh;
	struct nl_rule r = {
		.family = AF_INET6,
		.priority = 100,
		.table = 29294,
		.fwmark = 0x2000,
		.fwmask = 0x2000,
	};

	(void)state;
	nlh = nl_msg_rule(buf, sizeof(buf), 20, RTM_NEWRULE, &r);
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWRULE);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	frh = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(frh->family, AF_INET6);
	assert_int_equal(frh->action, FR_ACT_TO_TBL);
	assert_int_equal(frh->table, RT_TABLE_UNSPEC);
	mnl_attr_parse(nlh, sizeof(*frh), collect_cb, &at);
	assert_int_equal(mnl_attr_get_u32(at.tb[FRA_TABLE]), 29294);
	assert_int_equal(mnl_attr_get_u32(at.tb[FRA_PRIORITY]), 100);
	assert_int_equal(mnl_attr_get_u32(at.tb[FRA_FWMARK]), 0x2000);
	assert_int_equal(mnl_attr_get_u32(at.tb[FRA_FWMASK]), 0x2000);
	assert_null(at.tb[FRA_IIFNAME]);
	assert_null(at.tb[FRA_IP_PROTO]);

	/* "iif lo ipproto udp lookup 101": no mark match */
	r = (struct nl_rule){.family = AF_INET,
			     .priority = 101,
			     .table = 101,
			     .iifname = "lo",
			     .ip_proto = IPPROTO_UDP};
	memset(&at, 0, sizeof(at));
	nlh = nl_msg_rule(buf, sizeof(buf), 21, RTM_DELRULE, &r);
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	frh = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(frh->table, 101);
	mnl_attr_parse(nlh, sizeof(*frh), collect_cb, &at);
	assert_null(at.tb[FRA_FWMARK]);
	assert_string_equal(mnl_attr_get_str(at.tb[FRA_IIFNAME]), "lo");
	assert_int_equal(mnl_attr_get_u8(at.tb[FRA_IP_PROTO]), IPPROTO_UDP);

	/* refused: a bad command or family, an interface name too long, a small buffer */
	assert_null(nl_msg_rule(buf, sizeof(buf), 22, RTM_NEWROUTE, &r));
	r.family = AF_UNIX;
	assert_null(nl_msg_rule(buf, sizeof(buf), 22, RTM_NEWRULE, &r));
	r.family = AF_INET;
	r.iifname = "a-name-longer-than-ifnamsiz";
	assert_null(nl_msg_rule(buf, sizeof(buf), 22, RTM_NEWRULE, &r));
	r.iifname = "lo";
	assert_null(nl_msg_rule(buf, 32, 22, RTM_NEWRULE, &r));
}

static void test_net_tap_quickack(void **state)
{
	(void)state;
	/* the default MTU: one segment fills libslirp's 64 KiB window */
	assert_true(netns_tap_quickack(65520));
	assert_true(netns_tap_quickack(16000));
	/* 65535 / 10923 = 5 segments; 65535 / 10922 = 6 */
	assert_true(netns_tap_quickack(10963));
	assert_false(netns_tap_quickack(10962));
	assert_false(netns_tap_quickack(9000));
	assert_false(netns_tap_quickack(1500));
	assert_false(netns_tap_quickack(40));
	assert_false(netns_tap_quickack(0));
}

/**
 * put_ack() - Build an NLMSG_ERROR as the kernel does with NETLINK_CAP_ACK/EXT_ACK
 * @buf:	buffer
 * @seq:	sequence number
 * @error:	0 or -errno
 * @msg:	extended ACK message, or NULL
 *
 * Return: message length
 */
static size_t put_ack(char *buf, unsigned int seq, int error, const char *msg)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	memset(buf, 0, 512);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg.nlmsg_len = 64; /* the request's length: capped, not copied */
	e->msg.nlmsg_seq = seq;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	return nlh->nlmsg_len;
}

static void test_nl_ack(void **state)
{
	char buf[1024], msg[NL_ERRMSG_MAX];
	size_t len;

	(void)state;
	len = put_ack(buf, 5, -EEXIST, "Address already assigned");
	assert_int_equal(nl_ack_parse(buf, len, 5, 0, msg, sizeof(msg)), -EEXIST);
	assert_string_equal(msg, "Address already assigned");

	/* another request's ACK is skipped */
	assert_int_equal(nl_ack_parse(buf, len, 6, 0, msg, sizeof(msg)), 1);
	assert_string_equal(msg, "");

	len = put_ack(buf, 7, 0, NULL);
	assert_int_equal(nl_ack_parse(buf, len, 7, 0, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "");

	len = put_ack(buf, 8, -EINVAL, NULL);
	assert_int_equal(nl_ack_parse(buf, len, 8, 0, msg, sizeof(msg)), -EINVAL);

	/* truncated */
	len = put_ack(buf, 9, -EINVAL, "x");
	assert_int_equal(nl_ack_parse(buf, 10, 9, 0, msg, sizeof(msg)), -EBADMSG);
}

/* a header claiming nearly 4 GiB is cut, not a step to the next message 4 GiB away */
static void test_nl_ack_huge_len(void **state)
{
	char msg[NL_ERRMSG_MAX];
	union {
		struct nlmsghdr h;
		char buf[64];
	} u;

	(void)state;
	memset(&u, 0, sizeof(u));
	u.h.nlmsg_len = 0xfffffff0;
	u.h.nlmsg_type = NLMSG_ERROR;
	u.h.nlmsg_seq = 99;
	assert_int_equal(nl_ack_parse(u.buf, 36, 5, 0, msg, sizeof(msg)), -EBADMSG);
	u.h.nlmsg_len = 0x80000000;
	assert_int_equal(nl_ack_parse(u.buf, 36, 5, 0, msg, sizeof(msg)), -EBADMSG);
}

/* an extended ACK message is read within nlmsg_len, not up to its aligned end */
static void test_nl_ack_unaligned_end(void **state)
{
	char buf[1024], msg[NL_ERRMSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	size_t len;

	(void)state;
	len = put_ack(buf, 5, -EEXIST, "abc");
	assert_int_equal(len % 4, 0);
	assert_int_equal(nl_ack_parse(buf, len, 5, 0, msg, sizeof(msg)), -EEXIST);
	assert_string_equal(msg, "abc");
	/* the message ends 2 bytes into the attribute's last 4: the string is not in it */
	nlh->nlmsg_len = (uint32_t)len - 2;
	assert_int_equal(nl_ack_parse(buf, len - 2, 5, 0, msg, sizeof(msg)), -EEXIST);
	assert_string_equal(msg, "");
}

/* a batch's ACKs: counted by sequence number, the first error kept with its message */
static void test_nl_acks(void **state)
{
	char buf[2048], msg[NL_ERRMSG_MAX];
	unsigned int seen = 0;
	size_t len = 0;

	(void)state;
	len += put_ack(buf + len, 40, 0, NULL);
	len += put_ack(buf + len, 41, 0, NULL);
	len += put_ack(buf + len, 99, -EPERM, "not ours"); /* another request's: skipped */
	assert_int_equal(nl_acks_parse(buf, len, 40, 3, 0, &seen, msg, sizeof(msg)), 0);
	assert_int_equal(seen, 2);

	len = put_ack(buf, 42, -EOPNOTSUPP, "Unknown expression");
	len += put_ack(buf + len, 43, -ENOENT, "second");
	assert_int_equal(nl_acks_parse(buf, len, 40, 4, 0, &seen, msg, sizeof(msg)), -EOPNOTSUPP);
	assert_string_equal(msg, "Unknown expression");
	assert_int_equal(seen, 4);

	/* sequence numbers that wrap around */
	seen = 0;
	len = put_ack(buf, 0xffffffffu, 0, NULL);
	len += put_ack(buf + len, 0, 0, NULL);
	assert_int_equal(nl_acks_parse(buf, len, 0xffffffffu, 2, 0, &seen, NULL, 0), 0);
	assert_int_equal(seen, 2);

	/* truncated */
	assert_int_equal(nl_acks_parse(buf, 10, 0xffffffffu, 2, 0, &seen, NULL, 0), -EBADMSG);
}

/* --- netproc requests --- */

static void fill_v4(struct sockaddr_storage *ss, uint32_t *len, const char *a, int port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, a, &sin->sin_addr);
	*len = sizeof(*sin);
}

static void test_req_check(void **state)
{
	struct netproc_req r = {.op = NETPROC_OP_HOSTFWD_ADD, .flags = NETPROC_F_UDP};

	(void)state;
	fill_v4(&r.host, &r.hlen, "127.0.0.1", 8080);
	fill_v4(&r.guest, &r.glen, "0.0.0.0", 80);
	assert_int_equal(netproc_req_check(&r, sizeof(r)), 0);
	assert_int_equal(netproc_req_check(&r, sizeof(r) - 1), -EINVAL);
	r.flags = 0x80;
	assert_int_equal(netproc_req_check(&r, sizeof(r)), -EINVAL);
	r.flags = NETPROC_F_V6ONLY;
	r.op = NETPROC_OP_READY;
	assert_int_equal(netproc_req_check(&r, sizeof(r)), -EINVAL);
	r.op = NETPROC_OP_HOSTFWD_ADD;
	r.hlen = sizeof(struct sockaddr_in6);
	assert_int_equal(netproc_req_check(&r, sizeof(r)), -EINVAL);
	r.hlen = sizeof(struct sockaddr_in);
	r.guest.ss_family = AF_UNIX;
	assert_int_equal(netproc_req_check(&r, sizeof(r)), -EAFNOSUPPORT);
	/* removing needs no guest */
	r.op = NETPROC_OP_HOSTFWD_REMOVE;
	r.glen = 0;
	assert_int_equal(netproc_req_check(&r, sizeof(r)), 0);
}

/* What netproc_wait_ready() makes of a READY record carrying @ret */
static int ready_with(int32_t ret)
{
	struct netproc_resp r = {.seq = 0, .op = NETPROC_OP_READY, .ret = ret};
	int sv[2], got;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(send(sv[0], &r, sizeof(r), 0), sizeof(r));
	got = netproc_wait_ready(sv[1], 0);
	close(sv[0]);
	close(sv[1]);
	return got;
}

/* the parent takes only 0 or a -errno from the sandboxed network process */
static void test_ready_ret(void **state)
{
	(void)state;
	assert_int_equal(ready_with(0), 0);
	assert_int_equal(ready_with(-ENOMEM), -ENOMEM);
	assert_int_equal(ready_with(5), -EPROTO);
	assert_int_equal(ready_with(-4096), -EPROTO);
	assert_int_equal(ready_with(INT32_MIN), -EPROTO);
}

/* --- libslirp configuration --- */

static void test_slirp_config(void **state)
{
	struct conf c = {.net = CONF_NET_SLIRP4NETNS, .ipv6 = true};
	struct usernet_conf uc = {.mtu = 65520, .ipv6 = true, .disable_host_loopback = true};
	struct cli_result res;
	SlirpConfig cfg;
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	assert_int_equal(conf_derive(&c, &res), 0);
	uc.topo = c.topo;
	conf_free(&c);
	usernet_slirp_config(&uc, &cfg);
	assert_true(cfg.version >= 1);
	assert_true(cfg.in_enabled);
	assert_true(cfg.in6_enabled);
	assert_string_equal(inet_ntop(AF_INET, &cfg.vnetwork, buf, sizeof(buf)), "10.0.2.0");
	assert_string_equal(inet_ntop(AF_INET, &cfg.vnetmask, buf, sizeof(buf)), "255.255.255.0");
	assert_string_equal(inet_ntop(AF_INET, &cfg.vhost, buf, sizeof(buf)), "10.0.2.2");
	assert_string_equal(inet_ntop(AF_INET, &cfg.vnameserver, buf, sizeof(buf)), "10.0.2.3");
	assert_string_equal(inet_ntop(AF_INET, &cfg.vdhcp_start, buf, sizeof(buf)), "10.0.2.15");
	assert_string_equal(inet_ntop(AF_INET6, &cfg.vhost6, buf, sizeof(buf)), "fd00::2");
	assert_string_equal(inet_ntop(AF_INET6, &cfg.vnameserver6, buf, sizeof(buf)), "fd00::3");
	assert_string_equal(inet_ntop(AF_INET6, &cfg.vprefix_addr6, buf, sizeof(buf)), "fd00::");
	assert_int_equal(cfg.vprefix_len, 64);
	assert_int_equal(cfg.if_mtu, 65520);
	assert_int_equal(cfg.if_mru, 65520);
	assert_true(cfg.disable_host_loopback);
}

/* --- the stack on a stand-in tap (a datagram socketpair: one frame per message) --- */

struct stack {
	struct loop *l;
	struct usernet *u;
	int peer;
};

static void stack_up(struct stack *st, bool ipv6)
{
	struct conf c = {.net = CONF_NET_SLIRP4NETNS, .ipv6 = ipv6};
	struct usernet_conf uc = {.mtu = 65520, .ipv6 = ipv6};
	struct cli_result res;
	int sp[2];

	assert_int_equal(conf_derive(&c, &res), 0);
	uc.topo = c.topo;
	conf_free(&c);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp), 0);
	assert_int_equal(loop_new(&st->l), 0);
	assert_int_equal(usernet_start(&uc, st->l, sp[0], &st->u), 0);
	st->peer = sp[1];
}

static void stack_down(struct stack *st)
{
	usernet_free(st->u);
	loop_free(st->l);
	close(st->peer);
}

static void test_usernet_arp(void **state)
{
	/* who has 10.0.2.2? tell 10.0.2.100 */
	static const uint8_t req[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x64, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 6,    4,    0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x64,
		10,   0,    2,	  100,	0,    0,    0,	  0,	0,    0,    10,	  0,	2,    2,
	};
	struct stack st;
	uint8_t buf[2048];
	ssize_t n = -1;

	(void)state;
	stack_up(&st, false);
	assert_int_equal(write(st.peer, req, sizeof(req)), sizeof(req));
	for (int i = 0; i < 20 && n < 0; i++) {
		struct pollfd pfd = {.fd = st.peer, .events = POLLIN};

		assert_true(loop_run_once(st.l, 50) >= 0);
		if (poll(&pfd, 1, 0) == 1)
			n = read(st.peer, buf, sizeof(buf));
	}
	assert_true(n >= 42);
	assert_int_equal(buf[12], 0x08); /* ARP */
	assert_int_equal(buf[13], 0x06);
	assert_int_equal(buf[21], 2);		    /* reply */
	assert_memory_equal(buf, req + 6, 6);	    /* to us */
	assert_memory_equal(buf + 28, req + 38, 4); /* 10.0.2.2 is at ... */
	assert_int_equal(usernet_stats(st.u)->rx_frames, 1);
	assert_true(usernet_stats(st.u)->tx_frames >= 1);
	stack_down(&st);
}

/**
 * free_port() - A TCP port free on 127.0.0.1 right now (removal matches the exact port)
 *
 * Return: the port
 */
static uint16_t free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void test_usernet_hostfwd(void **state)
{
	struct sockaddr_in h = {.sin_family = AF_INET}, g = {.sin_family = AF_INET};
	struct sockaddr_in6 h6 = {.sin6_family = AF_INET6};
	struct stack st;

	(void)state;
	stack_up(&st, false);
	inet_pton(AF_INET, "127.0.0.1", &h.sin_addr);
	h.sin_port = htons(free_port());
	g.sin_port = htons(80);
	assert_int_equal(usernet_pending(st.u), 0);
	assert_int_equal(usernet_hostfwd(st.u, true, false, (struct sockaddr *)&h, sizeof(h),
					 (struct sockaddr *)&g, sizeof(g), false),
			 0);
	/* a listener is nothing pending */
	assert_int_equal(usernet_pending(st.u), 0);
	assert_int_equal(usernet_hostfwd(st.u, false, false, (struct sockaddr *)&h, sizeof(h), NULL,
					 0, false),
			 0);
	assert_int_equal(usernet_hostfwd(st.u, false, false, (struct sockaddr *)&h, sizeof(h), NULL,
					 0, false),
			 -ENOENT);
	/* IPv6 without --ipv6; mixed families */
	h6.sin6_addr = in6addr_loopback;
	assert_int_equal(usernet_hostfwd(st.u, true, false, (struct sockaddr *)&h6, sizeof(h6),
					 (struct sockaddr *)&g, sizeof(g), true),
			 -EAFNOSUPPORT);
	stack_down(&st);
	stack_up(&st, true);
	assert_int_equal(usernet_hostfwd(st.u, true, false, (struct sockaddr *)&h6, sizeof(h6),
					 (struct sockaddr *)&g, sizeof(g), true),
			 -EINVAL);
	stack_down(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nl_link),
		cmocka_unit_test(test_nl_addr),
		cmocka_unit_test(test_nl_route),
		cmocka_unit_test(test_nl_route_prefix_quickack),
		cmocka_unit_test(test_nl_route_local),
		cmocka_unit_test(test_nl_route_big_table),
		cmocka_unit_test(test_nl_rule),
		cmocka_unit_test(test_net_tap_quickack),
		cmocka_unit_test(test_nl_ack),
		cmocka_unit_test(test_nl_ack_huge_len),
		cmocka_unit_test(test_nl_ack_unaligned_end),
		cmocka_unit_test(test_nl_acks),
		cmocka_unit_test(test_req_check),
		cmocka_unit_test(test_ready_ret),
		cmocka_unit_test(test_slirp_config),
		cmocka_unit_test(test_usernet_arp),
		cmocka_unit_test(test_usernet_hostfwd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
