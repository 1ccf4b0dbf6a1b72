/* nl.h - rtnetlink over libmnl: link up and MTU, addresses, routes, rules, with the kernel's messages */
#ifndef RN_NL_H
#define RN_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mnl_socket;
struct nlmsghdr;

#define NL_ERRMSG_MAX 256

/**
 * struct nl - an rtnetlink socket in the current network namespace
 * @sk:		libmnl socket
 * @portid:	our netlink port id
 * @seq:	sequence number of the last request
 * @errmsg:	the kernel's extended ACK message for the last failed request, or ""
 */
struct nl {
	struct mnl_socket *sk;
	unsigned int portid;
	unsigned int seq;
	char errmsg[NL_ERRMSG_MAX];
};

/**
 * struct nl_route - a route
 * @family:	AF_INET or AF_INET6
 * @ifindex:	output interface
 * @table:	RT_TABLE_* or a table of ours (any u32), 0 for RT_TABLE_MAIN
 * @type:	RTN_*, 0 for RTN_UNICAST (RTN_LOCAL: an address of this host, host scope)
 * @dst:	destination (struct in_addr or in6_addr), NULL for the default route
 * @dst_len:	its prefix length
 * @gw:		gateway, NULL for an on-link route
 * @prefsrc:	preferred source address, or NULL
 * @priority:	metric (0: the kernel's default, 1024 for IPv6; in a deletion: any)
 * @protocol:	RTPROT_* (RTPROT_BOOT: set by an administrator, RTPROT_KERNEL: by the kernel)
 * @replace:	replace the route with the same key instead of failing when one exists
 * @quickack:	RTAX_QUICKACK: TCP over it acknowledges every segment at once
 */
struct nl_route {
	int family;
	int ifindex;
	uint32_t table;
	unsigned char type;
	const void *dst;
	unsigned int dst_len;
	const void *gw;
	const void *prefsrc;
	uint32_t priority;
	unsigned char protocol;
	bool replace;
	bool quickack;
};

/**
 * struct nl_rule - a policy routing rule ("ip rule"): what it matches, and the table it sends
 *		    matching lookups to
 * @family:	AF_INET or AF_INET6
 * @priority:	FRA_PRIORITY, its place in the rule list (lower first)
 * @table:	FRA_TABLE: the table to look up
 * @fwmark:	FRA_FWMARK: match packets whose mark & @fwmask equals it (with @fwmask)
 * @fwmask:	FRA_FWMASK, 0: no mark match
 * @iifname:	FRA_IIFNAME, or NULL; "lo" matches what this host sends
 * @ip_proto:	FRA_IP_PROTO (IPPROTO_UDP, ...), 0 for any
 */
struct nl_rule {
	int family;
	uint32_t priority;
	uint32_t table;
	uint32_t fwmark;
	uint32_t fwmask;
	const char *iifname;
	uint8_t ip_proto;
};

int nl_open(struct nl *nl);
int nl_adopt(struct nl *nl, int fd);
void nl_close(struct nl *nl);
const char *nl_errmsg(const struct nl *nl);

struct nlmsghdr *nl_msg_link(void *buf, size_t size, unsigned int seq, int ifindex, bool up,
			     unsigned int mtu, unsigned int txqlen);
struct nlmsghdr *nl_msg_addr(void *buf, size_t size, unsigned int seq, int ifindex, int family,
			     const void *addr, unsigned int prefix, uint32_t flags);
struct nlmsghdr *nl_msg_route(void *buf, size_t size, unsigned int seq, uint16_t cmd,
			      const struct nl_route *r);
struct nlmsghdr *nl_msg_rule(void *buf, size_t size, unsigned int seq, uint16_t cmd,
			     const struct nl_rule *r);
int nl_ack_parse(const void *buf, size_t len, unsigned int seq, unsigned int portid, char *msg,
		 size_t msgsize);
int nl_acks_parse(const void *buf, size_t len, unsigned int seq, unsigned int count,
		  unsigned int portid, unsigned int *seen, char *msg, size_t msgsize);

int nl_link_set(struct nl *nl, int ifindex, bool up, unsigned int mtu, unsigned int txqlen);
int nl_addr_add(struct nl *nl, int ifindex, int family, const void *addr, unsigned int prefix,
		uint32_t flags);
int nl_route_add(struct nl *nl, const struct nl_route *r);
int nl_route_del(struct nl *nl, const struct nl_route *r);
int nl_rule_add(struct nl *nl, const struct nl_rule *r);
int nl_send_batch(struct nl *nl, const void *buf, size_t len, unsigned int seq, unsigned int count);

#endif /* RN_NL_H */
