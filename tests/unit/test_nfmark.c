/* test_nfmark.c - unit tests for the nftables batch of nfmark.c: messages, order, rules */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/rule.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <string.h>

#include "nfmark.h"

static const struct nfmark_marks marks = {.sock = 0x1000, .ct = 0x2000, .route = 0x2000};

/* the rule in a NEWRULE message, as libnftnl prints it */
static void rule_text(const struct nlmsghdr *nlh, char *buf, size_t len)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	assert_non_null(r);
	assert_int_equal(nftnl_rule_nlmsg_parse(nlh, r), 0);
	nftnl_rule_snprintf(buf, len, r, NFTNL_OUTPUT_DEFAULT, 0);
	nftnl_rule_free(r);
}

static void test_batch(void **state)
{
	static const uint16_t types[] = {
		NFNL_MSG_BATCH_BEGIN,
		NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWTABLE,
		NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_DELTABLE,
		NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWTABLE,
		NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWCHAIN,
		NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWCHAIN,
		NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWRULE,
		NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWRULE,
		NFNL_MSG_BATCH_END,
	};
	char buf[8192], text[1024];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	size_t len = 0;
	int n, i = 0;

	(void)state;
	assert_int_equal(nfmark_batch(buf, sizeof(buf), 500, &marks, &len), 0);
	assert_true(len > 0 && len < 4096);
	for (n = (int)len; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n), i++) {
		assert_true(i < (int)(sizeof(types) / sizeof(types[0])));
		assert_int_equal(nlh->nlmsg_type, types[i]);
		assert_int_equal(nlh->nlmsg_seq, 500 + (unsigned int)i);
		/* every message between begin and end is acknowledged */
		assert_int_equal(!!(nlh->nlmsg_flags & NLM_F_ACK), i > 0 && i <= NFMARK_BATCH_MSGS);
		if (i == 6) {
			rule_text(nlh, text, sizeof(text));
			assert_non_null(strstr(text, "inet rootlessnet output"));
			assert_non_null(strstr(text, "[ meta load mark => reg 1 ]"));
			assert_non_null(strstr(text, "[ cmp eq reg 1 0x00001000 ]"));
			assert_non_null(strstr(text, "[ ct load mark => reg 1 ]"));
			/* or 0x2000: (reg & ~0x2000) ^ 0x2000 */
			assert_non_null(strstr(text, "[ bitwise reg 1 = ( reg 1 & 0xffffdfff ) ^ "
						     "0x00002000 ]"));
			assert_non_null(strstr(text, "[ ct set mark with reg 1 ]"));
		}
		if (i == 7) {
			rule_text(nlh, text, sizeof(text));
			assert_non_null(strstr(text, "inet rootlessnet prerouting"));
			assert_non_null(strstr(text, "[ bitwise reg 1 = ( reg 1 & 0x00002000 ) ^ "
						     "0x00000000 ]"));
			assert_non_null(strstr(text, "[ cmp neq reg 1 0x00000000 ]"));
			assert_non_null(strstr(text, "[ meta set mark with reg 1 ]"));
		}
	}
	assert_int_equal(n, 0);
	assert_int_equal(i, (int)(sizeof(types) / sizeof(types[0])));
	/* a buffer that cannot hold the batch is refused, not overrun */
	assert_int_equal(nfmark_batch(buf, 4096, 500, &marks, &len), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
