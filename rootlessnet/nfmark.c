/* nfmark.c - nftables over libnftnl: the marks that tie transparent connections to their replies */
/**
 * DOC: Theory of operation
 *
 * The builtin driver's transparent sockets (srcip.c) carry SO_MARK @sock. The table this
 * module installs in the namespace, inet rootlessnet, has two base chains at the mangle
 * priority (-150, after conntrack has found the connection at -200):
 *
 *   output:	 meta mark == @sock		ct mark set ct mark | @ct
 *   prerouting: ct mark & @ct == @ct	meta mark set meta mark | @route
 *
 * So every connection one of those sockets opens is tagged in conntrack when its first
 * packet leaves, and every packet of it that enters the stack afterwards, in either
 * direction, gets @route before the routing decision: the packets our socket sends to a
 * service on lo, and the replies of a service behind DNAT (a container behind a bridge),
 * which would otherwise be routed out of the tap towards the client's real address. Policy
 * routing (srcip.c) sends @route to a table that delivers everything locally, where the
 * transparent socket takes it. With net.ipv4.tcp_fwmark_accept the service's accepted TCP
 * socket inherits @route from the SYN, so its own replies are routed the same way.
 *
 * Marks are or-ed in, so that other users of marks in the namespace keep their bits. The
 * table is made in one batch (atomic: all or nothing), as "add table; delete table; add
 * table; ...", so that a table left from an earlier run is replaced rather than doubled.
 */
#include "config.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter_ipv4.h>
#include <stdbool.h>
#include <string.h>

#include "error.h"
#include "nfmark.h"
#include "nl.h"

/* the batch is a few hundred bytes; libmnl's batches want twice their limit as buffer */
#define NFMARK_BATCH_LIMIT ((size_t)4096)

/**
 * nfmark_expr() - Append an expression to a rule
 * @r:		rule
 * @name:	expression type ("meta", "ct", "cmp", "bitwise")
 * @a:		attribute of the first u32 value, or 0 for none
 * @va:		its value
 * @b:		attribute of the second u32 value, or 0 for none
 * @vb:		its value
 *
 * Return: the expression (owned by @r), NULL if out of memory
 */
static struct nftnl_expr *nfmark_expr(struct nftnl_rule *r, const char *name, uint16_t a,
				      uint32_t va, uint16_t b, uint32_t vb)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (!e)
		return NULL;
	if (a)
		nftnl_expr_set_u32(e, a, va);
	if (b)
		nftnl_expr_set_u32(e, b, vb);
	nftnl_rule_add_expr(r, e);
	return e;
}

/**
 * nfmark_or() - Append "register 1 = register 1 | @bit"
 * @r:		rule
 * @bit:	bits to set
 *
 * nftables has no "or": a bitwise expression computes (reg & mask) ^ xor, which with mask
 * ~@bit and xor @bit sets @bit and keeps the rest.
 *
 * Return: 0 or -ENOMEM
 */
static int nfmark_or(struct nftnl_rule *r, uint32_t bit)
{
	uint32_t mask = ~bit;
	struct nftnl_expr *e = nfmark_expr(r, "bitwise", NFTNL_EXPR_BITWISE_SREG, NFT_REG_1,
					   NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, sizeof(uint32_t));
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, &mask, sizeof(mask));
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, &bit, sizeof(bit));
	return 0;
}

/**
 * nfmark_rule_output() - The output chain's rule: tag our sockets' connections
 * @r:		empty rule
 * @m:		marks
 *
 * Return: 0 or -ENOMEM
 */
static int nfmark_rule_output(struct nftnl_rule *r, const struct nfmark_marks *m)
{
	struct nftnl_expr *cmp;

	if (!nfmark_expr(r, "meta", NFTNL_EXPR_META_KEY, NFT_META_MARK, NFTNL_EXPR_META_DREG,
			 NFT_REG_1))
		return -ENOMEM;
	cmp = nfmark_expr(r, "cmp", NFTNL_EXPR_CMP_SREG, NFT_REG_1, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	if (!cmp)
		return -ENOMEM;
	nftnl_expr_set(cmp, NFTNL_EXPR_CMP_DATA, &m->sock, sizeof(m->sock));
	if (!nfmark_expr(r, "ct", NFTNL_EXPR_CT_KEY, NFT_CT_MARK, NFTNL_EXPR_CT_DREG, NFT_REG_1) ||
	    nfmark_or(r, m->ct) ||
	    !nfmark_expr(r, "ct", NFTNL_EXPR_CT_KEY, NFT_CT_MARK, NFTNL_EXPR_CT_SREG, NFT_REG_1))
		return -ENOMEM;
	return 0;
}

/**
 * nfmark_rule_prerouting() - The prerouting chain's rule: mark the tagged connections'
 *			      packets for routing
 * @r:		empty rule
 * @m:		marks
 *
 * Return: 0 or -ENOMEM
 */
static int nfmark_rule_prerouting(struct nftnl_rule *r, const struct nfmark_marks *m)
{
	uint32_t zero = 0;
	struct nftnl_expr *e;

	if (!nfmark_expr(r, "ct", NFTNL_EXPR_CT_KEY, NFT_CT_MARK, NFTNL_EXPR_CT_DREG, NFT_REG_1))
		return -ENOMEM;
	e = nfmark_expr(r, "bitwise", NFTNL_EXPR_BITWISE_SREG, NFT_REG_1, NFTNL_EXPR_BITWISE_DREG,
			NFT_REG_1);
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, sizeof(uint32_t));
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, &m->ct, sizeof(m->ct));
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, &zero, sizeof(zero));
	e = nfmark_expr(r, "cmp", NFTNL_EXPR_CMP_SREG, NFT_REG_1, NFTNL_EXPR_CMP_OP, NFT_CMP_NEQ);
	if (!e)
		return -ENOMEM;
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, &zero, sizeof(zero));
	if (!nfmark_expr(r, "meta", NFTNL_EXPR_META_KEY, NFT_META_MARK, NFTNL_EXPR_META_DREG,
			 NFT_REG_1) ||
	    nfmark_or(r, m->route) ||
	    !nfmark_expr(r, "meta", NFTNL_EXPR_META_KEY, NFT_META_MARK, NFTNL_EXPR_META_SREG,
			 NFT_REG_1))
		return -ENOMEM;
	return 0;
}

/**
 * nfmark_put_table() - Append NEWTABLE or DELTABLE for our table to the batch
 * @b:		batch
 * @type:	NFT_MSG_NEWTABLE or NFT_MSG_DELTABLE
 * @seq:	sequence number
 *
 * Return: 0, -ENOMEM, or -ENOSPC when the batch is full
 */
static int nfmark_put_table(struct mnl_nlmsg_batch *b, uint16_t type, unsigned int seq)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		return -ENOMEM;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, NFMARK_TABLE);
	nlh = nftnl_table_nlmsg_build_hdr(mnl_nlmsg_batch_current(b), type, NFPROTO_INET,
					  (type == NFT_MSG_NEWTABLE ? NLM_F_CREATE : 0) | NLM_F_ACK,
					  seq);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	return mnl_nlmsg_batch_next(b) ? 0 : -ENOSPC;
}

/**
 * nfmark_put_chain() - Append NEWCHAIN for a base chain to the batch
 * @b:		batch
 * @name:	chain name
 * @hook:	NF_INET_LOCAL_OUT or NF_INET_PRE_ROUTING
 * @seq:	sequence number
 *
 * Return: 0, -ENOMEM, or -ENOSPC when the batch is full
 */
static int nfmark_put_chain(struct mnl_nlmsg_batch *b, const char *name, uint32_t hook,
			    unsigned int seq)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!c)
		return -ENOMEM;
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, NFMARK_TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hook);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, NF_IP_PRI_MANGLE);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nlh = nftnl_chain_nlmsg_build_hdr(mnl_nlmsg_batch_current(b), NFT_MSG_NEWCHAIN,
					  NFPROTO_INET, NLM_F_CREATE | NLM_F_ACK, seq);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	return mnl_nlmsg_batch_next(b) ? 0 : -ENOSPC;
}

/**
 * nfmark_put_rule() - Append NEWRULE to the batch
 * @b:		batch
 * @chain:	chain name
 * @fill:	adds the rule's expressions
 * @m:		marks, for @fill
 * @seq:	sequence number
 *
 * Return: 0, -ENOMEM, or -ENOSPC when the batch is full
 */
static int nfmark_put_rule(struct mnl_nlmsg_batch *b, const char *chain,
			   int (*fill)(struct nftnl_rule *r, const struct nfmark_marks *m),
			   const struct nfmark_marks *m, unsigned int seq)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	int ret;

	if (!r)
		return -ENOMEM;
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFMARK_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_INET);
	ret = fill(r, m);
	if (!ret) {
		struct nlmsghdr *nlh = nftnl_rule_nlmsg_build_hdr(
			mnl_nlmsg_batch_current(b), NFT_MSG_NEWRULE, NFPROTO_INET,
			NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK, seq);
		nftnl_rule_nlmsg_build_payload(nlh, r);
		ret = mnl_nlmsg_batch_next(b) ? 0 : -ENOSPC;
	}
	nftnl_rule_free(r);
	return ret;
}

/**
 * nfmark_batch() - Build the batch that (re)creates the table
 * @buf:	buffer, at least 2 * NFMARK_BATCH_LIMIT bytes
 * @size:	its size
 * @seq:	sequence number of the batch's begin message; the NFMARK_BATCH_MSGS
 *		acknowledged messages have @seq + 1 onwards, the end message the next
 * @m:		marks
 * @len:	set to the batch's length
 *
 * Return: 0, -ENOMEM, or -ENOSPC for a small buffer
 */
int nfmark_batch(void *buf, size_t size, unsigned int seq, const struct nfmark_marks *m,
		 size_t *len)
{
	struct mnl_nlmsg_batch *b;
	int ret;

	if (size < 2 * NFMARK_BATCH_LIMIT)
		return -ENOSPC;
	b = mnl_nlmsg_batch_start(buf, NFMARK_BATCH_LIMIT);
	if (!b)
		return -ENOMEM;
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq++);
	ret = mnl_nlmsg_batch_next(b) ? 0 : -ENOSPC;
	if (!ret)
		ret = nfmark_put_table(b, NFT_MSG_NEWTABLE, seq++);
	if (!ret)
		ret = nfmark_put_table(b, NFT_MSG_DELTABLE, seq++);
	if (!ret)
		ret = nfmark_put_table(b, NFT_MSG_NEWTABLE, seq++);
	if (!ret)
		ret = nfmark_put_chain(b, "output", NF_INET_LOCAL_OUT, seq++);
	if (!ret)
		ret = nfmark_put_chain(b, "prerouting", NF_INET_PRE_ROUTING, seq++);
	if (!ret)
		ret = nfmark_put_rule(b, "output", nfmark_rule_output, m, seq++);
	if (!ret)
		ret = nfmark_put_rule(b, "prerouting", nfmark_rule_prerouting, m, seq++);
	if (!ret) {
		nftnl_batch_end(mnl_nlmsg_batch_current(b), seq);
		ret = mnl_nlmsg_batch_next(b) ? 0 : -ENOSPC;
	}
	if (!ret)
		*len = mnl_nlmsg_batch_size(b);
	mnl_nlmsg_batch_stop(b);
	return ret;
}

/**
 * nfmark_install() - Make the table in the namespace of a netfilter netlink socket
 * @nl:		NETLINK_NETFILTER socket in the namespace (nl_adopt())
 * @m:		marks
 * @e:		what failed, with the kernel's message
 *
 * Return: 0 or -errno
 */
int nfmark_install(struct nl *nl, const struct nfmark_marks *m, struct error *e)
{
	char buf[2 * NFMARK_BATCH_LIMIT];
	unsigned int seq = nl->seq + 1;
	size_t len = 0;
	int ret;

	ret = nfmark_batch(buf, sizeof(buf), seq, m, &len);
	if (ret)
		return error_errno(e, ret, "cannot build the nftables batch");
	nl->seq = seq + NFMARK_BATCH_MSGS + 1;
	ret = nl_send_batch(nl, buf, len, seq + 1, NFMARK_BATCH_MSGS);
	if (ret) {
		const char *msg = nl_errmsg(nl);

		if (*msg)
			return error_plain(e, -ret, "cannot add the table inet %s: %s: %s",
					   NFMARK_TABLE, error_errstr(ret), msg);
		return error_errno(e, ret, "cannot add the table inet %s", NFMARK_TABLE);
	}
	return 0;
}
