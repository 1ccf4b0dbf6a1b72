/* nl.c - rtnetlink over libmnl: link up and MTU, addresses, routes, rules, with the kernel's messages */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "nl.h"

/* a reply we did not ask for is skipped; this bounds how many before giving up */
#define NL_RECV_MAX 64
/* requests are small; acks of them too (NETLINK_CAP_ACK) */
#define NL_BUF_SIZE 8192
/* the kernel answers a request before sendmsg() returns; this bounds a wait that is never due */
#define NL_RECV_TIMEOUT_S 2

/**
 * nl_setup() - Bind a libmnl socket and ask for extended ACK messages
 * @nl:		state to fill, nl->sk set
 *
 * Return: 0 or -errno (nl->sk is closed then)
 */
static int nl_setup(struct nl *nl)
{
	struct timeval tv = {.tv_sec = NL_RECV_TIMEOUT_S};
	int one = 1;

	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		int ret = -errno;

		mnl_socket_close(nl->sk);
		nl->sk = NULL;
		return ret;
	}
	/* best effort: old kernels lack them, and then errors come without a message */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (unsigned int)time(NULL);
	return 0;
}

/**
 * nl_open() - Open an rtnetlink socket that reports extended ACK messages
 * @nl:		state to fill
 *
 * Return: 0 or -errno
 */
int nl_open(struct nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->sk = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sk)
		return -errno;
	return nl_setup(nl);
}

/**
 * nl_adopt() - Use an rtnetlink socket made elsewhere, in another network namespace
 * @nl:		state to fill
 * @fd:		unbound NETLINK_ROUTE socket, owned by @nl from now on (closed on failure)
 *
 * A netlink socket speaks to the namespace it was created in, wherever its fd goes: a
 * process outside can configure a namespace with one made inside (nshelper.c), if it has
 * CAP_NET_ADMIN over that namespace.
 *
 * Return: 0 or -errno
 */
int nl_adopt(struct nl *nl, int fd)
{
	memset(nl, 0, sizeof(*nl));
	nl->sk = mnl_socket_fdopen(fd);
	if (!nl->sk) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return nl_setup(nl);
}

/**
 * nl_close() - Close the socket
 * @nl:		state from nl_open(), or zeroed
 *
 * Return: nothing
 */
void nl_close(struct nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

/**
 * nl_errmsg() - The kernel's message about the last failed request
 * @nl:		state
 *
 * Return: the message, "" when the kernel gave none
 */
const char *nl_errmsg(const struct nl *nl)
{
	return nl->errmsg;
}

/**
 * nl_msg_link() - Build RTM_NEWLINK changing an existing link
 * @buf:	buffer (a few hundred bytes are plenty)
 * @size:	its size
 * @seq:	sequence number
 * @ifindex:	interface index
 * @up:		set IFF_UP
 * @mtu:	IFLA_MTU, 0 to leave it
 * @txqlen:	IFLA_TXQLEN, 0 to leave it
 *
 * Return: the message, or NULL if @buf is too small
 */
struct nlmsghdr *nl_msg_link(void *buf, size_t size, unsigned int seq, int ifindex, bool up,
			     unsigned int mtu, unsigned int txqlen)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (size < MNL_ALIGN(sizeof(*nlh)) + MNL_ALIGN(sizeof(*ifi)) + 2 * MNL_ATTR_HDRLEN + 8)
		return NULL;
	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (up) {
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	if (txqlen)
		mnl_attr_put_u32(nlh, IFLA_TXQLEN, txqlen);
	return nlh;
}

/**
 * nl_addr_len() - Address length for a family
 * @family:	AF_INET or AF_INET6
 *
 * Return: 4, 16, or 0 for another family
 */
static size_t nl_addr_len(int family)
{
	if (family == AF_INET)
		return sizeof(struct in_addr);
	if (family == AF_INET6)
		return sizeof(struct in6_addr);
	return 0;
}

/**
 * nl_msg_addr() - Build RTM_NEWADDR
 * @buf:	buffer
 * @size:	its size
 * @seq:	sequence number
 * @ifindex:	interface index
 * @family:	AF_INET or AF_INET6
 * @addr:	struct in_addr or struct in6_addr
 * @prefix:	prefix length
 * @flags:	IFA_F_* flags (IFA_F_NODAD for an address usable at once)
 *
 * Return: the message, or NULL for a bad family, prefix or a small buffer
 */
struct nlmsghdr *nl_msg_addr(void *buf, size_t size, unsigned int seq, int ifindex, int family,
			     const void *addr, unsigned int prefix, uint32_t flags)
{
	size_t alen = nl_addr_len(family);
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	if (!alen || prefix > alen * 8)
		return NULL;
	if (size < MNL_ALIGN(sizeof(*nlh)) + MNL_ALIGN(sizeof(*ifa)) +
			   2 * (MNL_ATTR_HDRLEN + MNL_ALIGN(alen)) + MNL_ATTR_HDRLEN + 4)
		return NULL;
	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (unsigned char)family;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_flags = (unsigned char)(flags & 0xff);
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned int)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	if (flags)
		mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	return nlh;
}

/**
 * nl_msg_route() - Build RTM_NEWROUTE or RTM_DELROUTE
 * @buf:	buffer
 * @size:	its size
 * @seq:	sequence number
 * @cmd:	RTM_NEWROUTE or RTM_DELROUTE
 * @r:		the route
 *
 * A local route has host scope, a route with a gateway universe scope, one without
 * (on-link) link scope. With @r->quickack the route carries RTAX_QUICKACK: TCP connections
 * over it acknowledge every segment at once instead of delaying the acknowledgement.
 *
 * Return: the message, or NULL for a bad command, family or prefix, or a small buffer
 */
struct nlmsghdr *nl_msg_route(void *buf, size_t size, unsigned int seq, uint16_t cmd,
			      const struct nl_route *r)
{
	size_t alen = nl_addr_len(r->family);
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	uint32_t table;

	if (cmd != RTM_NEWROUTE && cmd != RTM_DELROUTE)
		return NULL;
	if (!alen || r->dst_len > alen * 8 || (!r->dst && r->dst_len))
		return NULL;
	if (size < MNL_ALIGN(sizeof(*nlh)) + MNL_ALIGN(sizeof(*rtm)) +
			   3 * (MNL_ATTR_HDRLEN + MNL_ALIGN(alen)) + 5 * (MNL_ATTR_HDRLEN + 4))
		return NULL;
	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = cmd;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (cmd == RTM_NEWROUTE)
		nlh->nlmsg_flags |= NLM_F_CREATE | (r->replace ? NLM_F_REPLACE : NLM_F_EXCL);
	nlh->nlmsg_seq = seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)r->family;
	rtm->rtm_dst_len = (unsigned char)r->dst_len;
	table = r->table ? r->table : RT_TABLE_MAIN;
	/* a table id above 255 only fits RTA_TABLE; rtm_table then says RT_TABLE_COMPAT */
	rtm->rtm_table = table < 256 ? (unsigned char)table : RT_TABLE_COMPAT;
	rtm->rtm_protocol = r->protocol;
	rtm->rtm_type = r->type ? r->type : RTN_UNICAST;
	if (rtm->rtm_type == RTN_LOCAL)
		rtm->rtm_scope = RT_SCOPE_HOST;
	else
		rtm->rtm_scope = r->gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	if (r->dst)
		mnl_attr_put(nlh, RTA_DST, alen, r->dst);
	if (r->gw)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, r->gw);
	if (r->prefsrc)
		mnl_attr_put(nlh, RTA_PREFSRC, alen, r->prefsrc);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, r->priority);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)r->ifindex);
	if (table >= 256)
		mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (r->quickack && cmd == RTM_NEWROUTE) {
		struct nlattr *metrics = mnl_attr_nest_start(nlh, RTA_METRICS);

		mnl_attr_put_u32(nlh, RTAX_QUICKACK, 1);
		mnl_attr_nest_end(nlh, metrics);
	}
	return nlh;
}

/**
 * nl_msg_rule() - Build RTM_NEWRULE or RTM_DELRULE
 * @buf:	buffer
 * @size:	its size
 * @seq:	sequence number
 * @cmd:	RTM_NEWRULE or RTM_DELRULE
 * @r:		the rule: a lookup in @r->table for what it matches
 *
 * Return: the message, or NULL for a bad command or family, or a small buffer
 */
struct nlmsghdr *nl_msg_rule(void *buf, size_t size, unsigned int seq, uint16_t cmd,
			     const struct nl_rule *r)
{
	size_t ifname_len = r->iifname ? strlen(r->iifname) + 1 : 0;
	struct fib_rule_hdr *frh;
	struct nlmsghdr *nlh;

	if ((cmd != RTM_NEWRULE && cmd != RTM_DELRULE) || !nl_addr_len(r->family) ||
	    ifname_len > IFNAMSIZ)
		return NULL;
	if (size < MNL_ALIGN(sizeof(*nlh)) + MNL_ALIGN(sizeof(*frh)) + 5 * (MNL_ATTR_HDRLEN + 4) +
			   MNL_ATTR_HDRLEN + MNL_ALIGN(IFNAMSIZ))
		return NULL;
	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = cmd;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (cmd == RTM_NEWRULE)
		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	nlh->nlmsg_seq = seq;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = (unsigned char)r->family;
	frh->action = FR_ACT_TO_TBL;
	frh->table = r->table < 256 ? (unsigned char)r->table : RT_TABLE_UNSPEC;
	mnl_attr_put_u32(nlh, FRA_TABLE, r->table);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, r->priority);
	if (r->fwmask) {
		mnl_attr_put_u32(nlh, FRA_FWMARK, r->fwmark);
		mnl_attr_put_u32(nlh, FRA_FWMASK, r->fwmask);
	}
	if (r->iifname)
		mnl_attr_put_strz(nlh, FRA_IIFNAME, r->iifname);
	if (r->ip_proto)
		mnl_attr_put_u8(nlh, FRA_IP_PROTO, r->ip_proto);
	return nlh;
}

/**
 * nl_ack_attr_cb() - Pick NLMSGERR_ATTR_MSG out of an extended ACK
 * @attr:	attribute
 * @data:	char buffer of NL_ERRMSG_MAX bytes
 *
 * Return: MNL_CB_OK
 */
static int nl_ack_attr_cb(const struct nlattr *attr, void *data)
{
	char *msg = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(msg, NL_ERRMSG_MAX, "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/**
 * nl_msg_ok() - Whether a whole message starts at @nlh, as the kernel's NLMSG_OK() decides
 * @nlh:	header
 * @len:	bytes left in the buffer
 *
 * libmnl 1.0.4's mnl_nlmsg_ok() compares the claimed length as a signed int: a header
 * claiming 2 GiB or more passed, and the next message was looked for gigabytes away.
 *
 * Return: true if the header, and the length it claims, fit in @len
 */
static bool nl_msg_ok(const struct nlmsghdr *nlh, int len)
{
	return len >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned int)len;
}

/**
 * nl_ack_one() - The errno and message of one NLMSG_ERROR message
 * @nlh:	the message, whole (nl_msg_ok())
 * @msg:	set to the kernel's extended ACK message, or "" (NL_ERRMSG_MAX bytes)
 *
 * Return: 0 for a positive ACK, the kernel's -errno, or -EBADMSG for a malformed one
 */
static int nl_ack_one(const struct nlmsghdr *nlh, char *msg)
{
	const struct nlmsgerr *e;

	msg[0] = '\0';
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -EBADMSG;
	e = mnl_nlmsg_get_payload(nlh);
	if (e->error > 0 || e->error < -4095)
		return -EBADMSG;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		size_t off = sizeof(*e);

		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		off = MNL_ALIGN(off);
		/*
		 * Within nlmsg_len itself: mnl_attr_parse() goes to its aligned end, up to 3
		 * bytes past a buffer that ends with an unaligned message.
		 */
		if (mnl_nlmsg_size(off) <= nlh->nlmsg_len)
			mnl_attr_parse_payload((const char *)mnl_nlmsg_get_payload(nlh) + off,
					       nlh->nlmsg_len - mnl_nlmsg_size(off), nl_ack_attr_cb,
					       msg);
	}
	return e->error;
}

/**
 * nl_ack_parse() - Find the ACK for a request in a received buffer
 * @buf:	what recv() returned
 * @len:	its length
 * @seq:	the request's sequence number
 * @portid:	our port id (0 matches any)
 * @msg:	set to the kernel's extended ACK message, or "" (may be NULL)
 * @msgsize:	size of @msg, at most NL_ERRMSG_MAX is used
 *
 * Return: 0 for a positive ACK, -errno for the kernel's error, 1 if @buf holds no ACK for
 * @seq (read again), -EBADMSG for a truncated message
 */
int nl_ack_parse(const void *buf, size_t len, unsigned int seq, unsigned int portid, char *msg,
		 size_t msgsize)
{
	const struct nlmsghdr *nlh = buf;
	int n = (int)len;

	if (msg && msgsize)
		msg[0] = '\0';
	for (; nl_msg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		char tmp[NL_ERRMSG_MAX];
		int ret;

		if (nlh->nlmsg_seq != seq || (portid && nlh->nlmsg_pid && nlh->nlmsg_pid != portid))
			continue;
		if (nlh->nlmsg_type != NLMSG_ERROR)
			continue;
		ret = nl_ack_one(nlh, tmp);
		if (ret != -EBADMSG && msg && msgsize)
			snprintf(msg, msgsize, "%s", tmp);
		return ret;
	}
	return n == 0 ? 1 : -EBADMSG;
}

/**
 * nl_acks_parse() - Count the ACKs of a batch of requests in a received buffer
 * @buf:	what recv() returned
 * @len:	its length
 * @seq:	sequence number of the batch's first request
 * @count:	number of requests, sequence numbers @seq to @seq + @count - 1
 * @portid:	our port id (0 matches any)
 * @seen:	ACKs of the batch seen so far, increased by those in @buf
 * @msg:	set to the kernel's message for the first error, if it gave one (may be NULL)
 * @msgsize:	size of @msg, at most NL_ERRMSG_MAX is used
 *
 * Return: 0 if every ACK in @buf is positive, the first -errno the kernel sent back, or
 * -EBADMSG for a truncated message
 */
int nl_acks_parse(const void *buf, size_t len, unsigned int seq, unsigned int count,
		  unsigned int portid, unsigned int *seen, char *msg, size_t msgsize)
{
	const struct nlmsghdr *nlh = buf;
	int n = (int)len, first = 0;

	for (; nl_msg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		char tmp[NL_ERRMSG_MAX];
		int ret;

		if (nlh->nlmsg_seq - seq >= count ||
		    (portid && nlh->nlmsg_pid && nlh->nlmsg_pid != portid) ||
		    nlh->nlmsg_type != NLMSG_ERROR)
			continue;
		ret = nl_ack_one(nlh, tmp);
		if (ret == -EBADMSG)
			return ret;
		(*seen)++;
		if (ret && !first) {
			first = ret;
			if (msg && msgsize)
				snprintf(msg, msgsize, "%s", tmp);
		}
	}
	if (n != 0)
		return -EBADMSG;
	return first;
}

/**
 * nl_request() - Send a request and wait for its ACK
 * @nl:		socket
 * @nlh:	request with NLM_F_ACK and nl->seq as sequence number
 *
 * Return: 0, or -errno (the kernel's message is in nl->errmsg)
 */
static int nl_request(struct nl *nl, struct nlmsghdr *nlh)
{
	char buf[NL_BUF_SIZE];

	nl->errmsg[0] = '\0';
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (int i = 0; i < NL_RECV_MAX; i++) {
		ssize_t n = mnl_socket_recvfrom(nl->sk, buf, sizeof(buf));
		int ret;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
		}
		ret = nl_ack_parse(buf, (size_t)n, nlh->nlmsg_seq, nl->portid, nl->errmsg,
				   sizeof(nl->errmsg));
		if (ret <= 0)
			return ret;
	}
	return -ETIMEDOUT;
}

/**
 * nl_link_set() - Bring a link up and set its MTU and queue length
 * @nl:		socket
 * @ifindex:	interface index
 * @up:		bring it up
 * @mtu:	MTU, 0 to leave it
 * @txqlen:	transmit queue length, 0 to leave it
 *
 * Return: 0 or -errno (message in nl_errmsg())
 */
int nl_link_set(struct nl *nl, int ifindex, bool up, unsigned int mtu, unsigned int txqlen)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *nlh = nl_msg_link(buf, sizeof(buf), ++nl->seq, ifindex, up, mtu, txqlen);

	if (!nlh)
		return -EINVAL;
	return nl_request(nl, nlh);
}

/**
 * nl_addr_add() - Add an address to a link
 * @nl:		socket
 * @ifindex:	interface index
 * @family:	AF_INET or AF_INET6
 * @addr:	the address
 * @prefix:	prefix length
 * @flags:	IFA_F_* flags
 *
 * Return: 0 or -errno (message in nl_errmsg())
 */
int nl_addr_add(struct nl *nl, int ifindex, int family, const void *addr, unsigned int prefix,
		uint32_t flags)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *nlh =
		nl_msg_addr(buf, sizeof(buf), ++nl->seq, ifindex, family, addr, prefix, flags);

	if (!nlh)
		return -EINVAL;
	return nl_request(nl, nlh);
}

/**
 * nl_route_add() - Add a route, or replace the one with the same key
 * @nl:		socket
 * @r:		the route (@r->replace: replace instead of failing with -EEXIST)
 *
 * Return: 0 or -errno (message in nl_errmsg())
 */
int nl_route_add(struct nl *nl, const struct nl_route *r)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *nlh = nl_msg_route(buf, sizeof(buf), ++nl->seq, RTM_NEWROUTE, r);

	if (!nlh)
		return -EINVAL;
	return nl_request(nl, nlh);
}

/**
 * nl_route_del() - Delete a route
 * @nl:		socket
 * @r:		the route (@r->protocol, if set, must match too)
 *
 * Return: 0 or -errno (message in nl_errmsg())
 */
int nl_route_del(struct nl *nl, const struct nl_route *r)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *nlh = nl_msg_route(buf, sizeof(buf), ++nl->seq, RTM_DELROUTE, r);

	if (!nlh)
		return -EINVAL;
	return nl_request(nl, nlh);
}

/**
 * nl_rule_add() - Add a policy routing rule
 * @nl:		socket
 * @r:		the rule
 *
 * Return: 0, -EEXIST if the same rule is there, or another -errno (message in nl_errmsg())
 */
int nl_rule_add(struct nl *nl, const struct nl_rule *r)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *nlh = nl_msg_rule(buf, sizeof(buf), ++nl->seq, RTM_NEWRULE, r);

	if (!nlh)
		return -EINVAL;
	return nl_request(nl, nlh);
}

/**
 * nl_send_batch() - Send requests at once and wait for the ACK of each
 * @nl:		socket (of any netlink protocol: nftables' batches go through here too)
 * @buf:	the requests, one after the other, each with NLM_F_ACK
 * @len:	their length
 * @seq:	sequence number of the first; the others follow it, one each
 * @count:	number of requests that are acknowledged
 *
 * Return: 0, or the first -errno the kernel answered (its message in nl->errmsg)
 */
int nl_send_batch(struct nl *nl, const void *buf, size_t len, unsigned int seq, unsigned int count)
{
	char rbuf[NL_BUF_SIZE];
	unsigned int seen = 0;
	int first = 0;

	nl->errmsg[0] = '\0';
	if (mnl_socket_sendto(nl->sk, buf, len) < 0)
		return -errno;
	for (int i = 0; i < NL_RECV_MAX && seen < count; i++) {
		char msg[NL_ERRMSG_MAX] = "";
		ssize_t n = mnl_socket_recvfrom(nl->sk, rbuf, sizeof(rbuf));
		int ret;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
		}
		ret = nl_acks_parse(rbuf, (size_t)n, seq, count, nl->portid, &seen, msg,
				    sizeof(msg));
		if (ret == -EBADMSG)
			return ret;
		if (ret && !first) {
			first = ret;
			snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", msg);
		}
		/* a batch that failed may leave the requests after the failed one unanswered */
		if (first)
			break;
	}
	if (first)
		return first;
	return seen < count ? -ETIMEDOUT : 0;
}
