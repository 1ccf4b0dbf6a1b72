/* sysfilter.c - the network process's seccomp filter (libseccomp): kill on dangerous calls */
/**
 * DOC: Theory of operation
 *
 * As slirp4netns --enable-seccomp: everything is allowed but a list of calls the network
 * process never makes and an attacker who took it over would want (running programs,
 * debugging others, mounts and namespaces, modules, kexec and reboot, handles to files,
 * prctl, keys, BPF), and, beyond slirp4netns' list, fork/clone: the network process is a
 * single thread that never starts anything. Such a call kills the whole process (SECCOMP_RET_KILL_PROCESS where the
 * kernel has it). Calls from a foreign ABI (32-bit on x86_64) kill as well: libseccomp's
 * bad-architecture action. A name libseccomp does not know on this architecture is skipped.
 */
#include "config.h"

#include <errno.h>
#include <seccomp.h>
#include <string.h>

#include "log.h"
#include "sysfilter.h"
#include "util.h"

static const char *const sysfilter_names[] = {
	"execve",
	"execveat",
	"ptrace",
	"process_vm_readv",
	"process_vm_writev",
	"pidfd_getfd",
	"pidfd_open",
	"pidfd_send_signal",
	"lookup_dcookie",
	"init_module",
	"finit_module",
	"delete_module",
	"chroot",
	"pivot_root",
	"mount",
	"umount",
	"umount2",
	"fsopen",
	"fsconfig",
	"fsmount",
	"fspick",
	"move_mount",
	"open_tree",
	"mount_setattr",
	"open_by_handle_at",
	"name_to_handle_at",
	"prctl",
	"setns",
	"unshare",
	"kexec_load",
	"kexec_file_load",
	"reboot",
	"bpf",
	"perf_event_open",
	"add_key",
	"request_key",
	"keyctl",
	"userfaultfd",
	"swapon",
	"swapoff",
	"acct",
	/* it never starts a process or thread: new ones could also carry new namespaces */
	"fork",
	"vfork",
	"clone",
	"clone3",
};

/**
 * sysfilter_blocked() - The calls the filter kills on
 * @names:	set to the list
 *
 * Return: its length
 */
size_t sysfilter_blocked(const char *const **names)
{
	*names = sysfilter_names;
	return ARRAY_SIZE(sysfilter_names);
}

/**
 * sysfilter_install() - Load the filter into the calling process (all threads: there is one)
 *
 * Sets no_new_privs (libseccomp does, as an unprivileged filter requires).
 *
 * Return: 0, or -errno from libseccomp (-EINVAL/-ENOSYS: no seccomp in this kernel)
 */
int sysfilter_install(void)
{
	uint32_t kill = seccomp_api_get() >= 3 ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_KILL;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int ret;

	if (!ctx)
		return -ENOMEM;
	ret = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, kill);
	for (size_t i = 0; !ret && i < ARRAY_SIZE(sysfilter_names); i++) {
		int nr = seccomp_syscall_resolve_name(sysfilter_names[i]);

		if (nr == __NR_SCMP_ERROR) {
			debug("seccomp: %s is unknown here, not blocked", sysfilter_names[i]);
			continue;
		}
		ret = seccomp_rule_add(ctx, kill, nr, 0);
		if (ret < 0)
			warn_errno(ret, "seccomp: cannot block %s", sysfilter_names[i]);
	}
	if (!ret)
		ret = seccomp_load(ctx);
	seccomp_release(ctx);
	return ret;
}
