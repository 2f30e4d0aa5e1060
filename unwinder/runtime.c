// SPDX-License-Identifier: MIT
/*
 * runtime.c - find CPython's _PyRuntime, its version and its key symbols.
 *
 * Where the runtime lives (see ../shared/notes/cpython.md, "Finding the
 * runtime"): in the executable for static builds (Debian's python3.X), in
 * libpython3.X.so for --enable-shared builds and embedders. It is the
 * exported _PyRuntime symbol, which since 3.10 also has its own .PyRuntime
 * section. The version: Py_Version (3.11+, a const unsigned long holding
 * PY_VERSION_HEX), checked in 3.13+ against the _Py_DebugOffsets header at
 * the start of _PyRuntime; before 3.11 only the file name or the set of
 * exported symbols tells. We never run the target's binary to ask.
 *
 * Everything here is the target's word: a process can map a crafted
 * "libpython3.12.so". Symbols must land inside mappings with the right
 * permissions, versions must agree, and only two small reads (Py_Version,
 * the debug-offsets header) touch its memory.
 */
#include "runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "elfsym.h"
#include "maps.h"

/* What one candidate file says about itself (link-time addresses). */
struct file_facts {
	bool has_runtime, has_runtime_section, has_pycode, has_version, has_eval;
	bool has_frame_getcode, has_bytesmain, needs_libpython;
	uint64_t runtime, runtime_size, pycode, version, version_size, eval, eval_size;
	uint64_t bias;
};

static const char debug_cookie[8] = { 'x', 'd', 'e', 'b', 'u', 'g', 'p', 'y' };

int uw_py_version_from_name(const char *path, int *major, int *minor)
{
	const char *base = strrchr(path, '/'), *p;
	int v = 0, digits = 0;

	base = base ? base + 1 : path;
	if (!strncmp(base, "libpython3.", 11))
		p = base + 11;
	else if (!strncmp(base, "python3.", 8))
		p = base + 8;
	else
		return -ENOENT;
	while (*p >= '0' && *p <= '9') {
		if (++digits > 2)
			return -ENOENT;
		v = v * 10 + (*p++ - '0');
	}
	if (digits == 0)
		return -ENOENT;
	*major = 3;
	*minor = v;
	return 0;
}

/* The process is gone: no /proc entry, or only a zombie is left. */
static bool proc_gone(pid_t pid)
{
	char fn[64], buf[512], *rp;
	ssize_t n;
	int fd;

	snprintf(fn, sizeof(fn), "/proc/%d/stat", (int)pid);
	fd = open(fn, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	/* "pid (comm) S ...": comm may contain ')' and spaces, so take the last */
	rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' && (rp[2] == 'Z' || rp[2] == 'X');
}

static bool is_libpython(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !strncmp(base, "libpython3.", 11) && strstr(base, ".so");
}

static bool same_file(const struct uw_mapping *a, const struct uw_mapping *b)
{
	return a->inode == b->inode && a->dev_major == b->dev_major && a->dev_minor == b->dev_minor;
}

/*
 * Candidate files: the executable first, then libpython3.* objects by address.
 * Each is represented by its lowest mapping at file offset 0 (what the bias
 * is computed from, and what map_files can open).
 */
static size_t pick_candidates(pid_t pid, const struct uw_maps *maps,
			      const struct uw_mapping **cand, size_t cap)
{
	const struct uw_mapping *v = uw_maps_entries(maps);
	size_t n = 0, count = uw_maps_count(maps);
	struct uw_mapping exe = { 0 };
	bool have_exe = false;
	struct stat st;
	char fn[64];

	/* stat follows the exe link to the inode itself: right even when the
	 * binary was deleted or renamed, and whatever it is called */
	snprintf(fn, sizeof(fn), "/proc/%d/exe", (int)pid);
	if (stat(fn, &st) == 0) {
		exe.inode = (uint64_t)st.st_ino;
		exe.dev_major = major(st.st_dev);
		exe.dev_minor = minor(st.st_dev);
		have_exe = true;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < count && n < cap; i++) {
			const struct uw_mapping *m = &v[i];
			bool dup = false;

			if (m->offset != 0 || m->inode == 0 || !m->path)
				continue;
			if (pass == 0 ? !(have_exe && same_file(m, &exe)) : !is_libpython(m->path))
				continue;
			for (size_t k = 0; k < n && !dup; k++)
				dup = same_file(cand[k], m);
			if (!dup)
				cand[n++] = m;
		}
	}
	return n;
}

/*
 * The facts of a file do not change while it exists, and every process of a
 * run maps the same few (the interpreter, libpython, libc): reading its
 * symbol tables costs milliseconds, so they are kept per (device, inode).
 * A recycled inode could bring stale facts: they only say where to look,
 * and everything read there is validated as for any other file (a wrong
 * answer is a status, never a grant).
 */
#define FACTS_CACHE 16

static struct {
	bool used;
	unsigned dev_major, dev_minor;
	uint64_t inode;
	struct file_facts f;	/* bias not valid: it depends on the mapping */
	uint64_t vaddr;		/* first PT_LOAD p_vaddr, for the bias */
} facts_cache[FACTS_CACHE];
static unsigned facts_next;

void uw_runtime_forget(void)
{
	memset(facts_cache, 0, sizeof(facts_cache));
	facts_next = 0;
}

/* The bias of the file of @m: where its first offset-0 mapping starts. */
static int cached_bias(const struct uw_mapping *m, const struct uw_maps *maps, uint64_t vaddr,
		       uint64_t *bias)
{
	const struct uw_mapping *base = uw_maps_file_base(maps, m->dev_major, m->dev_minor, m->inode);

	if (!base)
		return -ENOENT;
	*bias = base->start - vaddr;
	return 0;
}

static int file_facts_read(pid_t pid, const struct uw_mapping *m, struct file_facts *f,
			   uint64_t *vaddr);

/* Read the facts of one file. 0, or -errno from opening it. */
static int file_facts(pid_t pid, const struct uw_mapping *m, const struct uw_maps *maps,
		      struct file_facts *f)
{
	uint64_t vaddr = 0;
	int err;

	for (unsigned i = 0; i < FACTS_CACHE; i++) {
		if (!facts_cache[i].used || facts_cache[i].inode != m->inode ||
		    facts_cache[i].dev_major != m->dev_major || facts_cache[i].dev_minor != m->dev_minor)
			continue;
		*f = facts_cache[i].f;
		f->bias = 0;
		if (f->has_runtime && cached_bias(m, maps, facts_cache[i].vaddr, &f->bias) < 0)
			f->has_runtime = false;
		return 0;
	}
	err = file_facts_read(pid, m, f, &vaddr);
	if (err)
		return err;
	if (f->has_runtime && cached_bias(m, maps, vaddr, &f->bias) < 0) {
		f->has_runtime = false;
		return 0; /* not kept: the next process may map it normally */
	}
	facts_cache[facts_next].used = true;
	facts_cache[facts_next].dev_major = m->dev_major;
	facts_cache[facts_next].dev_minor = m->dev_minor;
	facts_cache[facts_next].inode = m->inode;
	facts_cache[facts_next].f = *f;
	facts_cache[facts_next].vaddr = vaddr;
	facts_next = (facts_next + 1) % FACTS_CACHE;
	return 0;
}

static int file_facts_read(pid_t pid, const struct uw_mapping *m, struct file_facts *f,
			   uint64_t *vaddr)
{
	struct uw_elf *e;
	uint64_t dummy;
	int err;

	memset(f, 0, sizeof(*f));
	err = uw_elf_open_mapping(pid, m, &e);
	if (err)
		return err;
	f->has_runtime = uw_elf_symbol(e, "_PyRuntime", &f->runtime, &f->runtime_size) == 0;
	{
		uint64_t addr, size;

		if (uw_elf_section(e, ".PyRuntime", &addr, &size) == 0) {
			f->has_runtime_section = true;
			/* stripped of even the dynamic symbol (embedders built with
			 * hidden visibility): the section is _PyRuntime */
			if (!f->has_runtime) {
				f->has_runtime = true;
				f->runtime = addr;
				f->runtime_size = size;
			}
		}
	}
	f->has_pycode = uw_elf_symbol(e, "PyCode_Type", &f->pycode, NULL) == 0;
	f->has_version = uw_elf_symbol(e, "Py_Version", &f->version, &f->version_size) == 0;
	f->has_eval = uw_elf_symbol(e, "_PyEval_EvalFrameDefault", &f->eval, &f->eval_size) == 0;
	f->has_frame_getcode = uw_elf_symbol(e, "PyFrame_GetCode", &dummy, NULL) == 0;
	f->has_bytesmain = uw_elf_symbol(e, "Py_BytesMain", &dummy, NULL) == 0;
	f->needs_libpython = uw_elf_needs(e, "libpython3.") == 1;
	/* The bias depends on where this process mapped the file: computed
	 * by the caller from @vaddr, for cached facts as for fresh ones. */
	if (f->has_runtime && uw_elf_first_load_vaddr(e, vaddr) < 0)
		f->has_runtime = false;
	uw_elf_close(e);
	return 0;
}

/* @addr (a runtime address) lies in a mapping with at least @prot. */
static bool mapped_with(const struct uw_maps *maps, uint64_t addr, unsigned prot)
{
	const struct uw_mapping *m = uw_maps_find(maps, addr);

	return m && (m->prot & prot) == prot;
}

/*
 * The version for a file that defines the runtime. Sets rt->version_hex,
 * major, minor. 0, -EINVAL (inconsistent), or a read error.
 */
static int find_version(struct uw_mem *mem, const struct uw_mapping *m,
			const struct file_facts *f, const struct uw_maps *maps,
			struct uw_runtime *rt)
{
	int nmajor, nminor;
	bool named = uw_py_version_from_name(m->path, &nmajor, &nminor) == 0;

	if (f->has_version) {
		uint8_t b[8] = { 0 };
		uint64_t v = 0, addr = f->bias + f->version;
		int err;

		/* const unsigned long: 8 bytes on x86-64; accept 4 as well */
		if ((f->version_size != 4 && f->version_size != 8) ||
		    !mapped_with(maps, addr, PROT_READ))
			return -EINVAL;
		err = uw_mem_read(mem, addr, b, (size_t)f->version_size);
		if (err)
			return err == -EFAULT ? -EINVAL : err;
		for (int i = 7; i >= 0; i--)
			v = v << 8 | b[i];
		/* PY_VERSION_HEX: 0xMMmmppLS, level in {a, b, c, f} */
		if (v > UINT32_MAX || (((v >> 4) & 0xf) < 0xa))
			return -EINVAL;
		rt->version_hex = (uint32_t)v;
		rt->major = (int)(v >> 24);
		rt->minor = (int)((v >> 16) & 0xff);
		/* Py_Version appeared in 3.11: an older claim is a lie */
		if (rt->major == 3 && rt->minor < 11)
			return -EINVAL;
		/* a file name that disagrees loses (renamed or copied builds) */
		return 0;
	}
	if (named) {
		/* every 3.11+ exports Py_Version */
		if (nminor >= 11)
			return -EINVAL;
		rt->major = nmajor;
		rt->minor = nminor;
		return 0;
	}
	/* No name to go by (e.g. an executable called "python3" or an embedder's
	 * copy): the exported API grows with each version. */
	rt->major = 3;
	if (f->has_runtime_section)
		rt->minor = 10;
	else if (f->has_frame_getcode)
		rt->minor = 9;
	else if (f->has_bytesmain)
		rt->minor = 8;
	else
		rt->minor = 7;
	return 0;
}

/* 3.13+: the _Py_DebugOffsets header at the start of _PyRuntime. */
static int check_debug_offsets(struct uw_mem *mem, struct uw_runtime *rt)
{
	uint8_t hdr[24];
	uint64_t version, ft;
	int err;

	if (rt->runtime_size < sizeof(hdr))
		return -EINVAL;
	err = uw_mem_read(mem, rt->runtime_addr, hdr, sizeof(hdr));
	if (err)
		return err == -EFAULT ? -EINVAL : err;
	if (memcmp(hdr, debug_cookie, sizeof(debug_cookie)) != 0)
		return -EINVAL;
	memcpy(&version, hdr + 8, sizeof(version));
	memcpy(&ft, hdr + 16, sizeof(ft));
	if (version != rt->version_hex || ft > 1)
		return -EINVAL;
	rt->debug_offsets = true;
	rt->free_threaded = ft == 1;
	return 0;
}

/* Fill @rt from the file that defines the runtime. */
static int use_file(struct uw_mem *mem, const struct uw_mapping *m,
		    const struct file_facts *f, const struct uw_maps *maps,
		    struct uw_runtime *rt)
{
	int err;

	/* the parser bounds paths below PATH_MAX */
	snprintf(rt->path, sizeof(rt->path), "%s", m->path);
	rt->bias = f->bias;
	rt->runtime_addr = f->bias + f->runtime;
	rt->runtime_size = f->runtime_size;
	/* The dynamic loader reserves a library's whole span with the first
	 * segment's protection, then maps the others over it: until the data
	 * segment is mapped writable, no code of this interpreter has run and
	 * nothing can be read. Say "not yet" rather than "broken". */
	if (!mapped_with(maps, rt->runtime_addr, PROT_READ | PROT_WRITE))
		return -EAGAIN;
	err = find_version(mem, m, f, maps, rt);
	if (err)
		return err;
	if (rt->major != 3 || rt->minor < UW_PY_MINOR_MIN || rt->minor > UW_PY_MINOR_MAX)
		return -ENOTSUP;
	/* a file with _PyRuntime but no PyCode_Type is not a CPython we know */
	if (!f->has_pycode || rt->runtime_addr == 0 || rt->runtime_size == 0)
		return -EINVAL;
	rt->pycode_type = f->bias + f->pycode;
	/* _PyRuntime and PyCode_Type are writable data (3.8/3.9: .bss, which is
	 * the anonymous mapping after the file's last page) */
	if (!mapped_with(maps, rt->runtime_addr, PROT_READ | PROT_WRITE) ||
	    !mapped_with(maps, rt->pycode_type, PROT_READ))
		return -EINVAL;
	if (f->has_eval && f->eval != 0) {
		rt->eval_frame_addr = f->bias + f->eval;
		rt->eval_frame_size = f->eval_size;
		if (!mapped_with(maps, rt->eval_frame_addr, PROT_EXEC))
			return -EINVAL;
	}
	if (rt->minor >= 13)
		return check_debug_offsets(mem, rt);
	return 0;
}

int uw_runtime_find(pid_t pid, struct uw_mem *mem, struct uw_runtime *rt)
{
	const struct uw_mapping *cand[UW_RUNTIME_CANDIDATES_MAX];
	struct uw_maps *maps = NULL;
	bool needs_libpython = false;
	int old_major = 0, old_minor = 0, open_err = 0, err;
	size_t n;

	memset(rt, 0, sizeof(*rt));
	if (pid <= 0 || !mem || uw_mem_pid(mem) != pid)
		return -EINVAL;
	err = uw_maps_read(pid, &maps);
	if (err)
		return err;
	/* no address space: a zombie (or a kernel thread, never our target) */
	if (uw_maps_count(maps) == 0) {
		uw_maps_free(maps);
		return -ESRCH;
	}
	n = pick_candidates(pid, maps, cand, UW_RUNTIME_CANDIDATES_MAX);
	for (size_t i = 0; i < n; i++) {
		struct file_facts f;

		err = file_facts(pid, cand[i], maps, &f);
		if (err) {
			if (!open_err)
				open_err = err;
			continue;
		}
		if (i == 0 && f.needs_libpython)
			needs_libpython = true;
		if (!f.has_runtime) {
			int ma, mi;

			/* CPython before 3.7 has no _PyRuntime; still say which
			 * version it is so that the caller can tell the user */
			if (f.has_pycode && uw_py_version_from_name(cand[i]->path, &ma, &mi) == 0 &&
			    !old_major) {
				old_major = ma;
				old_minor = mi;
				snprintf(rt->path, sizeof(rt->path), "%s", cand[i]->path);
			}
			continue;
		}
		err = use_file(mem, cand[i], &f, maps, rt);
		if (err && err != -ENOTSUP) {
			int ma = rt->major, mi = rt->minor;

			memset(rt, 0, sizeof(*rt));
			rt->major = ma;
			rt->minor = mi;
		}
		uw_maps_free(maps);
		if (err && err != -ESRCH && proc_gone(pid))
			return -ESRCH;
		return err;
	}
	uw_maps_free(maps);
	if (proc_gone(pid))
		return -ESRCH;
	if (old_major) {
		rt->major = old_major;
		rt->minor = old_minor;
		return -ENOTSUP;
	}
	if (open_err)
		return open_err;
	return needs_libpython ? -EAGAIN : -ENOENT;
}
