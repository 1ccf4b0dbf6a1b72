/* test_sysfilter.c - the network process's confinement, tested in forked copies */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cap-ng.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox.h"
#include "sysfilter.h"

enum forbidden {
	F_EXECVE,
	F_UNSHARE,
	F_MOUNT,
	F_PTRACE,
	F_PRCTL,
	F_SETNS,
	F_FORK,
	F_NONE
};

/**
 * run_filtered() - Fork, install the filter in the child, make one call there
 * @what:	the call, or F_NONE for allowed calls only
 *
 * Return: the child's wait status
 */
static int run_filtered(enum forbidden what)
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[] = {"/bin/true", NULL};
		int fd;

		if (sysfilter_install() < 0)
			_exit(3);
		/* allowed: what libslirp and the loop do */
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fd < 0 || epoll_create1(0) < 0 || getpid() <= 0)
			_exit(4);
		close(fd);
		switch (what) {
		case F_EXECVE:
			execve(argv[0], argv, NULL);
			break;
		case F_UNSHARE:
			syscall(SYS_unshare, 0);
			break;
		case F_MOUNT:
			mount("none", "/nonexistent", "tmpfs", 0, NULL);
			break;
		case F_PTRACE:
			ptrace(PTRACE_TRACEME, 0, NULL, NULL);
			break;
		case F_PRCTL:
			prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
			break;
		case F_SETNS:
			syscall(SYS_setns, -1, 0);
			break;
		case F_FORK:
			if (fork() == 0)
				_exit(6);
			break;
		case F_NONE:
			break;
		}
		_exit(what == F_NONE ? 0 : 5);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static void test_forbidden_calls_kill(void **state)
{
	static const enum forbidden calls[] = {F_EXECVE, F_UNSHARE, F_MOUNT, F_PTRACE,
					       F_PRCTL,	 F_SETNS,   F_FORK};

	(void)state;
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		int st = run_filtered(calls[i]);

		if (!WIFSIGNALED(st))
			fail_msg("call %zu: not killed (exit status %d)", i, WEXITSTATUS(st));
		assert_int_equal(WTERMSIG(st), SIGSYS);
	}
}

static void test_allowed_calls_live(void **state)
{
	int st = run_filtered(F_NONE);

	(void)state;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_blocked_list(void **state)
{
	const char *const *names;
	size_t n = sysfilter_blocked(&names);
	bool execve = false, setns = false;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		execve |= !strcmp(names[i], "execve");
		setns |= !strcmp(names[i], "setns");
	}
	assert_true(execve && setns);
}

/**
 * sandbox_child() - In a forked copy: enter the sandbox and check it from inside
 *
 * Return: exit code: 0 ok, 77 cannot sandbox here, else the failed check's number
 */
static int sandbox_child(void)
{
	DIR *d;
	struct dirent *e;
	int ret = sandbox_enter(), n = 0;

	if (ret == -EPERM || ret == -EINVAL || ret == -ENOSPC)
		return 77;
	if (ret < 0)
		return 10;
	if (sandbox_drop_caps() < 0)
		return 11;
	d = opendir("/");
	if (!d)
		return 12;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n += strcmp(e->d_name, "etc") ? 100 : 1;
	closedir(d);
	if (n != 1)
		return 13; /* only etc */
	if (access("/etc/resolv.conf", F_OK) == 0 && access("/etc/resolv.conf", R_OK) < 0)
		return 14;
	if (mkdir("/x", 0755) == 0 || errno != EROFS)
		return 15;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return 16;
	capng_get_caps_process();
	if (!capng_have_capability(CAPNG_EFFECTIVE, CAP_NET_BIND_SERVICE) ||
	    capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN) ||
	    capng_have_capability(CAPNG_PERMITTED, CAP_NET_ADMIN) ||
	    capng_have_capability(CAPNG_EFFECTIVE, CAP_DAC_OVERRIDE))
		return 17;
	/* mounting is no longer possible */
	if (mount("none", "/etc", "tmpfs", 0, NULL) == 0)
		return 18;
	return 0;
}

static void test_sandbox(void **state)
{
	pid_t pid = fork();
	int st;

	(void)state;
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(sandbox_child());
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forbidden_calls_kill),
		cmocka_unit_test(test_allowed_calls_live),
		cmocka_unit_test(test_blocked_list),
		cmocka_unit_test(test_sandbox),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
