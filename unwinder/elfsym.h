/* SPDX-License-Identifier: MIT */
/*
 * elfsym.h - symbols, sections and load bias of a file another process mapped.
 *
 * The file is opened by us but was chosen by the target, which may have
 * mapped a crafted ELF: every count, offset and size in it is checked against
 * the file before use, and lookups are bounded by section sizes.
 */
#ifndef UW_ELFSYM_H
#define UW_ELFSYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "maps.h"

/* Files larger than this are refused (libpython with symbols is ~30 MiB). */
#define UW_ELF_FILE_MAX (1ull << 30)
/* Sections beyond this index are not looked at. */
#define UW_ELF_SECTIONS_MAX 4096
/* The longest build-id note accepted (SHA-1 gives 20 bytes). */
#define UW_ELF_BUILD_ID_MAX 64

/* An open ELF file: a read-only fd and its libelf handle. Opaque. */
struct uw_elf;

/**
 * uw_elf_open_mapping - open the file behind mapping @m of process @pid.
 * @pid: the process, in our pid namespace
 * @m: one of its file mappings (from uw_maps_read)
 * @out: receives the handle (close with uw_elf_close)
 *
 * Tries /proc/PID/map_files/START-END first (the kernel's own reference to
 * the mapped file: works for deleted files, but needs CAP_SYS_ADMIN or
 * CAP_CHECKPOINT_RESTORE), then @m->path inside the target's root
 * (/proc/PID/root, resolved with RESOLVE_IN_ROOT so that a container's
 * symlinks stay in the container). Either way the file is first opened
 * O_PATH (no side effects: it could be a FIFO or a device by now), and is
 * refused unless it is a regular file whose device and inode are those of
 * @m: a path can be replaced after it was mapped (a package upgrade does
 * exactly that). Through map_files only the inode is compared: that file is
 * the mapped one by construction, and on btrfs maps and stat disagree on
 * the device.
 *
 * Return: 0; -EINVAL for an anonymous mapping; -ESTALE when only a
 * different file could be found at the path; -ENOEXEC when it is not a
 * 64-bit little-endian ELF file libelf accepts; -EFBIG beyond
 * UW_ELF_FILE_MAX; another -errno from open (-ENOENT, -EACCES, ...).
 */
int uw_elf_open_mapping(pid_t pid, const struct uw_mapping *m, struct uw_elf **out);

/**
 * uw_elf_open_path - open an ELF file of our own by path (tests, tools).
 * No identity check: the caller trusts @path. Errors as uw_elf_open_mapping
 * (-ESTALE: not a regular file).
 */
int uw_elf_open_path(const char *path, struct uw_elf **out);

/** uw_elf_close - close @e (NULL is fine): ends libelf's handle and the fd. */
void uw_elf_close(struct uw_elf *e);

/**
 * uw_elf_symbol - find the defined symbol @name, in .dynsym, then .symtab.
 * @value: receives st_value (a link-time address: add the load bias)
 * @size: receives st_size (may be NULL)
 *
 * Sections are found by type (SHT_DYNSYM, SHT_SYMTAB), either may be absent.
 * Return: 0; -ENOENT when no table defines @name.
 */
int uw_elf_symbol(struct uw_elf *e, const char *name, uint64_t *value, uint64_t *size);

/**
 * uw_elf_section - find the section called @name.
 * @addr: receives sh_addr (link-time address), @size: sh_size (may be NULL)
 * Return: 0; -ENOENT.
 */
int uw_elf_section(struct uw_elf *e, const char *name, uint64_t *addr, uint64_t *size);

/**
 * uw_elf_first_load_vaddr - page-aligned p_vaddr of the lowest PT_LOAD.
 * Return: 0; -ENOEXEC when there is no PT_LOAD or it does not start at file
 * offset 0 (page-aligned), which no linker produces and the bias rule needs.
 */
int uw_elf_first_load_vaddr(struct uw_elf *e, uint64_t *vaddr);

/**
 * uw_elf_load_bias - where @e is loaded in a process, from its mappings.
 * @e: the file; its identity is the mapping's device and inode when opened
 *     with uw_elf_open_mapping, fstat's with uw_elf_open_path
 * @maps: the process's mappings
 * @bias: receives runtime address - link-time address
 *
 * bias = start of the lowest mapping of this same file (device and inode)
 * at file offset 0, minus uw_elf_first_load_vaddr(). A file mapped twice
 * (re-mapped libraries, trampolines) resolves to its lowest offset-0 mapping.
 * Return: 0; -ENOENT when the file is not mapped at offset 0; -ENOEXEC.
 */
int uw_elf_load_bias(struct uw_elf *e, const struct uw_maps *maps, uint64_t *bias);

/**
 * uw_elf_build_id - the NT_GNU_BUILD_ID note's bytes, for cache keys.
 * @buf: receives up to @cap bytes; @len receives the id's length
 * Return: 0; -ENOENT without a note; -ENOSPC when @cap is too small.
 */
int uw_elf_build_id(struct uw_elf *e, uint8_t *buf, size_t cap, size_t *len);

/**
 * uw_elf_needs - whether DT_NEEDED names a library starting with @prefix.
 * Return: 1, 0, or -errno. (To tell "libpython not loaded yet" from "not
 * Python" right after an exec.)
 */
int uw_elf_needs(struct uw_elf *e, const char *prefix);

/** uw_elf_is_exec - 1 for ET_EXEC (non-PIE), 0 for ET_DYN and others. */
int uw_elf_is_exec(struct uw_elf *e);

#endif
