#!/usr/bin/env python3
"""no-nftables.py - run a command as on a kernel without nftables (tests).

  no-nftables.py COMMAND [ARG...]

A seccomp filter makes socket(AF_NETLINK, ..., NETLINK_NETFILTER) fail with
EPROTONOSUPPORT, which is what such a kernel answers, for the command and everything it
starts. Run as root: the filter is then installed without no_new_privs, so that set-user-ID
programs the command runs (runuser, newuidmap) still work. x86_64 and aarch64.
"""
import ctypes
import os
import platform
import struct
import sys

AF_NETLINK = 16
NETLINK_NETFILTER = 12
EPROTONOSUPPORT = 93
# machine -> (AUDIT_ARCH_*, __NR_socket)
ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}

BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_RET_K = 0x06
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def ins(code, jt, jf, k):
    return struct.pack("=HBBI", code, jt, jf, k)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    machine = platform.machine()
    if machine not in ARCHES:
        print("no-nftables.py: unsupported machine %s" % machine, file=sys.stderr)
        return 2
    arch, nr_socket = ARCHES[machine]
    # struct seccomp_data: nr at 0, arch at 4, args[0] at 16, args[2] at 32 (low halves)
    prog = b"".join([
        ins(BPF_LD_W_ABS, 0, 0, 4),
        ins(BPF_JEQ_K, 0, 7, arch),
        ins(BPF_LD_W_ABS, 0, 0, 0),
        ins(BPF_JEQ_K, 0, 5, nr_socket),
        ins(BPF_LD_W_ABS, 0, 0, 16),
        ins(BPF_JEQ_K, 0, 3, AF_NETLINK),
        ins(BPF_LD_W_ABS, 0, 0, 32),
        ins(BPF_JEQ_K, 0, 1, NETLINK_NETFILTER),
        ins(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | EPROTONOSUPPORT),
        ins(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ])
    buf = ctypes.create_string_buffer(prog, len(prog))
    fprog = SockFprog(len(prog) // 8, ctypes.addressof(buf))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        print("no-nftables.py: seccomp: %s" % os.strerror(ctypes.get_errno()), file=sys.stderr)
        return 1
    os.execvp(argv[1], argv[1:])
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
