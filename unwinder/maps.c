// SPDX-License-Identifier: MIT
/*
 * maps.c - parse /proc/PID/maps.
 *
 * The kernel writes each line as
 *   "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu " [padding] [name] "\n"
 * (fs/proc/task_mmu.c). The name is whatever d_path() or the vma's name gives:
 * spaces are not escaped, only newlines are ("\012"), so the name runs to the
 * end of the line. The parser is hand-written rather than sscanf-based so that
 * every field has a bounded width and overflow is detected; it is also the
 * fuzz target for this file.
 */
#include "maps.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct uw_maps {
	size_t n;
	struct uw_mapping *v;
	char *names;		/* every path, NUL-separated; v[i].path points in here */
};

static const char deleted_suffix[] = " (deleted)";

/* A cursor over one line: [p, end). */
struct cur {
	const char *p, *end;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 1 to 16 hex digits; more would overflow 64 bits. */
static bool take_hex(struct cur *c, uint64_t *v)
{
	uint64_t x = 0;
	int n = 0, d;

	while (c->p < c->end && (d = hexval(*c->p)) >= 0) {
		if (++n > 16)
			return false;
		x = x << 4 | (uint64_t)d;
		c->p++;
	}
	*v = x;
	return n > 0;
}

/* 1 to 20 decimal digits without overflow. */
static bool take_dec(struct cur *c, uint64_t *v)
{
	uint64_t x = 0;
	int n = 0;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		unsigned d = (unsigned)(*c->p - '0');

		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
		n++;
		c->p++;
	}
	*v = x;
	return n > 0;
}

static bool take_char(struct cur *c, char ch)
{
	if (c->p >= c->end || *c->p != ch)
		return false;
	c->p++;
	return true;
}

/*
 * Parse one line (without its newline) into @m; the path, if any, is returned
 * as [*name, *name + *name_len) inside the line. Returns false to skip it.
 */
static bool parse_line(const char *line, size_t len, struct uw_mapping *m,
		       const char **name, size_t *name_len)
{
	struct cur c = { line, line + len };
	uint64_t maj, min;
	const char *perms;

	memset(m, 0, sizeof(*m));
	*name = NULL;
	*name_len = 0;
	if (!take_hex(&c, &m->start) || !take_char(&c, '-') || !take_hex(&c, &m->end) ||
	    !take_char(&c, ' '))
		return false;
	if (m->start >= m->end)
		return false;
	if (c.end - c.p < 5)
		return false;
	perms = c.p;
	if ((perms[0] != 'r' && perms[0] != '-') || (perms[1] != 'w' && perms[1] != '-') ||
	    (perms[2] != 'x' && perms[2] != '-') || (perms[3] != 'p' && perms[3] != 's'))
		return false;
	m->prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
		  (perms[2] == 'x' ? PROT_EXEC : 0);
	m->shared = perms[3] == 's';
	c.p += 4;
	if (!take_char(&c, ' ') || !take_hex(&c, &m->offset) || !take_char(&c, ' '))
		return false;
	/* dev_t majors are 12 bits and minors 20 bits in the kernel */
	if (!take_hex(&c, &maj) || !take_char(&c, ':') || !take_hex(&c, &min) ||
	    maj > 0xfff || min > 0xfffff || !take_char(&c, ' '))
		return false;
	m->dev_major = (unsigned)maj;
	m->dev_minor = (unsigned)min;
	if (!take_dec(&c, &m->inode))
		return false;
	if (c.p == c.end)
		return true;
	/* the kernel always puts a space after the inode, then pads before a name */
	if (*c.p != ' ')
		return false;
	while (c.p < c.end && *c.p == ' ')
		c.p++;
	if (c.p == c.end)
		return true;
	len = (size_t)(c.end - c.p);
	/* a NUL would silently shorten the path: refuse the line instead */
	if (memchr(c.p, '\0', len))
		return false;
	if (len >= sizeof(deleted_suffix) &&
	    !memcmp(c.end - (sizeof(deleted_suffix) - 1), deleted_suffix, sizeof(deleted_suffix) - 1)) {
		m->deleted = true;
		len -= sizeof(deleted_suffix) - 1;
	}
	if (len >= PATH_MAX)
		return false;
	*name = c.p;
	*name_len = len;
	return true;
}

static int by_start(const void *a, const void *b)
{
	const struct uw_mapping *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

int uw_maps_parse(const char *text, size_t len, struct uw_maps **out)
{
	struct uw_maps *maps = NULL;
	/* path offsets during the first pass (paths are copied afterwards so that
	 * one allocation holds them all) */
	struct span {
		size_t off, len;
	} *spans = NULL;
	size_t lines = 0, n = 0, names_len = 0, pos;
	int err = -ENOMEM;

	*out = NULL;
	if (len > UW_MAPS_TEXT_MAX)
		return -E2BIG;
	/* upper bound for the arrays: one entry per line (the last may lack its \n) */
	for (const char *p = text, *e = text + len; p < e; lines++) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));

		p = nl ? nl + 1 : e;
	}
	maps = calloc(1, sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	if (lines > 0) {
		maps->v = calloc(lines < UW_MAPS_MAX ? lines : UW_MAPS_MAX, sizeof(*maps->v));
		spans = calloc(lines < UW_MAPS_MAX ? lines : UW_MAPS_MAX, sizeof(*spans));
		if (!maps->v || !spans)
			goto fail;
	}
	for (pos = 0; pos < len;) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - line) : len - pos;
		struct uw_mapping m;
		const char *name;
		size_t name_len;

		pos += line_len + (nl ? 1 : 0);
		if (!parse_line(line, line_len, &m, &name, &name_len))
			continue;
		if (n == UW_MAPS_MAX) {
			err = -E2BIG;
			goto fail;
		}
		maps->v[n] = m;
		/* a name's offset, +1 so that 0 means "none" */
		spans[n].off = name ? (size_t)(name - text) + 1 : 0;
		spans[n].len = name_len;
		names_len += name ? name_len + 1 : 0;
		n++;
	}
	if (names_len > 0) {
		char *w;

		maps->names = malloc(names_len);
		if (!maps->names)
			goto fail;
		w = maps->names;
		for (size_t i = 0; i < n; i++) {
			if (!spans[i].off)
				continue;
			memcpy(w, text + spans[i].off - 1, spans[i].len);
			w[spans[i].len] = '\0';
			maps->v[i].path = w;
			w += spans[i].len + 1;
		}
	}
	free(spans);
	spans = NULL;
	/* the kernel's lines are already sorted; arbitrary input need not be */
	if (n > 1)
		qsort(maps->v, n, sizeof(*maps->v), by_start);
	{
		size_t kept = 0;

		for (size_t i = 0; i < n; i++) {
			if (kept > 0 && maps->v[i].start < maps->v[kept - 1].end)
				continue;
			maps->v[kept++] = maps->v[i];
		}
		n = kept;
	}
	maps->n = n;
	*out = maps;
	return 0;
fail:
	free(spans);
	uw_maps_free(maps);
	return err;
}

int uw_maps_read(pid_t pid, struct uw_maps **out)
{
	char fn[64], *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, err;

	*out = NULL;
	if (pid <= 0)
		return -EINVAL;
	snprintf(fn, sizeof(fn), "/proc/%d/maps", (int)pid);
	fd = open(fn, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	for (;;) {
		ssize_t got;

		if (cap - len < 4096) {
			size_t ncap = cap ? cap * 2 : 64 * 1024;
			char *nb;

			if (cap >= UW_MAPS_TEXT_MAX) {
				err = -E2BIG;
				goto out;
			}
			if (ncap > UW_MAPS_TEXT_MAX)
				ncap = UW_MAPS_TEXT_MAX;
			nb = realloc(buf, ncap);
			if (!nb) {
				err = -ENOMEM;
				goto out;
			}
			buf = nb;
			cap = ncap;
		}
		got = read(fd, buf + len, cap - len);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			err = errno == ENOENT ? -ESRCH : -errno;
			goto out;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	err = uw_maps_parse(buf, len, out);
out:
	free(buf);
	close(fd);
	return err;
}

void uw_maps_free(struct uw_maps *maps)
{
	if (!maps)
		return;
	free(maps->names);
	free(maps->v);
	free(maps);
}

size_t uw_maps_count(const struct uw_maps *maps)
{
	return maps ? maps->n : 0;
}

const struct uw_mapping *uw_maps_entries(const struct uw_maps *maps)
{
	return maps ? maps->v : NULL;
}

const struct uw_mapping *uw_maps_file_base(const struct uw_maps *maps, unsigned dev_major,
					   unsigned dev_minor, uint64_t inode)
{
	const struct uw_mapping *v = uw_maps_entries(maps);
	size_t n = uw_maps_count(maps);

	/* entries are sorted by address: the first match is the lowest */
	for (size_t i = 0; i < n; i++)
		if (v[i].offset == 0 && v[i].inode == inode && v[i].dev_major == dev_major &&
		    v[i].dev_minor == dev_minor)
			return &v[i];
	return NULL;
}

const struct uw_mapping *uw_maps_find(const struct uw_maps *maps, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!maps)
		return NULL;
	hi = maps->n;
	/* entries are sorted and disjoint: find the last start <= addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (maps->v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || addr >= maps->v[lo - 1].end)
		return NULL;
	return &maps->v[lo - 1];
}
