/* test_helper.c - unit tests for helper processes: spawn, fd passing, reaping, restart budget */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper.h"

#define S 1000000000ULL

/* answers each record with the same bytes and a new pipe's read end */
static int echo_fn(int sock, void *arg)
{
	char buf[64];
	ssize_t n;

	(void)arg;
	while ((n = helper_recv(sock, buf, sizeof(buf), NULL, 0, NULL, -1)) > 0) {
		int p[2];

		if (pipe(p) < 0 || write(p[1], "x", 1) != 1)
			return 2;
		if (helper_send(sock, buf, (size_t)n, p, 1) < 0)
			return 3;
		close(p[0]);
		close(p[1]);
	}
	return n == 0 ? 0 : 4;
}

static void test_spawn_echo(void **state)
{
	struct helper_spec s = {.name = "rn-test-echo", .fn = echo_fn};
	struct helper h;
	char buf[64], c;
	size_t nfd;
	int fd, st;

	assert_int_equal(helper_spawn(&s, &h), 0);
	assert_true(h.pid > 0);
	assert_true(h.sock >= 0);
	assert_true(h.pidfd >= 0);
	assert_int_equal(helper_send(h.sock, "hello", 5, NULL, 0), 0);
	assert_int_equal(helper_recv(h.sock, buf, sizeof(buf), &fd, 1, &nfd, 2000), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(nfd, 1);
	assert_int_equal(read(fd, &c, 1), 1);
	assert_int_equal(c, 'x');
	close(fd);
	/* closing our end ends it: exit status 0, reaped without a kill */
	helper_stop(&h, 2000, &st);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(h.pid, 0);
	assert_int_equal(h.sock, -1);
	assert_int_equal(h.pidfd, -1);
}

/* exit status = number of open fds from 3 up, besides its socket (up to 100) */
static int count_fn(int sock, void *arg)
{
	int n = 0;

	(void)arg;
	for (int fd = 3; fd < 100; fd++)
		if (fd != sock && fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

static void test_closes_fds(void **state)
{
	int keep = open("/dev/null", O_RDONLY), stray = open("/dev/null", O_RDONLY), st;
	struct helper_spec s = {.fn = count_fn, .keep = &keep, .n_keep = 1};
	struct helper h;

	assert_true(keep >= 0 && stray >= 0);
	assert_int_equal(helper_spawn(&s, &h), 0);
	assert_int_equal(helper_reap(&h, 2000, &st), 0);
	/* only the kept fd: not the stray one, not the pidfd or the status pipe */
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);
	s.no_socket = true;
	s.n_keep = 0;
	assert_int_equal(helper_spawn(&s, &h), 0);
	assert_int_equal(h.sock, -1);
	assert_int_equal(helper_reap(&h, 2000, &st), 0);
	assert_int_equal(WEXITSTATUS(st), 0);
	close(keep);
	close(stray);
}

static int hang_fn(int sock, void *arg)
{
	(void)sock;
	(void)arg;
	for (int i = 0; i < 100; i++)
		pause();
	return 0;
}

static void test_reap_kills(void **state)
{
	struct helper_spec s = {.fn = hang_fn, .no_sigchld = true};
	char buf[128];
	struct helper h;
	int st;

	assert_int_equal(helper_spawn(&s, &h), 0);
	/* it ignores end of file and SIGINT/SIGHUP: reaping it takes a kill, and says so */
	kill(h.pid, SIGINT);
	assert_int_equal(helper_reap(&h, 100, &st), 1);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	assert_non_null(strstr(helper_status_str(st, buf, sizeof(buf)), "killed by signal 9"));
	assert_int_equal(helper_reap(&h, 0, &st), -ECHILD);
}

static void test_pidfd_reports_death(void **state)
{
	struct helper_spec s = {.fn = hang_fn, .no_sigchld = true};
	struct helper h;
	int st;

	assert_int_equal(helper_spawn(&s, &h), 0);
	assert_int_equal(helper_wait_readable(h.pidfd, 50), -ETIMEDOUT);
	kill(h.pid, SIGKILL);
	assert_int_equal(helper_wait_readable(h.pidfd, 2000), 0);
	assert_int_equal(helper_reap(&h, 0, &st), 0);
	assert_int_equal(WTERMSIG(st), SIGKILL);
}

static int exec_fn(int sock, void *arg)
{
	(void)sock;
	(void)arg;
	execl("/bin/sh", "sh", "-c", "exit 7", (char *)NULL);
	return 127;
}

/* a helper without an exit signal that execs gets SIGCHLD as one: still reaped, its status kept */
static void test_reap_after_exec(void **state)
{
	struct helper_spec s = {.fn = exec_fn, .no_socket = true, .no_sigchld = true};
	struct helper h;
	int st;

	assert_int_equal(helper_spawn(&s, &h), 0);
	assert_int_equal(helper_wait_readable(h.pidfd, 5000), 0);
	assert_int_equal(helper_reap(&h, 1000, &st), 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 7);
}

static void test_bad_namespace(void **state)
{
	struct helper_ns ns = {.pid = getpid(), .netns_path = "/nonexistent/netns"};
	struct helper_spec s = {.fn = count_fn, .ns = &ns};
	struct helper h;

	assert_int_equal(helper_spawn(&s, &h), -ENOENT);
	assert_int_equal(h.pid, 0);
}

static void test_status_str(void **state)
{
	char buf[128];

	assert_string_equal(helper_status_str(3 << 8, buf, sizeof(buf)), "exited with status 3");
	assert_non_null(strstr(helper_status_str(SIGSYS, buf, sizeof(buf)), "seccomp"));
	assert_non_null(strstr(helper_status_str(SIGTERM, buf, sizeof(buf)), "signal 15"));
}

static void test_recv_truncated(void **state)
{
	int sv[2], p[2], fd = -1;
	char big[100] = {0}, small[10];
	size_t n;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(helper_send(sv[0], big, sizeof(big), p, 1), 0);
	close(p[0]);
	/* a record larger than the buffer: refused, and the fd it carried closed */
	assert_int_equal(helper_recv(sv[1], small, sizeof(small), &fd, 1, &n, 100), -EMSGSIZE);
	assert_int_equal(write(p[1], "x", 1), -1);
	assert_int_equal(errno, EPIPE);
	assert_int_equal(helper_recv(sv[1], small, sizeof(small), NULL, 0, NULL, 10), -ETIMEDOUT);
	close(sv[0]);
	assert_int_equal(helper_recv(sv[1], small, sizeof(small), NULL, 0, NULL, 100), 0);
	close(sv[1]);
	close(p[1]);
}

static void test_budget(void **state)
{
	struct helper_budget b = {0};
	uint64_t t = 1000 * S;

	for (int i = 0; i < HELPER_RESTARTS; i++)
		assert_int_equal(helper_budget_take(&b, t + (uint64_t)i * S), 0);
	assert_int_equal(helper_budget_used(&b, t + 10 * S), HELPER_RESTARTS);
	/* the sixth within the minute waits until the first leaves the window */
	assert_int_equal(helper_budget_take(&b, t + 10 * S), t + HELPER_RESTART_WINDOW_S * S);
	assert_int_equal(helper_budget_take(&b, t + 59 * S), t + HELPER_RESTART_WINDOW_S * S);
	assert_int_equal(helper_budget_take(&b, t + 60 * S), 0);
	/* then the second one's time */
	assert_int_equal(helper_budget_take(&b, t + 60 * S), t + (1 + HELPER_RESTART_WINDOW_S) * S);
	assert_int_equal(helper_budget_used(&b, t + 200 * S), 0);
	assert_int_equal(helper_budget_take(&b, t + 200 * S), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spawn_echo),	cmocka_unit_test(test_closes_fds),
		cmocka_unit_test(test_reap_kills),	cmocka_unit_test(test_pidfd_reports_death),
		cmocka_unit_test(test_bad_namespace),	cmocka_unit_test(test_status_str),
		cmocka_unit_test(test_recv_truncated),	cmocka_unit_test(test_budget),
		cmocka_unit_test(test_reap_after_exec),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
