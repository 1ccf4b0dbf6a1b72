/* test_handshake.c - unit tests for the parent/child start-up messages */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "handshake.h"

static void test_sequence(void **state)
{
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(handshake_send(sv[0], HANDSHAKE_MAPS), 0);
	assert_int_equal(handshake_wait(sv[1], HANDSHAKE_MAPS), 0);
	assert_int_equal(handshake_send(sv[1], HANDSHAKE_READY), 0);
	assert_int_equal(handshake_wait(sv[0], HANDSHAKE_READY), 0);
	assert_int_equal(handshake_send(sv[0], HANDSHAKE_GO), 0);
	assert_int_equal(handshake_wait(sv[1], HANDSHAKE_GO), 0);
	close(sv[0]);
	close(sv[1]);
}

static void test_unexpected(void **state)
{
	char junk[3] = "abc";
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	/* the wrong message, then a record of the wrong size: both are protocol errors */
	assert_int_equal(handshake_send(sv[0], HANDSHAKE_GO), 0);
	assert_int_equal(handshake_wait(sv[1], HANDSHAKE_MAPS), -EPROTO);
	assert_int_equal(send(sv[0], junk, sizeof(junk), 0), (ssize_t)sizeof(junk));
	assert_int_equal(handshake_wait(sv[1], HANDSHAKE_MAPS), -EPROTO);
	close(sv[0]);
	close(sv[1]);
}

static void test_peer_gone(void **state)
{
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	close(sv[0]);
	assert_int_equal(handshake_wait(sv[1], HANDSHAKE_MAPS), -EPIPE);
	assert_int_equal(handshake_send(sv[1], HANDSHAKE_READY), -EPIPE);
	close(sv[1]);
	assert_string_equal(handshake_name(HANDSHAKE_READY), "READY");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequence),
		cmocka_unit_test(test_unexpected),
		cmocka_unit_test(test_peer_gone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
