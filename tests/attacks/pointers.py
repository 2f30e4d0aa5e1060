"""Attacks of issue 7 that other suites already test: the table points at
those tests instead of repeating them. table.py checks that every node id
still exists (pytest --collect-only) and takes the outcome from the pointer.
(attack, expected, why, node ids)"""

E2E = "tests/e2e/"
HARD = E2E + "test_hardening.py::"

POINTERS = [
    ("SIGKILL (and other signals, prlimit) of the supervisor from inside", "stopped",
     "hardening rule 11: EPERM in the kernel for sisup's pid; a signal to the process group "
     "takes sisup and so the whole tree (fail closed)",
     [HARD + "test_signal_or_prlimit_aimed_at_sisup_is_eperm",
      E2E + "test_failclosed.py::test_program_killing_its_group_takes_sisup_and_tree"]),
    ("ptrace of the supervisor or a sibling", "stopped", "hardening rule 6: ptrace is EPERM",
     [HARD + "test_process_access_is_eperm"]),
    ("process_vm_writev into a sibling", "stopped", "hardening rule 7: EPERM",
     [HARD + "test_process_access_is_eperm"]),
    ("/proc/SISUP/mem opened for writing", "stopped",
     "sisup is non-dumpable and the program has no CAP_SYS_PTRACE: EACCES",
     [HARD + "test_sisup_memory_and_proc_entries_are_closed"]),
    ("pidfd_getfd of a sibling's or the supervisor's descriptors", "stopped",
     "hardening rule 8: EPERM; pidfd_open of sisup is EPERM too (rule 11)",
     [HARD + "test_process_access_is_eperm",
      HARD + "test_signal_or_prlimit_aimed_at_sisup_is_eperm"]),
    ("nesting a seccomp listener", "stopped", "hardening rule 10: EPERM",
     [HARD + "test_seccomp_listener_is_eperm_plain_filter_allowed"]),
    ("io_uring", "stopped", "hardening rule 3: ENOSYS", [HARD + "test_io_uring_is_enosys"]),
    ("int 0x80 (i386 syscalls)", "stopped", "hardening rule 1: the process is killed",
     [HARD + "test_i386_int80_kills_the_process"]),
    ("x32 syscall numbers", "stopped", "hardening rule 2: the process is killed",
     [HARD + "test_x32_syscall_kills_the_process"]),
    ("personality (ASLR off, READ_IMPLIES_EXEC)", "stopped", "hardening rule 14: EPERM",
     [HARD + "test_personality"]),
    ("thread pool created by the confined module", "stopped",
     "the worker is created with the module on the stack and inherits it",
     [E2E + "test_policy.py::test_thread_pool"]),
    ("thread pool created earlier by trusted code, given a builtin", "gap",
     "the worker has only trusted frames; a builtin adds none (docs/policy.md, The cases)",
     [E2E + "test_policy.py::test_thread_pool"]),
    ("a child Python started by a confined module", "stopped",
     "the child inherits the module's principals", [E2E + "test_policy.py::test_child_process_inherits"]),
    ("pickle payload unpickled by a confined module", "stopped",
     "the payload runs under the module's frame", [E2E + "test_policy.py::test_pickle_payload"]),
    ("ctypes loading a library without native-code", "stopped", "dlopen needs native-code",
     [E2E + "test_policy.py::test_ctypes_native_code"]),
    ("a C extension making syscalls", "stopped",
     "importing a third-party extension needs native-code; its calls are charged to the "
     "extension and the Python frame calling it",
     [E2E + "test_policy.py::test_ctypes_native_code", E2E + "test_native.py::test_extension"]),
    ("path and address races, symlink, .., /proc/self escapes of argument rules", "stopped",
     "sisup performs the call itself on its own copy", [E2E + "test_args.py"]),
]
