/* test_tcpcc.c - unit tests for choosing where TCP congestion control must not pace */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "tcpcc.h"

/* addr() - a socket address from text: "a.b.c.d" is AF_INET, anything else AF_INET6 */
static struct sockaddr_storage addr(const char *text)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(text, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, text, &s6->sin6_addr), 1);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, text, &s4->sin_addr), 1);
	}
	return ss;
}

static bool local(const char *mine, const char *peer)
{
	struct sockaddr_storage l = addr(mine), p = addr(peer);

	return tcpcc_local_peer((struct sockaddr *)&l, (struct sockaddr *)&p);
}

static void test_paces(void **state)
{
	(void)state;
	assert_true(tcpcc_paces("bbr"));
	assert_true(tcpcc_paces("bbr2"));
	assert_true(tcpcc_paces("bbr3"));
	assert_false(tcpcc_paces("cubic"));
	assert_false(tcpcc_paces("reno"));
	assert_false(tcpcc_paces("dctcp"));
	assert_false(tcpcc_paces("bb"));
	assert_false(tcpcc_paces(""));
}

static void test_local_loopback(void **state)
{
	(void)state;
	assert_true(local("127.0.0.1", "127.0.0.1"));
	assert_true(local("127.0.0.1", "127.0.0.2"));
	assert_true(local("127.0.0.1", "127.255.255.254"));
	assert_true(local("::1", "::1"));
	/* a dual-stack listener sees IPv4 loopback clients as v4-mapped */
	assert_true(local("::ffff:127.0.0.1", "::ffff:127.0.0.1"));
	assert_true(local("::", "::ffff:127.3.2.1"));
}

static void test_local_own_address(void **state)
{
	(void)state;
	assert_true(local("192.0.2.7", "192.0.2.7"));
	assert_true(local("::ffff:192.0.2.7", "::ffff:192.0.2.7"));
	assert_true(local("192.0.2.7", "::ffff:192.0.2.7"));
	assert_true(local("2001:db8::7", "2001:db8::7"));
}

/* before getsockname(): only a loopback peer is known to be local */
static void test_local_unknown_own(void **state)
{
	struct sockaddr_storage lo4 = addr("127.0.0.1"), lo6 = addr("::1"),
				mapped = addr("::ffff:127.0.0.1"), other = addr("192.0.2.7"),
				other6 = addr("2001:db8::7");

	(void)state;
	assert_true(tcpcc_local_peer(NULL, (struct sockaddr *)&lo4));
	assert_true(tcpcc_local_peer(NULL, (struct sockaddr *)&lo6));
	assert_true(tcpcc_local_peer(NULL, (struct sockaddr *)&mapped));
	assert_false(tcpcc_local_peer(NULL, (struct sockaddr *)&other));
	assert_false(tcpcc_local_peer(NULL, (struct sockaddr *)&other6));
}

static void test_remote(void **state)
{
	(void)state;
	assert_false(local("192.0.2.7", "192.0.2.8"));
	assert_false(local("127.0.0.1", "128.0.0.1"));
	assert_false(local("126.255.255.255", "126.255.255.254"));
	assert_false(local("::ffff:192.0.2.7", "::ffff:198.51.100.1"));
	assert_false(local("2001:db8::7", "2001:db8::8"));
	assert_false(local("::1", "::2"));
	/* v4-mapped and native IPv6 never name the same host address */
	assert_false(local("2001:db8::7", "::ffff:192.0.2.7"));
	assert_false(local("::ffff:192.0.2.7", "2001:db8::7"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paces),
		cmocka_unit_test(test_local_loopback),
		cmocka_unit_test(test_local_own_address),
		cmocka_unit_test(test_local_unknown_own),
		cmocka_unit_test(test_remote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
