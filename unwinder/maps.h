/* SPDX-License-Identifier: MIT */
/*
 * maps.h - a process's memory mappings, from /proc/PID/maps.
 *
 * The text comes from the kernel, but the paths in it were chosen by the
 * target (file names, memfd names, renamed files): they are kept as opaque
 * bytes and never trusted to name the file that is really mapped (see
 * elfsym.h for how a mapped file is opened safely).
 */
#ifndef UW_MAPS_H
#define UW_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Above the kernel's default vm.max_map_count (65530): more is refused. */
#define UW_MAPS_MAX 65536
/* The most text read from /proc/PID/maps (about 1 KiB per mapping at the cap). */
#define UW_MAPS_TEXT_MAX (64u << 20)

/* One line of /proc/PID/maps. */
struct uw_mapping {
	uint64_t start, end;	/* [start, end), start < end */
	uint64_t offset;	/* file offset of start */
	uint64_t inode;		/* 0 for anonymous mappings */
	unsigned dev_major, dev_minor;
	unsigned prot;		/* PROT_READ | PROT_WRITE | PROT_EXEC */
	bool shared;		/* 's' (MAP_SHARED) rather than 'p' */
	bool deleted;		/* the path ended in " (deleted)" (stripped from @path) */
	char *path;		/* NULL when anonymous; "[heap]", "[stack]", ... kept as is.
				 * Escapes the kernel made ("\012" for a newline) are kept. */
};

/* Parsed mappings, sorted by address, never overlapping. Opaque. */
struct uw_maps;

/**
 * uw_maps_parse - parse the text of a /proc/PID/maps file.
 * @text: the text, not necessarily NUL-terminated, may contain any bytes
 * @len: its length in bytes
 * @out: receives the mappings (free with uw_maps_free)
 *
 * Lines that do not parse (or carry a path longer than PATH_MAX - 1, or a NUL
 * byte) are skipped. Lines are sorted by start address; a line overlapping an
 * earlier kept one is dropped (the kernel never produces such lines).
 *
 * Return: 0; -E2BIG for more than UW_MAPS_MAX mappings or more than
 * UW_MAPS_TEXT_MAX bytes; -ENOMEM.
 */
int uw_maps_parse(const char *text, size_t len, struct uw_maps **out);

/**
 * uw_maps_read - read and parse /proc/@pid/maps.
 * @pid: the process, in our pid namespace
 * @out: receives the mappings (free with uw_maps_free)
 *
 * Return: 0; -ESRCH when the process is gone; -EACCES/-EPERM without ptrace
 * read access; -E2BIG or -ENOMEM as uw_maps_parse.
 * A zombie or kernel thread yields 0 mappings, not an error.
 */
int uw_maps_read(pid_t pid, struct uw_maps **out);

/** uw_maps_free - free @maps (NULL is fine); its entries and paths go with it. */
void uw_maps_free(struct uw_maps *maps);

/** uw_maps_count - number of mappings in @maps. */
size_t uw_maps_count(const struct uw_maps *maps);

/**
 * uw_maps_entries - the mappings of @maps, sorted by address.
 * Valid until uw_maps_free(@maps); uw_maps_count() entries.
 */
const struct uw_mapping *uw_maps_entries(const struct uw_maps *maps);

/**
 * uw_maps_find - the mapping that contains @addr, or NULL (binary search).
 */
const struct uw_mapping *uw_maps_find(const struct uw_maps *maps, uint64_t addr);

/**
 * uw_maps_file_base - the lowest mapping of file offset 0 of the file
 * (@dev_major, @dev_minor, @inode): where the file's image starts, from
 * which a load bias follows. NULL when the file is not mapped so.
 */
const struct uw_mapping *uw_maps_file_base(const struct uw_maps *maps, unsigned dev_major,
					   unsigned dev_minor, uint64_t inode);

#endif
