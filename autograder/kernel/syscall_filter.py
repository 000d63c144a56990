"""The system calls a student kernel is refused (a seccomp filter), on every grading path.

A kernel runs as an unprivileged user in its own namespaces, so most of what is refused
here would fail anyway; the filter is for what an unprivileged process *can* do and a
notebook never needs, chiefly what outlives the process or reaches past its namespaces:

- the kernel keyring (``add_key``, ``keyctl``, ``request_key``): a user's keyring is kept
  by the kernel across processes, sandboxes and runs, so a key added by one submission
  could be read by the next one of the same user;
- new namespaces and mounts (``unshare``, ``setns``, ``clone`` with a namespace flag,
  ``mount`` and friends): an unprivileged user namespace would give the kernel the
  capabilities of its own namespaces;
- reading or steering other processes (``ptrace``, ``process_vm_readv``/``writev``,
  ``kcmp``, ``perf_event_open``) and kernel interfaces with a record of exploits and no
  use in a notebook (``bpf``, ``userfaultfd``, ``io_uring_*``, module and kexec loading);
- memory held outside the address space (``memfd_create``, ``memfd_secret``): a memfd
  file filled with ``write()`` is in no process's address space, so the address-space
  limit does not count it (nothing a notebook of this course runs makes one: NumPy,
  Matplotlib, IPython, ipykernel and pyzmq start and work without it). The kernel's
  control group counts it anyway (:mod:`autograder.kernel.cgroups`); where the host gives no
  control group, SysV shared memory (``shmget``), which a kernel could fill and detach,
  is refused too (:func:`program` with ``refuse_sysv_shm``).

Refused calls fail with ``EPERM`` (``clone3`` with ``ENOSYS``, so that the C library falls
back to ``clone``, whose flags can be checked). The program is compiled by libseccomp
(through ``pyseccomp``) in the grading process: bubblewrap loads it for a cold kernel
(``--seccomp FD``), and the warm parent loads the same bytes into each kernel it forks.
"""

from __future__ import annotations

import errno
import functools
import os

DENIED = {
    "keyring": ("add_key", "request_key", "keyctl"),
    "namespaces and mounts": ("unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "fsopen",
                              "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr"),
    "other processes": ("ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "perf_event_open"),
    "kernel interfaces": ("bpf", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
                          "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
                          "swapon", "swapoff", "reboot", "acct", "quotactl", "syslog"),
    "memory outside the address space": ("memfd_create", "memfd_secret"),
}
SYSV_SHARED_MEMORY = ("shmget",)  # refused where the kernel has no control group to count it
# clone's flags that make a new namespace: CLONE_NEWTIME, NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET
NAMESPACE_FLAGS = (0x80, 0x20000, 0x2000000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000)


@functools.lru_cache(maxsize=2)
def program(refuse_sysv_shm: bool = False) -> bytes:
    """The filter as a classic BPF program (``struct sock_filter`` entries, 8 bytes each); with
    ``refuse_sysv_shm``, :data:`SYSV_SHARED_MEMORY` is refused too."""
    try:
        import pyseccomp as seccomp
    except (ImportError, RuntimeError) as exc:  # RuntimeError: libseccomp itself is missing
        from autograder.errors import SandboxUnavailable

        raise SandboxUnavailable(
            f"the system-call filter of student kernels cannot be built ({exc}): install libseccomp "
            "(`apt-get install libseccomp2`) and run `make setup` again.") from exc
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for names in [*DENIED.values(), SYSV_SHARED_MEMORY if refuse_sysv_shm else ()]:
        for name in names:
            try:
                rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
            except (OSError, ValueError):  # a call this architecture does not have
                pass
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    for flag in NAMESPACE_FLAGS:  # rules for the same call and action are alternatives
        rules.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    fd = os.memfd_create("gd-syscall-filter")
    try:
        with open(fd, "wb", closefd=False) as out:
            rules.export_bpf(out)
        os.lseek(fd, 0, os.SEEK_SET)
        chunks = []
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def program_fd(refuse_sysv_shm: bool = False) -> int:
    """A fresh, readable file descriptor holding :func:`program` (for ``bwrap --seccomp FD``).

    bubblewrap reads it to the end; the caller closes it once bwrap has started.
    """
    fd = os.memfd_create("gd-syscall-filter")
    os.write(fd, program(refuse_sysv_shm))
    os.lseek(fd, 0, os.SEEK_SET)
    return fd
