/* test_orphan.c - unit tests for the sweep of libslirp's orphaned half-closed connections */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "orphan.h"

/* lines as libslirp 4.7's slirp_connection_info() prints them */
#define HEADER "  Protocol[State]    FD  Source Address  Port   Dest. Address  Port RecvQ SendQ\n"
#define LINE(state, fd, sa, sp, da, dp)                                                            \
	"  TCP[" state "]"                                                                         \
	"        " #fd "      " sa " " #sp "        " da " " #dp "     0     0\n"

static void test_parse_close_wait_lines_only(void **state)
{
	char info[] = HEADER LINE("CLOSE_WAIT", 5, "10.0.2.100", 45402, "10.0.2.2", 18560)
		LINE("ESTABLISHED", 6, "10.0.2.100", 45404, "10.0.2.2",
		     18560) "  TCP[HOST_FORWARD]  7       127.0.0.1  8080      10.0.2.100    80    "
			    " 0     0\n" LINE("CLOSE_WAIT", 9, "*", 40000, "0.0.0.0",
					      443) "  UDP[34 sec]        10      10.0.2.100 5353   "
						   "     10.0.2.3    53     0     0\n";
	struct orphan_conn c[4];

	assert_int_equal(orphan_parse(info, c, 4), 2);
	assert_int_equal(c[0].fd, 5);
	assert_int_equal(c[0].port_a, 45402);
	assert_int_equal(c[0].port_b, 18560);
	assert_false(c[0].held);
	/* an IPv6 connection: libslirp 4.7 prints no address, the ports are right */
	assert_int_equal(c[1].fd, 9);
	assert_int_equal(c[1].port_a, 40000);
	assert_int_equal(c[1].port_b, 443);
}

static void test_parse_refuses_bad_lines(void **state)
{
	static const char *const bad[] = {
		"  TCP[CLOSE_WAIT]",
		"  TCP[CLOSE_WAIT]   5  10.0.2.100 45402  10.0.2.2",
		"  TCP[CLOSE_WAIT]   5  10.0.2.100 0  10.0.2.2 80 0 0",
		"  TCP[CLOSE_WAIT]   5  10.0.2.100 70000  10.0.2.2 80 0 0",
		"  TCP[CLOSE_WAIT]   -1  10.0.2.100 4000  10.0.2.2 80 0 0",
		"  TCP[CLOSE_WAIT]   5  10.0.2.100 4000  10.0.2.2 80 0 0junk",
		"  TCP[CLOSE_WAITX]  5  10.0.2.100 4000  10.0.2.2 80 0 0",
		"  TCP[LAST_ACK]     5  10.0.2.100 4000  10.0.2.2 80 0 0",
		"",
	};
	struct orphan_conn c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(orphan_parse_line(bad[i], &c));
	assert_true(orphan_parse_line("TCP[CLOSE_WAIT] 5 a 4000 b 80 0 0", &c));
}

static void test_parse_stops_at_max(void **state)
{
	char info[] = LINE("CLOSE_WAIT", 5, "10.0.2.100", 1000, "10.0.2.2", 80)
		LINE("CLOSE_WAIT", 6, "10.0.2.100", 1001, "10.0.2.2", 80)
			LINE("CLOSE_WAIT", 7, "10.0.2.100", 1002, "10.0.2.2", 80);
	struct orphan_conn c[2];

	assert_int_equal(orphan_parse(info, c, 2), 2);
	assert_int_equal(c[1].fd, 6);
}

static void test_mark_matches_either_direction(void **state)
{
	struct orphan_conn c[] = {
		{.fd = 5, .port_a = 45402, .port_b = 18560}, /* out: ns 45402 -> remote 18560 */
		{.fd = 6, .port_a = 51000, .port_b = 80},    /* in: host 51000 -> ns 80 */
		{.fd = 7, .port_a = 45403, .port_b = 18560},
	};

	orphan_mark(c, 3, 45402, 18560, false);
	assert_true(c[0].held);
	assert_false(c[0].orphaned);
	assert_false(c[2].held);
	/* the namespace's server socket on port 80, whatever its peer's port */
	orphan_mark(c, 3, 80, 10022, true);
	assert_true(c[1].orphaned);
	assert_false(c[1].held);
	/* another peer port is another connection */
	orphan_mark(c, 3, 45403, 18561, true);
	assert_false(c[2].held || c[2].orphaned);
	/* a socket whose local port is port_b may be the forwarded-in reading: when in doubt,
	 * kept */
	orphan_mark(c, 3, 18560, 45403, false);
	assert_true(c[2].held);
}

/* a loopback connection: *cli and *srv its ends, the client's port in *port */
static void pair(int lfd, int *cli, int *srv, uint16_t *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &len), 0);
	*cli = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(*cli >= 0);
	assert_int_equal(connect(*cli, (struct sockaddr *)&sa, sizeof(sa)), 0);
	*srv = accept(lfd, NULL, NULL);
	assert_true(*srv >= 0);
	len = sizeof(sa);
	assert_int_equal(getsockname(*cli, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
}

/* orphan_sweep() over one CLOSE_WAIT line for host socket fd and ports pa -> pb */
static int sweep_one(int diag, int fd, unsigned int pa, unsigned int pb, unsigned int *closed)
{
	char info[256];

	snprintf(info, sizeof(info),
		 HEADER "  TCP[CLOSE_WAIT]  %d  10.0.2.100 %u  10.0.2.2 %u 0 0\n", fd, pa, pb);
	return orphan_sweep(info, diag, closed);
}

/* the TCP state of a socket */
static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	assert_int_equal(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	return ti.tcpi_state;
}

static void test_sweep_shuts_only_what_no_program_holds(void **state)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int lfd, diag, a_cli, a_srv, b_cli, b_srv, c_cli, c_srv;
	uint16_t a_port, b_port, c_port, srv_port;
	struct pollfd p;
	unsigned int closed;
	char info[512];
	socklen_t len = sizeof(sa);

	diag = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (diag < 0)
		skip();
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 8), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &len), 0);
	srv_port = ntohs(sa.sin_port);
	/* a: its program half-closed it and went (an orphan in FIN_WAIT2, no inode) */
	pair(lfd, &a_cli, &a_srv, &a_port);
	/* b: half-closed by a program that still holds it and waits */
	pair(lfd, &b_cli, &b_srv, &b_port);
	/* c: stands for libslirp's host socket of a (FIN_WAIT2 on the host) */
	pair(lfd, &c_cli, &c_srv, &c_port);
	assert_int_equal(shutdown(a_cli, SHUT_WR), 0);
	assert_int_equal(shutdown(b_cli, SHUT_WR), 0);
	assert_int_equal(shutdown(c_cli, SHUT_WR), 0);
	for (int i = 0;
	     i < 100 && (tcp_state(b_cli) != TCP_FIN_WAIT2 || tcp_state(c_cli) != TCP_FIN_WAIT2 ||
			 tcp_state(a_cli) != TCP_FIN_WAIT2);
	     i++)
		usleep(10000);
	assert_int_equal(tcp_state(c_cli), TCP_FIN_WAIT2);
	close(a_cli);

	/* b's line carries b's own socket: held, nothing is shut */
	assert_int_equal(sweep_one(diag, b_cli, b_port, srv_port, &closed), 1);
	assert_int_equal(closed, 0);
	p = (struct pollfd){.fd = b_cli, .events = POLLIN};
	assert_int_equal(poll(&p, 1, 0), 0);

	/* a's ports with c's socket: nobody holds a, so c is shut for reading */
	assert_int_equal(sweep_one(diag, c_cli, a_port, srv_port, &closed), 1);
	assert_int_equal(closed, 1);
	p = (struct pollfd){.fd = c_cli, .events = POLLIN};
	assert_int_equal(poll(&p, 1, 0), 1);
	assert_int_equal(read(c_cli, info, sizeof(info)), 0);

	/* ports nothing in the namespace has (a container's connection behind NAT): kept */
	assert_int_equal(sweep_one(diag, c_cli, 1, 2, &closed), 1);
	assert_int_equal(closed, 0);
	/* a socket that is not in FIN_WAIT2 (the server's end) is never shut */
	assert_int_equal(sweep_one(diag, b_srv, a_port, srv_port, &closed), 1);
	assert_int_equal(closed, 0);
	/* no connection in CLOSE_WAIT: the namespace is not asked */
	snprintf(info, sizeof(info), HEADER);
	assert_int_equal(orphan_sweep(info, -1, &closed), 0);
	/* it cannot be asked: nothing is shut, the error is said */
	assert_true(sweep_one(-1, c_cli, a_port, srv_port, &closed) < 0);
	assert_int_equal(closed, 0);

	close(a_srv);
	close(b_cli);
	close(b_srv);
	close(c_cli);
	close(c_srv);
	close(lfd);
	close(diag);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_close_wait_lines_only),
		cmocka_unit_test(test_parse_refuses_bad_lines),
		cmocka_unit_test(test_parse_stops_at_max),
		cmocka_unit_test(test_mark_matches_either_direction),
		cmocka_unit_test(test_sweep_shuts_only_what_no_program_holds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
