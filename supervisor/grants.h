/* SPDX-License-Identifier: MIT */
/*
 * grants.h - the implicit import grant: when a confined module's call is the
 * import system reading Python code, or loading a standard C extension.
 */
#ifndef SV_GRANTS_H
#define SV_GRANTS_H

#include <stdbool.h>
#include <sys/types.h>

#include "supervisor.h"

/**
 * sv_import_stack - the innermost run of standard-library frames of @s (up
 * to the first frame that is not, or that a policy entry confines) includes
 * the import system (importlib, zipimport, site, pkgutil, runpy, getpath).
 */
bool sv_import_stack(const struct pol_policy *p, const struct uw_stack *s);

/**
 * sv_import_path - is @path (sisup's own copy) something importing reads:
 * a directory (O_DIRECTORY), Python source or bytecode, an extension
 * module, a .pth, zip/egg/wheel archive, pyvenv.cfg, or a file inside a
 * .dist-info/.egg-info or __pycache__ directory? No ".." component.
 */
bool sv_import_path(const char *path, int flags);

/**
 * sv_system_file - is @path (sisup's copy) a system file every program may
 * read: the time zone, locale data, OpenSSL's configuration, /dev/null and
 * the random devices?
 */
bool sv_system_file(const char *path);

/**
 * sv_library_path - is @path (sisup's copy) a shared library ("x.so",
 * "libm.so.6") or the dynamic loader's cache, which loading native code
 * reads? No ".." component.
 */
bool sv_library_path(const char *path);

/**
 * sv_extension_map - may this PROT_EXEC mapping be the loading of a C
 * extension of the standard library (or a system library it needs)?
 * @tid: the caller; @fd: the descriptor being mapped (mmap's fifth argument).
 * True only when the file is a regular file under the interpreter's own
 * lib directory or a system library directory and no other thread of the
 * process (which could swap the descriptor before the kernel maps it) is
 * alive.
 */
bool sv_extension_map(struct sv *sv, pid_t tid, int fd);

#endif
