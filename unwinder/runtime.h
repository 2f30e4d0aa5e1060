/* SPDX-License-Identifier: MIT */
/*
 * runtime.h - find CPython's runtime (_PyRuntime) in a live process.
 *
 * The entry point for everything the unwinder reads: where _PyRuntime is,
 * which CPython version owns it, and where PyCode_Type and the eval loop
 * are (to validate code objects and, later, to recognise native frames).
 * Nothing is cached: after an exec the caller asks again.
 */
#ifndef UW_RUNTIME_H
#define UW_RUNTIME_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "remote.h"

/* The CPython versions the unwinder knows (major 3). */
#define UW_PY_MINOR_MIN 8
#define UW_PY_MINOR_MAX 15

/* The most files looked at as candidates (the executable + libpython). */
#define UW_RUNTIME_CANDIDATES_MAX 8

struct uw_runtime {
	uint64_t runtime_addr, runtime_size;	/* _PyRuntime in the target */
	uint64_t pycode_type;			/* &PyCode_Type in the target */
	uint64_t eval_frame_addr, eval_frame_size; /* _PyEval_EvalFrameDefault; 0 if absent */
	uint32_t version_hex;	/* PY_VERSION_HEX from Py_Version (3.11+); 0 if unknown */
	int major, minor;
	bool debug_offsets;	/* _Py_DebugOffsets found at runtime_addr (3.13+) */
	bool free_threaded;	/* from the debug offsets */
	char path[PATH_MAX];	/* the file holding the runtime, as /proc/PID/maps names it */
	uint64_t bias;		/* that file's load bias */
};

/**
 * uw_runtime_find - locate CPython's runtime in process @pid.
 * @pid: the process, in our pid namespace
 * @mem: a reader for @pid (uw_mem_new(@pid)); used for Py_Version and the
 *       debug-offsets header only
 * @rt: filled in on success; on -ENOTSUP only @rt->major/@rt->minor (and
 *      @rt->path) are meaningful
 *
 * Looks at the main executable (identified by /proc/PID/exe's device and
 * inode, whatever its name) and every mapped libpython3.* shared object, in
 * that order; the first one defining _PyRuntime (symbol, or the .PyRuntime
 * section) wins. The version comes from Py_Version (3.11+), else from the
 * file name (libpython3.X / python3.X), else from which exported symbols
 * exist. For 3.13+ the _Py_DebugOffsets header at offset 0 of _PyRuntime
 * must carry the "xdebugpy" cookie and the same version as Py_Version.
 *
 * Return: 0; -ENOENT when no CPython runtime is mapped (not Python);
 * -EAGAIN when the executable needs libpython3.* but it is not mapped yet
 * (just after exec, before the dynamic loader ran); -ENOTSUP for a CPython
 * outside 3.8-3.15 (major/minor set); -EINVAL when what the process says
 * about itself is inconsistent (versions disagree, no debug cookie in a
 * 3.13+, symbols outside its mappings); -ESRCH when the process is gone;
 * -EACCES/-EPERM without ptrace read access; -ENOMEM.
 */
int uw_runtime_find(pid_t pid, struct uw_mem *mem, struct uw_runtime *rt);

/**
 * uw_runtime_forget - drop the symbol facts kept per (device, inode) of the
 * files already examined, so that the next uw_runtime_find() opens and
 * reads them again (tests of the file-opening paths).
 */
void uw_runtime_forget(void);

/**
 * uw_py_version_from_name - "3.X" from a path's last component, when it is
 * libpython3.X... or python3.X... (X = 1-2 digits, not followed by a digit).
 * Return: 0 and *@major / *@minor; -ENOENT.
 */
int uw_py_version_from_name(const char *path, int *major, int *minor);

#endif
