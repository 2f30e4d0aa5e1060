// SPDX-License-Identifier: MIT
/*
 * walker.c - read the Python stack of a blocked thread in another process.
 *
 * Cost model (../shared/notes/kernel.md): a process_vm_readv is ~1.5 us
 * whatever its size up to a few KiB, so the walk is shaped as a few batched
 * reads instead of one read per pointer:
 *   1. the thread state (one window; its address is cached per tid and
 *      re-validated by the thread id it holds),
 *   2. the thread's current data-stack chunk, copied whole: most 3.11+
 *      frames live there, so following "previous" costs nothing; when the
 *      chain leaves it, the chunk before it (the chunk list's "previous"),
 *      also whole - a deep stack costs one read per 16 KiB chunk, not one
 *      per frame,
 *   3. the headers of all code objects on the stack, in one batch,
 *   4. their names, file names and line tables, in one batch - skipped
 *      for code objects already decoded (see the cache below).
 * Frames outside the chunks (generators, entry frames, 3.8-3.10 frame
 * objects) cost one read each.
 *
 * Everything read is hostile. Pointers are only ever handed back to
 * process_vm_readv (which checks them) or compared; every count, length and
 * depth is bounded; a cycle in the frame chain is detected; a code object
 * must carry PyCode_Type's address as its type.
 *
 * The code cache is keyed by the code object's address AND the header words
 * we decode from (file name, name, qualified name and line table pointers,
 * first line): a freed and re-used code object differs in them, so the cache
 * never answers for a different object than the one just read. (A program
 * that frees and re-creates all five objects at the very same addresses
 * could pass; it could as well compile code under any file name it likes,
 * which the threat model already counts as forgery.)
 */
#include "walker.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "modname.h"
#include "native.h"
#include "pylines.h"
#include "pyoffsets.h"
#include "remote.h"
#include "runtime.h"

#define MAX_INTERPRETERS 64
#define MAX_THREADS 4096
#define TCACHE 64
#define PRED_CODES 24			/* code headers read with a known thread's state */
#define CODE_CACHE 4096			/* hash slots, open addressing; flushed at 3/4 full */
#define CODE_ENTRIES (CODE_CACHE * 3 / 4)
#define CODE_CACHE_BYTES (8u << 20)	/* or when its strings and tables pass 8 MiB */
#define CHUNK_FIRST (16u * 1024)	/* CPython's data-stack chunk (a deeper one: a multiple) */
#define CHUNK_MAX (1u << 20)		/* all chunks copied in one unwind, together */
#define CHUNKS_MAX 32			/* chunks copied in one unwind */
#define CHUNK_HEAD 24			/* _PyStackChunk: previous, size, top; then data */
#define STR_SPEC 200			/* speculative string bytes after the header */
#define TABLE_SPEC 480			/* speculative line-table bytes */
#define TABLE_MAX (16u * 1024)		/* real tables are a few KiB */
#define BYTES_HEAD 32			/* PyBytesObject: ob_size at 16, data at 32 */

struct code_info {
	uint64_t addr;
	uint64_t key[4];	/* filename, name/qualname, linetable pointers, firstlineno */
	char *file, *func;
	uint8_t *table;		/* NULL when too long to keep */
	uint32_t table_len;
	int firstlineno;
	bool valid;
	/* Derived once per code object, not once per frame: the module (a
	 * function of the file name and the process's layout, both fixed),
	 * the last line looked up, and the arena offsets of its strings in
	 * the current unwind (recursion repeats one code object many times). */
	char *module;
	uint8_t kind;
	bool module_done;
	bool memo_valid;
	uint64_t memo_off;
	int memo_line;
	uint64_t gen;
	uint32_t file_off, func_off, module_off;
};

struct uw_proc {
	pid_t pid;
	pid_t nspid;		/* the process's pid in its own namespace */
	bool ns_differs;
	struct uw_mem *mem;
	enum uw_status status;
	char reason[160];
	bool need_retry;	/* libpython not mapped yet: look again */
	unsigned retries;
	struct uw_runtime rt;
	struct uw_pyoffsets off;
	struct uw_modctx *mctx;	/* 38 KB: allocated with the walk's buffers */
	int pthread_tid_off;	/* 3.8-3.10: tid inside glibc's struct pthread */
	/* Thread states by tid, with the _PyCFrame (3.11/3.12) and data-stack
	 * chunk addresses its last walk found there: the next walk of the thread
	 * reads them in the same process_vm_readv as the thread state. */
	struct {
		pid_t tid;
		uint8_t ncodes, nlast;
		uint64_t ts, chunk;
		uint64_t cf, cf2;		/* the last two C frames its walks found */
		uint64_t codes[PRED_CODES];	/* the code objects its last two walks met */
		uint64_t last[PRED_CODES];	/* those of the last walk alone */
	} tcache[TCACHE];
	unsigned tnext;
	int tslot;		/* this walk's tcache entry, -1 when none */
	/* What the thread-state read also copied, for collect_frames() to use
	 * if the thread state still points there (0: nothing), and for
	 * load_codes() the headers of the code objects in pre_code[0..npre). */
	uint64_t pre_cflo, pre_chunk;	/* the C stack window copied: start, length */
	uint32_t pre_cflen, npre;
	uint64_t pre_code[PRED_CODES];
	uint8_t *chunk;
	/* 3.8-3.10: the frame addresses of the last walk of one thread. Frame
	 * objects are separate heap objects, one read each; the outer part of a
	 * stack rarely changes between two syscalls, so next time all of them
	 * are read speculatively in one batch. Only addresses are remembered:
	 * every byte used is read anew. */
	pid_t spec_tid;
	uint32_t spec_n;
	uint64_t *spec;
	/* The code cache: a hash table of 16-bit slots (0 empty, else 1 + an
	 * index) over a dense array filled in order. Dense because a page fault
	 * costs 10-60 us on the VMs sisup runs on: entries spread by the hash
	 * over half a megabyte touched a new page for almost every code
	 * object; in order, a hundred of them share four pages. */
	uint16_t *code_slot;
	struct code_info *codes;	/* CODE_ENTRIES; the first ncodes in use */
	unsigned ncodes;
	uint64_t gen;		/* unwinds made: tags code_info's arena offsets */
	size_t code_bytes;
	bool want_native;		/* also walk the native frames (uw_proc_set_native) */
	struct uw_native_ctx *native;	/* created on first use */
};

/* Per-unwind scratch (one unwind at a time: the supervisor is single-threaded). */
struct rawframe {
	uint64_t code;
	uint64_t instr;		/* instr_ptr / prev_instr, or f_lasti sign-extended */
};

static struct rawframe g_frames[UW_FRAMES_MAX];

static void set_reason(struct uw_stack *s, enum uw_status st, const char *what, int err)
{
	s->status = st;
	snprintf(s->reason, sizeof(s->reason), "%s: %s", what, strerror(err > 0 ? err : -err));
}

/* ------------------------------------------------------------------ */
/* /proc helpers                                                       */

static ssize_t read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

/* Last number of "NSpid:" in /proc/@tid/status: the id in the innermost
 * namespace, which is what CPython stores as native_thread_id. */
static pid_t nspid_of(pid_t tid)
{
	char path[64], buf[4096], *p, *end;
	long v = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return tid;
	p = strstr(buf, "\nNSpid:");
	if (!p)
		return tid;
	p += 7;
	end = strchr(p, '\n');
	if (end)
		*end = '\0';
	for (;;) {
		char *q;
		long x = strtol(p, &q, 10);

		if (q == p)
			break;
		v = x;
		p = q;
	}
	return v > 0 && v <= INT_MAX ? (pid_t)v : tid;
}

/* ------------------------------------------------------------------ */
/* The module-name context of a process.                               */

static void dirname_inplace(char *p)
{
	char *s = strrchr(p, '/');

	if (s && s != p)
		*s = '\0';
	else if (s)
		s[1] = '\0';
}

/*
 * Where the interpreter's own files and the application are, from what the
 * kernel recorded at exec (executable, command line, working directory,
 * HOME). A program can lie in argv about its script; the result only names
 * modules, and __main__/app code is not trusted more than what it is.
 */
static void build_modctx(struct uw_proc *p)
{
	char path[64], exe[PATH_MAX], cwd[PATH_MAX], buf[PATH_MAX], cmd[8192], env[16384];
	ssize_t n;
	int minor = p->rt.minor;

	uw_modctx_init(p->mctx);
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)p->pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)p->pid);
	n = readlink(path, cwd, sizeof(cwd) - 1);
	cwd[n > 0 ? n : 0] = '\0';
	if (cwd[0])
		uw_modctx_set_cwd(p->mctx, cwd);

	/* prefix/bin/python3.X -> prefix/lib/python3.X (Debian, pyenv, the
	 * trixie roots); Debian's extra site directories. */
	snprintf(buf, sizeof(buf), "%s", exe);
	dirname_inplace(buf);
	dirname_inplace(buf);
	{
		char d[PATH_MAX + 64];

		snprintf(d, sizeof(d), "%s/lib/python3.%d", buf, minor);
		uw_modctx_add_stdlib(p->mctx, d);
		snprintf(d, sizeof(d), "%s/lib/python3.%d/site-packages", buf, minor);
		uw_modctx_add_site(p->mctx, d);
		snprintf(d, sizeof(d), "%s/local/lib/python3.%d/dist-packages", buf, minor);
		uw_modctx_add_site(p->mctx, d);
		snprintf(d, sizeof(d), "%s/lib/python3/dist-packages", buf);
		uw_modctx_add_site(p->mctx, d);
	}

	/* HOME's user site, and PYTHONPATH: code on sys.path that is neither
	 * the interpreter's nor the application's directory is third-party
	 * (a policy can confine it by name or through default:). Relative
	 * PYTHONPATH entries are skipped: they would name whatever the working
	 * directory is. */
	snprintf(path, sizeof(path), "/proc/%d/environ", (int)p->pid);
	n = read_file(path, env, sizeof(env));
	for (ssize_t i = 0; n > 0 && i < n; i += (ssize_t)strlen(env + i) + 1) {
		if (strncmp(env + i, "HOME=/", 6) == 0) {
			char d[PATH_MAX + 64];

			snprintf(d, sizeof(d), "%s/.local/lib/python3.%d/site-packages", env + i + 5,
				 minor);
			uw_modctx_add_site(p->mctx, d);
		} else if (strncmp(env + i, "PYTHONPATH=", 11) == 0) {
			char *list = env + i + 11, *save = NULL, *dir;
			char copy[PATH_MAX];

			if (snprintf(copy, sizeof(copy), "%s", list) >= (int)sizeof(copy)) {
				/* Cut: the last entry may be a prefix of a real
				 * one, which would be a wider root than meant. */
				char *last = strrchr(copy, ':');

				if (!last)
					continue;
				*last = '\0';
			}
			for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
				if (dir[0] == '/')
					uw_modctx_add_site(p->mctx, dir);
		}
	}

	/* argv: python [options] script|-c cmd|-m mod ... */
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)p->pid);
	n = read_file(path, cmd, sizeof(cmd));
	if (n > 0) {
		ssize_t i = (ssize_t)strlen(cmd) + 1; /* skip argv[0] */
		const char *script = NULL;

		while (i < n) {
			const char *a = cmd + i;

			i += (ssize_t)strlen(a) + 1;
			if (strcmp(a, "-c") == 0 || strcmp(a, "-m") == 0 || strcmp(a, "-") == 0 ||
			    strncmp(a, "-c", 2) == 0 || strncmp(a, "-m", 2) == 0)
				break; /* sys.path[0] is the working directory */
			if (strcmp(a, "-W") == 0 || strcmp(a, "-X") == 0 ||
			    strcmp(a, "--check-hash-based-pycs") == 0) {
				i += i < n ? (ssize_t)strlen(cmd + i) + 1 : 0;
				continue;
			}
			if (a[0] == '-')
				continue;
			script = a;
			break;
		}
		if (script) {
			char abs[PATH_MAX * 2 + 2];
			int w;

			if (script[0] == '/')
				w = snprintf(abs, sizeof(abs), "%s", script);
			else
				w = snprintf(abs, sizeof(abs), "%s/%s", cwd, script);
			if (w < 0 || (size_t)w >= sizeof(abs))
				return; /* too long to be a path the kernel accepted */
			uw_modctx_set_main(p->mctx, abs);
			dirname_inplace(abs);
			uw_modctx_set_appdir(p->mctx, abs);
		} else if (cwd[0]) {
			uw_modctx_set_appdir(p->mctx, cwd);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Opening a process.                                                  */

static void locate(struct uw_proc *p)
{
	int rc;

	p->need_retry = false;
	rc = uw_runtime_find(p->pid, p->mem, &p->rt);
	if (rc == -ENOENT) {
		p->status = UW_NOT_PYTHON;
		snprintf(p->reason, sizeof(p->reason), "no CPython runtime in the process");
		return;
	}
	if (rc == -ENOTSUP) {
		p->status = UW_UNSUPPORTED;
		snprintf(p->reason, sizeof(p->reason), "CPython %d.%d is not supported",
			 p->rt.major, p->rt.minor);
		return;
	}
	if (rc == -EAGAIN) {
		p->status = UW_NOT_INITIALIZED;
		p->need_retry = true;
		snprintf(p->reason, sizeof(p->reason), "libpython not mapped yet");
		return;
	}
	if (rc < 0) {
		/* Also seen while the dynamic loader is still mapping libpython
		 * (its first PROT_EXEC mmap is notified): look again later, a
		 * bounded number of times. */
		p->status = UW_READ_FAILED;
		p->need_retry = p->retries++ < 64;
		snprintf(p->reason, sizeof(p->reason), "runtime not found: %s", strerror(-rc));
		return;
	}
	if (p->rt.debug_offsets) {
		uint8_t head[UW_PYDEBUG_HEAD_SIZE], blob[4096];
		uint64_t ver;
		size_t size;

		if (uw_mem_read(p->mem, p->rt.runtime_addr, head, sizeof(head)) < 0) {
			p->status = UW_READ_FAILED;
			snprintf(p->reason, sizeof(p->reason), "cannot read _Py_DebugOffsets");
			return;
		}
		memcpy(&ver, head + 8, sizeof(ver));
		size = uw_pyoffsets_debug_size(ver);
		if (size == 0 || size > sizeof(blob) ||
		    uw_mem_read(p->mem, p->rt.runtime_addr, blob, size) < 0 ||
		    (rc = uw_pyoffsets_from_debug(blob, size, &p->off)) < 0) {
			p->status = UW_UNSUPPORTED;
			snprintf(p->reason, sizeof(p->reason),
				 "CPython %d.%d: _Py_DebugOffsets of version %#llx not understood",
				 p->rt.major, p->rt.minor, (unsigned long long)ver);
			return;
		}
	} else {
		const struct uw_pyoffsets *o = uw_pyoffsets_static(p->rt.major, p->rt.minor);

		if (!o) {
			p->status = UW_UNSUPPORTED;
			snprintf(p->reason, sizeof(p->reason), "CPython %d.%d: no layout",
				 p->rt.major, p->rt.minor);
			return;
		}
		p->off = *o;
	}
	/* Python: only now the walk's buffers (1.5 MiB of address space,
	 * touched as used); most processes a program starts are not Python. */
	if (!p->mctx)
		p->mctx = malloc(sizeof(*p->mctx));
	if (!p->chunk)
		p->chunk = malloc(CHUNK_MAX);
	if (!p->spec)
		p->spec = calloc(UW_FRAMES_MAX, sizeof(*p->spec));
	if (!p->code_slot)
		p->code_slot = calloc(CODE_CACHE, sizeof(*p->code_slot));
	if (!p->codes)
		p->codes = malloc(CODE_ENTRIES * sizeof(*p->codes)); /* zeroed one by one */
	if (!p->mctx || !p->chunk || !p->spec || !p->code_slot || !p->codes) {
		p->status = UW_READ_FAILED;
		p->need_retry = p->retries++ < 64;
		snprintf(p->reason, sizeof(p->reason), "out of memory");
		return;
	}
	p->status = UW_OK;
	p->reason[0] = '\0';
	build_modctx(p);
}

int uw_proc_open(pid_t pid, struct uw_proc **out)
{
	struct uw_proc *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->pid = pid;
	p->mem = uw_mem_new(pid);
	if (!p->mem) {
		uw_proc_free(p);
		return -ENOMEM;
	}
	p->nspid = nspid_of(pid);
	p->ns_differs = p->nspid != pid;
	p->pthread_tid_off = -1;
	/* The runtime is looked for at the first uw_unwind: a caller that only
	 * reads memory (a syscall's arguments) through uw_proc_mem does not pay
	 * for reading the executable's symbol tables. */
	p->status = UW_NOT_INITIALIZED;
	snprintf(p->reason, sizeof(p->reason), "not looked at yet");
	p->need_retry = true;
	*out = p;
	return 0;
}

static void code_drop(struct code_info *c)
{
	free(c->file);
	free(c->func);
	free(c->table);
	free(c->module);
	memset(c, 0, sizeof(*c));
}

void uw_proc_free(struct uw_proc *p)
{
	if (!p)
		return;
	/* Only the entries in use own memory (and were ever touched). */
	for (unsigned i = 0; p->codes && i < p->ncodes; i++) {
		free(p->codes[i].file);
		free(p->codes[i].func);
		free(p->codes[i].table);
		free(p->codes[i].module);
	}
	free(p->codes);
	free(p->code_slot);
	free(p->mctx);
	free(p->chunk);
	free(p->spec);
	uw_native_free(p->native);
	uw_mem_free(p->mem);
	free(p);
}

void uw_proc_set_native(struct uw_proc *p, bool on)
{
	p->want_native = on;
}

struct uw_mem *uw_proc_mem(struct uw_proc *p)
{
	return p ? p->mem : NULL;
}

unsigned long long uw_proc_reads(const struct uw_proc *p)
{
	return p->mem ? (unsigned long long)uw_mem_calls(p->mem) : 0;
}

/* ------------------------------------------------------------------ */
/* Thread state.                                                       */

static uint64_t u64at(const uint8_t *b, int32_t off)
{
	uint64_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static int32_t i32at(const uint8_t *b, int32_t off)
{
	int32_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

/* 3.8-3.10 keep only pthread_self(), glibc's struct pthread *. The kernel tid
 * sits inside it at a glibc-specific offset: find it once, from the oldest
 * thread state (the main thread, whose tid is the process id). */
static int pthread_tid(struct uw_proc *p, uint64_t pthread_addr, pid_t *tid)
{
	int32_t v;

	if (p->pthread_tid_off < 0)
		return -ENOENT;
	if (uw_mem_read(p->mem, pthread_addr + (uint64_t)p->pthread_tid_off, &v, sizeof(v)) < 0)
		return -EFAULT;
	*tid = v;
	return 0;
}

static void learn_pthread_tid_off(struct uw_proc *p, uint64_t main_pthread)
{
	int32_t buf[256];

	if (uw_mem_read(p->mem, main_pthread, buf, sizeof(buf)) < 0)
		return;
	/* glibc 2.36 keeps it at 0x2d0 (720): prefer that if it matches. */
	if (buf[720 / 4] == p->nspid) {
		p->pthread_tid_off = 720;
		return;
	}
	for (int i = 0; i < 256; i++) {
		if (buf[i] == p->nspid) {
			p->pthread_tid_off = i * 4;
			return;
		}
	}
}

/* Does the thread state in @win belong to @nstid? */
static int ts_matches(struct uw_proc *p, const uint8_t *win, pid_t nstid)
{
	pid_t t = 0;

	if (p->off.tstate_native_thread_id != UW_OFF_NONE)
		return i32at(win, p->off.tstate_native_thread_id) == nstid;
	if (pthread_tid(p, u64at(win, p->off.tstate_thread_id), &t) < 0)
		return 0;
	return t == nstid;
}

/* Read a thread-state window: @span bytes at least, TS_WINDOW if possible
 * (frames inside the thread state then cost nothing). Returns the bytes
 * valid, or 0 on failure. */
#define TS_WINDOW 1280
static uint32_t read_ts(struct uw_proc *p, uint64_t ts, uint8_t *win, uint32_t span)
{
	if (span < TS_WINDOW && uw_mem_read(p->mem, ts, win, TS_WINDOW) == 0)
		return TS_WINDOW;
	return uw_mem_read(p->mem, ts, win, span) == 0 ? span : 0;
}

/* 3.11/3.12: the C stack around the thread's _PyCFrame, where the current
 * frame pointer and often the entry frame are. */
#define CFRAME_BEFORE 768
#define CFRAME_AFTER 256
/* Up to one page of C stack, to cover the C frames of two call paths (a
 * client's socket() and connect() leave theirs 720 bytes apart). */
static uint8_t g_cfwin[4096];

static void tcache_add(struct uw_proc *p, pid_t tid, uint64_t ts)
{
	p->tcache[p->tnext].tid = tid;
	p->tcache[p->tnext].ts = ts;
	p->tcache[p->tnext].cf = 0;
	p->tcache[p->tnext].cf2 = 0;
	p->tcache[p->tnext].chunk = 0;
	p->tcache[p->tnext].ncodes = 0;
	p->tcache[p->tnext].nlast = 0;
	p->tslot = (int)p->tnext;
	p->tnext = (p->tnext + 1) % TCACHE;
}

/* Code-object headers copied by read_ts_predicted(), for load_codes(). */
static uint8_t g_preheads[PRED_CODES][512];

/*
 * read_ts() for a known thread, together with the _PyCFrame window, the
 * first part of the data-stack chunk and the headers of the code objects its
 * last walk found (a thread's chunk and, between two syscalls from the same
 * Python code, its C frame and the functions on its stack rarely change):
 * one process_vm_readv instead of three. The copies are only used if the
 * thread state read now points at the same addresses (collect_frames) and
 * the frames name the same code objects (load_codes); every byte is still
 * read anew, in this call. A thread state, C frame or chunk that faults (a
 * chunk freed since) costs the plain read; a code object that faults (freed,
 * its arena unmapped) just drops the headers from it on.
 */
static uint32_t read_ts_predicted(struct uw_proc *p, unsigned i, uint8_t *win, uint32_t span)
{
	uint64_t cf = p->tcache[i].cf, cf2 = p->tcache[i].cf2, chunk = p->tcache[i].chunk;
	uint64_t lo = cf, hi = cf;
	uint32_t len = span < TS_WINDOW ? TS_WINDOW : span;
	uint32_t cspan = uw_pyoffsets_span(&p->off, UW_PYS_CODE);
	struct uw_iov v[3 + PRED_CODES] = { { p->tcache[i].ts, win, len } };
	size_t n = 1, need, ncodes = 0;
	int whole;

	p->pre_cflo = p->pre_chunk = 0;
	p->pre_cflen = p->npre = 0;
	if (cf2 > CFRAME_BEFORE) {
		/* One window over both C frames, if they are close. */
		lo = cf < cf2 ? cf : cf2;
		hi = cf < cf2 ? cf2 : cf;
		if (hi - lo > sizeof(g_cfwin) - CFRAME_BEFORE - CFRAME_AFTER)
			lo = hi = cf;
	}
	if (cf > CFRAME_BEFORE)
		v[n++] = (struct uw_iov){ lo - CFRAME_BEFORE, g_cfwin,
					  (uint32_t)(hi - lo) + CFRAME_BEFORE + CFRAME_AFTER };
	if (chunk)
		v[n++] = (struct uw_iov){ chunk, p->chunk, CHUNK_FIRST };
	need = n;
	if (cspan > 0 && cspan <= sizeof(g_preheads[0]))
		for (; ncodes < p->tcache[i].ncodes && ncodes < PRED_CODES; ncodes++)
			v[n++] = (struct uw_iov){ p->tcache[i].codes[ncodes], g_preheads[ncodes],
						  cspan };
	if (n > 1 && (whole = uw_mem_readv_prefix(p->mem, v, n, need)) >= 0) {
		if (cf > CFRAME_BEFORE) {
			p->pre_cflo = lo - CFRAME_BEFORE;
			p->pre_cflen = (uint32_t)(hi - lo) + CFRAME_BEFORE + CFRAME_AFTER;
		}
		p->pre_chunk = chunk;
		p->npre = (uint32_t)((size_t)whole - need);
		memcpy(p->pre_code, p->tcache[i].codes, p->npre * sizeof(p->pre_code[0]));
		return len;
	}
	return read_ts(p, p->tcache[i].ts, win, span);
}

static int find_tstate(struct uw_proc *p, pid_t tid, pid_t nstid, uint8_t *win, uint32_t span,
		       uint64_t *ts_out, uint32_t *winlen, struct uw_stack *s)
{
	uint64_t interp = 0, head = 0;
	int rc;

	for (unsigned i = 0; i < TCACHE; i++) {
		if (p->tcache[i].tid != tid)
			continue;
		*winlen = read_ts_predicted(p, i, win, span);
		if (*winlen && ts_matches(p, win, nstid)) {
			*ts_out = p->tcache[i].ts;
			p->tslot = (int)i;
			return 0;
		}
		p->pre_cflo = p->pre_chunk = 0;
		p->pre_cflen = p->npre = 0;
		p->tcache[i].tid = 0; /* stale: the thread state was freed or re-used */
	}

	rc = uw_mem_read(p->mem, p->rt.runtime_addr + (uint64_t)p->off.runtime_interpreters_head,
			 &interp, sizeof(interp));
	if (rc < 0) {
		set_reason(s, UW_READ_FAILED, "reading the interpreter list", rc);
		return rc;
	}
	if (interp == 0) {
		s->status = UW_NOT_INITIALIZED;
		snprintf(s->reason, sizeof(s->reason), "no interpreter yet (start-up or finalisation)");
		return -ENOENT;
	}
	/* One budget for the whole search: cycles in either list (hostile
	 * memory) cost at most MAX_THREADS reads, not their product. */
	int budget = MAX_THREADS;

	for (int ni = 0; interp && ni < MAX_INTERPRETERS && budget > 0; ni++) {
		uint64_t ts = 0, last = 0, next_interp = 0;

		if (uw_mem_read(p->mem, interp + (uint64_t)p->off.interp_threads_head, &head,
				sizeof(head)) < 0 ||
		    uw_mem_read(p->mem, interp + (uint64_t)p->off.interp_next, &next_interp,
				sizeof(next_interp)) < 0) {
			set_reason(s, UW_READ_FAILED, "reading an interpreter", EFAULT);
			return -EFAULT;
		}
		ts = head;
		for (int nt = 0; ts && nt < MAX_THREADS && budget-- > 0; nt++) {
			*winlen = read_ts(p, ts, win, span);
			if (*winlen == 0) {
				set_reason(s, UW_READ_FAILED, "reading a thread state", EFAULT);
				return -EFAULT;
			}
			if (p->off.tstate_native_thread_id == UW_OFF_NONE && p->pthread_tid_off < 0 &&
			    u64at(win, p->off.tstate_next) == 0)
				learn_pthread_tid_off(p, u64at(win, p->off.tstate_thread_id));
			if (ts_matches(p, win, nstid)) {
				tcache_add(p, tid, ts);
				*ts_out = ts;
				return 0;
			}
			last = ts;
			ts = u64at(win, p->off.tstate_next);
			if (ts == last)
				break;
		}
		/* 3.8-3.10: the offset is learnt from the last (main) state;
		 * walk the list once more now that it is known. */
		if (p->off.tstate_native_thread_id == UW_OFF_NONE && p->pthread_tid_off >= 0 &&
		    last && ni == 0 && head) {
			ts = head;
			for (int nt = 0; ts && nt < MAX_THREADS && budget-- > 0; nt++) {
				*winlen = read_ts(p, ts, win, span);
				if (*winlen == 0)
					break;
				if (ts_matches(p, win, nstid)) {
					tcache_add(p, tid, ts);
					*ts_out = ts;
					return 0;
				}
				ts = u64at(win, p->off.tstate_next);
			}
		}
		if (next_interp == interp)
			break;
		interp = next_interp;
	}
	s->status = UW_NO_THREAD_STATE;
	snprintf(s->reason, sizeof(s->reason), "no thread state for thread %d", (int)tid);
	return -ENOENT;
}

/* ------------------------------------------------------------------ */
/* Frames.                                                             */

/* The data-stack chunks copied in this unwind, newest first, packed into
 * p->chunk (CHUNK_MAX bytes for all of them). */
struct chunks {
	struct {
		uint64_t addr;
		uint32_t off;	/* where its copy starts in p->chunk */
		uint32_t size;	/* bytes valid there */
	} c[CHUNKS_MAX];
	uint32_t n;
	uint32_t used;		/* bytes of p->chunk taken */
	uint64_t next;		/* the oldest copy's "previous": what to copy next, 0 = none */
};

/* Memory already copied during this unwind, where frames may sit: the
 * thread state (3.15 keeps its base frame inside it) and the C stack around
 * a 3.11/3.12 _PyCFrame (the entry frame is a neighbouring local). */
struct local {
	uint64_t addr;
	const uint8_t *buf;
	uint32_t len;
};

/* Speculatively read frame objects (3.8-3.10), looked up by address. */
#define SPEC_SLOTS (2 * UW_FRAMES_MAX)
static uint8_t g_specbuf[UW_FRAMES_MAX][256];
static int32_t g_specidx[SPEC_SLOTS];	/* -1 empty, else index into g_specaddr */
static uint64_t g_specaddr[UW_FRAMES_MAX];
static uint32_t g_nspec;

static size_t spec_hash(uint64_t a)
{
	return (size_t)((a >> 4) * 0x9E3779B97F4A7C15ULL >> 40) % SPEC_SLOTS;
}

static const uint8_t *spec_find(uint64_t a)
{
	for (size_t i = spec_hash(a), n = 0; n < SPEC_SLOTS; i = (i + 1) % SPEC_SLOTS, n++) {
		if (g_specidx[i] < 0)
			return NULL;
		if (g_specaddr[g_specidx[i]] == a)
			return g_specbuf[g_specidx[i]];
	}
	return NULL;
}

/* Read the frames at the addresses of the last walk of @tid, plus @top, in
 * one batch. On any failure nothing is used (frames are then read one by
 * one, as without speculation). */
static void speculate(struct uw_proc *p, pid_t tid, uint64_t top, uint32_t span)
{
	static struct uw_iov iov[UW_FRAMES_MAX];

	g_nspec = 0;
	for (size_t i = 0; i < SPEC_SLOTS; i++)
		g_specidx[i] = -1;
	if (p->spec_tid != tid || p->spec_n == 0 || span > sizeof(g_specbuf[0]))
		return;
	g_specaddr[g_nspec++] = top;
	for (uint32_t i = 0; i < p->spec_n && g_nspec < UW_FRAMES_MAX; i++)
		if (p->spec[i] != top)
			g_specaddr[g_nspec++] = p->spec[i];
	for (uint32_t i = 0; i < g_nspec; i++)
		iov[i] = (struct uw_iov){ g_specaddr[i], g_specbuf[i], span };
	if (uw_mem_readv(p->mem, iov, g_nspec) < 0) {
		g_nspec = 0;
		return;
	}
	for (uint32_t i = 0; i < g_nspec; i++) {
		size_t h = spec_hash(g_specaddr[i]);

		while (g_specidx[h] >= 0)
			h = (h + 1) % SPEC_SLOTS;
		g_specidx[h] = (int32_t)i;
	}
}

/*
 * Copy the data-stack chunk at @addr after the ones already in @cs;
 * @have_first: its first CHUNK_FIRST bytes are already at p->chunk (only
 * for the first chunk). Remembers its "previous" pointer for chunk_more().
 * Everything is bounded by what is left of p->chunk: a hostile size or a
 * chunk list that loops can cost at most CHUNKS_MAX reads and CHUNK_MAX
 * bytes per unwind. Returns 0 (also when nothing could be copied: frames
 * are then read one by one) or -EFAULT when the first read fails.
 */
static int load_chunk(struct uw_proc *p, struct chunks *cs, uint64_t addr, bool have_first)
{
	uint32_t room = CHUNK_MAX - cs->used, first = room < CHUNK_FIRST ? room : CHUNK_FIRST;
	uint8_t *buf = p->chunk + cs->used;
	uint64_t size, prev;

	cs->next = 0;
	if (!addr || cs->n >= CHUNKS_MAX || first <= CHUNK_HEAD || (have_first && cs->used != 0))
		return 0;
	for (uint32_t i = 0; i < cs->n; i++)
		if (cs->c[i].addr == addr)
			return 0; /* a loop in the chunk list */
	if (!have_first && uw_mem_read(p->mem, addr, buf, first) < 0)
		return -EFAULT;
	memcpy(&prev, buf, sizeof(prev));
	memcpy(&size, buf + 8, sizeof(size));
	if (size <= CHUNK_HEAD)
		return 0;
	if (size > room)
		size = room; /* frames beyond are read one by one */
	if (size > first &&
	    uw_mem_read(p->mem, addr + first, buf + first, (size_t)(size - first)) < 0)
		size = first;
	cs->c[cs->n].addr = addr;
	cs->c[cs->n].off = cs->used;
	cs->c[cs->n].size = (uint32_t)size;
	cs->n++;
	cs->used += (uint32_t)size;
	cs->next = prev;
	return 0;
}

/* Copy the next older chunk, if there is one. True when one was added. */
static bool chunk_more(struct uw_proc *p, struct chunks *cs)
{
	uint32_t n = cs->n;

	if (!cs->next)
		return false;
	if (load_chunk(p, cs, cs->next, false) < 0)
		cs->next = 0;
	return cs->n > n;
}

/* The copy of the @span bytes at @addr in one of the chunks, or NULL. */
static const uint8_t *chunk_find(const struct uw_proc *p, const struct chunks *cs, uint64_t addr,
				 uint32_t span)
{
	for (uint32_t i = 0; i < cs->n; i++) {
		uint64_t a = cs->c[i].addr, size = cs->c[i].size;

		/* Offsets, not ends: @addr is hostile and addr + span may wrap. */
		if (addr >= a + CHUNK_HEAD && addr - a <= size && span <= size - (addr - a))
			return p->chunk + cs->c[i].off + (addr - a);
	}
	return NULL;
}

/*
 * The @span bytes of the frame at @addr: from a chunk copy, else from the
 * next older chunk (copied now: the chain has left the chunks copied so
 * far, and frames are pushed in chunk order, so the older frames are
 * there; a generator's or an entry frame's miss costs that chunk early),
 * else one read.
 */
static int frame_bytes(struct uw_proc *p, struct chunks *cs, const struct local *loc,
		       size_t nloc, uint64_t addr, uint8_t *buf, uint32_t span)
{
	const uint8_t *b = chunk_find(p, cs, addr, span);

	if (b) {
		memcpy(buf, b, span);
		return 0;
	}
	for (size_t i = 0; i < nloc; i++) {
		if (loc[i].len && addr >= loc[i].addr && addr - loc[i].addr <= loc[i].len &&
		    span <= loc[i].len - (addr - loc[i].addr)) {
			memcpy(buf, loc[i].buf + (addr - loc[i].addr), span);
			return 0;
		}
	}
	if (g_nspec && span <= sizeof(g_specbuf[0])) {
		b = spec_find(addr);
		if (b) {
			memcpy(buf, b, span);
			return 0;
		}
	}
	/* One older chunk per miss, at most: CHUNKS_MAX bounds them all. */
	if (chunk_more(p, cs) && (b = chunk_find(p, cs, addr, span)) != NULL) {
		memcpy(buf, b, span);
		return 0;
	}
	return uw_mem_read(p->mem, addr, buf, span);
}

/* A small open-addressing set of frame addresses for cycle detection. */
#define SEEN_SLOTS (2 * UW_FRAMES_MAX)
/* Frame addresses met in this walk, for cycles. A slot is in use only if its
 * tag is this walk's: emptying 32 KiB with memset cost every decision about
 * a microsecond and the whole L1 cache. */
static uint64_t g_seen[SEEN_SLOTS];
static uint32_t g_seen_tag[SEEN_SLOTS], g_seen_walk;

static void seen_clear(void)
{
	if (++g_seen_walk == 0) { /* wrapped: tags of 2^32 walks ago would match */
		memset(g_seen_tag, 0, sizeof(g_seen_tag));
		g_seen_walk = 1;
	}
}

static bool seen_insert(uint64_t a)
{
	size_t i = (size_t)((a >> 3) * 0x9E3779B97F4A7C15ULL >> 52) % SEEN_SLOTS;

	for (size_t n = 0; n < SEEN_SLOTS; n++, i = (i + 1) % SEEN_SLOTS) {
		if (g_seen_tag[i] != g_seen_walk) {
			g_seen_tag[i] = g_seen_walk;
			g_seen[i] = a;
			return true;
		}
		if (g_seen[i] == a)
			return false;
	}
	return false;
}

static void remember_prediction(struct uw_proc *p, unsigned slot, const uint8_t *tswin)
{
	const struct uw_pyoffsets *o = &p->off;
	uint64_t cf = 0, chunk = 0;

	if (o->frame_model == UW_FRAME_INTERP) { /* 3.8-3.10: frame objects, no chunk */
		if (o->tstate_current_frame == UW_OFF_NONE && o->tstate_cframe != UW_OFF_NONE)
			cf = u64at(tswin, o->tstate_cframe); /* 3.11/3.12 */
		if (o->tstate_datastack_chunk != UW_OFF_NONE)
			chunk = u64at(tswin, o->tstate_datastack_chunk);
	}
	if (cf != p->tcache[slot].cf)
		p->tcache[slot].cf2 = p->tcache[slot].cf;
	p->tcache[slot].cf = cf;
	p->tcache[slot].chunk = chunk;
}

static int collect_frames(struct uw_proc *p, pid_t tid, uint64_t ts, const uint8_t *tswin,
			  uint32_t tslen, uint32_t *nraw, struct uw_stack *s)
{
	struct local loc[2] = { { ts, tswin, tslen }, { 0, NULL, 0 } };
	const struct uw_pyoffsets *o = &p->off;
	uint32_t fspan = uw_pyoffsets_span(o, UW_PYS_FRAME);
	uint8_t fbuf[1024];
	struct chunks cs = { .n = 0 };
	uint64_t addr;
	uint32_t n = 0;

	if (fspan == 0 || fspan > sizeof(fbuf)) {
		set_reason(s, UW_CORRUPT, "frame layout", EINVAL);
		return -EINVAL;
	}
	g_nspec = 0;
	if (o->frame_model == UW_FRAME_OBJECT) {
		addr = u64at(tswin, o->tstate_frame);
		speculate(p, tid, addr, fspan);
		p->spec_tid = tid;
		p->spec_n = 0;
	} else if (o->tstate_current_frame != UW_OFF_NONE) {
		addr = u64at(tswin, o->tstate_current_frame);
	} else {
		/* 3.11/3.12: the current frame hangs off a _PyCFrame on the C stack.
		 * Copy the stack around it together with the first part of the
		 * data-stack chunk, in one call: the entry frame is usually there. */
		uint64_t cf = u64at(tswin, o->tstate_cframe);
		uint64_t chunk = u64at(tswin, o->tstate_datastack_chunk);
		struct uw_iov v[2] = {
			{ cf - CFRAME_BEFORE, g_cfwin, CFRAME_BEFORE + CFRAME_AFTER },
			{ chunk, p->chunk, CHUNK_FIRST },
		};
		/* Copied with the thread state (read_ts_predicted) if the window
		 * holds [cf - BEFORE, cf + AFTER) (cf is hostile: no sums that
		 * could wrap), else read now. */
		bool have = chunk && chunk == p->pre_chunk && p->pre_cflen &&
			    cf >= p->pre_cflo + CFRAME_BEFORE &&
			    cf - p->pre_cflo <= p->pre_cflen - CFRAME_AFTER;
		uint64_t base = have ? p->pre_cflo : cf - CFRAME_BEFORE;

		addr = 0;
		if (cf > CFRAME_BEFORE && chunk && (have || uw_mem_readv(p->mem, v, 2) == 0)) {
			loc[1] = (struct local){ base, g_cfwin,
						 have ? p->pre_cflen : CFRAME_BEFORE + CFRAME_AFTER };
			addr = u64at(g_cfwin, (int32_t)(cf - base) + o->cframe_current_frame);
			load_chunk(p, &cs, chunk, true);
		} else if (cf && uw_mem_read(p->mem, cf + (uint64_t)o->cframe_current_frame, &addr,
					     sizeof(addr)) < 0) {
			set_reason(s, UW_READ_FAILED, "reading the C frame", EFAULT);
			return -EFAULT;
		}
	}
	if (o->frame_model == UW_FRAME_INTERP && o->tstate_datastack_chunk != UW_OFF_NONE &&
	    cs.n == 0) {
		uint64_t chunk = u64at(tswin, o->tstate_datastack_chunk);

		/* not fatal: frames are then read one by one */
		if (load_chunk(p, &cs, chunk, chunk && chunk == p->pre_chunk) < 0)
			cs.n = 0;
	}
	/* What the next walk of this thread reads with its thread state: the
	 * addresses this walk used (0 where the version has none). */
	if (p->tslot >= 0 && p->tcache[p->tslot].tid == tid)
		remember_prediction(p, (unsigned)p->tslot, tswin);

	seen_clear();
	for (uint32_t depth = 0; addr; depth++) {
		uint64_t code, instr;

		if (depth >= UW_FRAMES_MAX || n >= UW_FRAMES_MAX) {
			s->truncated = true;
			break;
		}
		if (!seen_insert(addr)) {
			set_reason(s, UW_CORRUPT, "cycle in the frame chain", ELOOP);
			return -ELOOP;
		}
		if (o->frame_model == UW_FRAME_OBJECT && p->spec_n < UW_FRAMES_MAX)
			p->spec[p->spec_n++] = addr;
		if (frame_bytes(p, &cs, loc, 2, addr, fbuf, fspan) < 0) {
			set_reason(s, UW_READ_FAILED, "reading a frame", EFAULT);
			return -EFAULT;
		}
		code = u64at(fbuf, o->frame_code) & ~o->frame_code_tag_mask;
		if (o->frame_model == UW_FRAME_OBJECT)
			instr = (uint64_t)(int64_t)i32at(fbuf, o->frame_lasti);
		else
			instr = u64at(fbuf, o->frame_instr_ptr);
		addr = u64at(fbuf, o->frame_previous);
		if (o->frame_owner != UW_OFF_NONE && o->owner_no_code != UW_OFF_NONE &&
		    (int8_t)fbuf[o->frame_owner] >= o->owner_no_code)
			continue; /* entry trampoline / sentinel: no code of its own */
		if (code == 0)
			continue;
		g_frames[n].code = code;
		g_frames[n].instr = instr;
		n++;
	}
	*nraw = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Strings and code objects.                                           */

static size_t utf8_put(char *out, size_t cap, size_t o, uint32_t cp)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		if (o + 1 > cap)
			return cap + 1;
		out[o++] = (char)cp;
	} else if (cp < 0x800) {
		if (o + 2 > cap)
			return cap + 1;
		out[o++] = (char)(0xc0 | (cp >> 6));
		out[o++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		if (o + 3 > cap)
			return cap + 1;
		out[o++] = (char)(0xe0 | (cp >> 12));
		out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[o++] = (char)(0x80 | (cp & 0x3f));
	} else {
		if (o + 4 > cap)
			return cap + 1;
		out[o++] = (char)(0xf0 | (cp >> 18));
		out[o++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[o++] = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/*
 * Decode a unicode object whose first @have bytes are in @buf into a
 * malloc'ed UTF-8 string. If its data reaches past @have, *@need receives
 * the total number of bytes to read and NULL is returned.
 */
static char *decode_unicode(const struct uw_pyoffsets *o, const uint8_t *buf, size_t have,
			    size_t *need)
{
	uint32_t state;
	int64_t length;
	unsigned kind;
	size_t data, total, cap = UW_STR_MAX, outlen = 0;
	char *out;

	*need = 0;
	if (have < o->unicode_compact_size)
		return NULL;
	memcpy(&state, buf + o->unicode_state, sizeof(state));
	memcpy(&length, buf + o->unicode_length, sizeof(length));
	kind = (state >> o->unicode_kind_shift) & 7;
	if (!((state >> o->unicode_compact_bit) & 1) || length < 0 ||
	    (kind != 1 && kind != 2 && kind != 4))
		return NULL; /* not a compact str: file and code names always are */
	if (length > UW_STR_MAX)
		length = UW_STR_MAX; /* cut; marked below */
	data = ((state >> o->unicode_ascii_bit) & 1) ? o->unicode_ascii_size : o->unicode_compact_size;
	total = data + (size_t)length * kind;
	if (total > have) {
		*need = total;
		return NULL;
	}
	out = malloc(cap + 8);
	if (!out)
		return NULL;
	for (int64_t i = 0; i < length; i++) {
		uint32_t cp = 0;

		memcpy(&cp, buf + data + (size_t)i * kind, kind);
		outlen = utf8_put(out, cap, outlen, cp);
		if (outlen > cap) {
			outlen = cap;
			break;
		}
	}
	out[outlen] = '\0';
	return out;
}

struct pending {
	uint64_t addr;
	uint32_t want;		/* bytes requested */
	uint32_t head;		/* the object's header alone */
	uint8_t *buf;
	uint32_t have;		/* bytes actually read (want, head or 0) */
};

static size_t code_hash(uint64_t addr)
{
	return (size_t)(((addr >> 4) * 0x9E3779B97F4A7C15ULL) >> 40) % CODE_CACHE;
}

/* The entry for @addr, or NULL. Entries are never removed one by one (no
 * tombstones needed): a bad one is kept with valid = false. */
/* Decode a string from its speculative read; if it is longer than what was
 * read, read it whole (bounded by UW_STR_MAX characters). */
static char *decode_pending(struct uw_proc *p, const struct pending *pd)
{
	const struct uw_pyoffsets *o = &p->off;
	size_t need = 0;
	char *s = decode_unicode(o, pd->buf, pd->have, &need);
	uint8_t *big;

	if (s || !need || need > o->unicode_compact_size + 4 * UW_STR_MAX)
		return s;
	big = malloc(need);
	if (big && uw_mem_read(p->mem, pd->addr, big, need) == 0)
		s = decode_unicode(o, big, need, &need);
	free(big);
	return s;
}

_Static_assert(CODE_ENTRIES < UINT16_MAX, "code_slot holds 1 + an index");

static struct code_info *cache_find(struct uw_proc *p, uint64_t addr)
{
	for (size_t i = code_hash(addr), n = 0; n < CODE_CACHE; i = (i + 1) % CODE_CACHE, n++) {
		unsigned k = p->code_slot[i];

		if (k == 0)
			return NULL;
		if (p->codes[k - 1].addr == addr)
			return &p->codes[k - 1];
	}
	return NULL;
}

static void cache_flush(struct uw_proc *p)
{
	for (unsigned i = 0; i < p->ncodes; i++)
		code_drop(&p->codes[i]);
	memset(p->code_slot, 0, CODE_CACHE * sizeof(*p->code_slot));
	p->ncodes = 0;
	p->code_bytes = 0;
}

/* A fresh entry for @addr (which must not be in the cache). */
static struct code_info *cache_insert(struct uw_proc *p, uint64_t addr)
{
	size_t i = code_hash(addr);
	struct code_info *c;

	if (p->ncodes >= CODE_ENTRIES || p->code_bytes > CODE_CACHE_BYTES)
		cache_flush(p);
	/* at most CODE_ENTRIES of CODE_CACHE slots are taken: a free one exists */
	while (p->code_slot[i] != 0)
		i = (i + 1) % CODE_CACHE;
	c = &p->codes[p->ncodes];
	memset(c, 0, sizeof(*c));
	c->addr = addr;
	p->code_slot[i] = (uint16_t)(++p->ncodes);
	return c;
}

/*
 * Make sure every distinct code object on the stack has a valid cache entry
 * whose key matches the header just read. Three batched reads at most: the
 * headers, then names and tables, then the rest of anything longer than the
 * speculative reads.
 */
static int load_codes(struct uw_proc *p, pid_t tid, uint32_t nraw, struct uw_stack *s)
{
	const struct uw_pyoffsets *o = &p->off;
	uint32_t cspan = uw_pyoffsets_span(o, UW_PYS_CODE);
	static uint64_t uniq[UW_FRAMES_MAX];
	static uint8_t heads[UW_FRAMES_MAX][512];
	static struct uw_iov iov[3 * UW_FRAMES_MAX];
	static struct pending pend[3 * UW_FRAMES_MAX];
	uint32_t nu = 0, np = 0, nmiss = 0;
	int rc;

	if (cspan == 0 || cspan > sizeof(heads[0]))
		return -EINVAL;
	for (uint32_t i = 0; i < nraw; i++) {
		bool dup = false;

		for (uint32_t j = 0; j < nu && !dup; j++)
			dup = uniq[j] == g_frames[i].code;
		if (!dup)
			uniq[nu++] = g_frames[i].code;
	}
	/* Headers copied with the thread state (read_ts_predicted) are used
	 * as they are; the others are read now, in one call. */
	for (uint32_t i = 0; i < nu; i++) {
		uint32_t k = 0;

		while (k < p->npre && p->pre_code[k] != uniq[i])
			k++;
		if (k < p->npre)
			memcpy(heads[i], g_preheads[k], cspan);
		else
			iov[nmiss++] = (struct uw_iov){ uniq[i], heads[i], cspan };
	}
	if (nmiss && uw_mem_readv(p->mem, iov, nmiss) < 0) {
		/* one bad pointer spoils a batch: retry one by one, marking failures */
		for (uint32_t i = 0; i < nmiss; i++)
			if (uw_mem_read(p->mem, iov[i].addr, iov[i].buf, cspan) < 0)
				memset(iov[i].buf, 0, cspan);
	}
	/* What the next walk of this thread reads with its thread state: this
	 * walk's code objects, then those of the walk before that this one did
	 * not meet (a thread alternates between call paths, such as socket()
	 * and connect() of a client). Not more history than that: each piece
	 * costs the kernel a page lookup, and start-up's import frames would
	 * otherwise be read with every later call. */
	if (p->tslot >= 0 && p->tcache[p->tslot].tid == tid) {
		__typeof__(p->tcache[0]) *e = &p->tcache[p->tslot];
		uint32_t keep = 0, nl = nu < PRED_CODES ? nu : PRED_CODES;

		for (uint32_t i = 0; i < nl; i++)
			e->codes[keep++] = uniq[i];
		for (uint32_t k = 0; k < e->nlast && k < PRED_CODES && keep < PRED_CODES; k++) {
			bool met = false;

			for (uint32_t i = 0; i < nu && !met; i++)
				met = uniq[i] == e->last[k];
			if (!met)
				e->codes[keep++] = e->last[k];
		}
		e->ncodes = (uint8_t)keep;
		memcpy(e->last, uniq, nl * sizeof(uniq[0]));
		e->nlast = (uint8_t)nl;
	}

	/* Flush now rather than in the middle of filling entries below. */
	if (p->ncodes + nu >= CODE_ENTRIES || p->code_bytes > CODE_CACHE_BYTES)
		cache_flush(p);
	for (uint32_t i = 0; i < nu; i++) {
		const uint8_t *h = heads[i];
		struct code_info *c = cache_find(p, uniq[i]);
		uint64_t key[4];
		int32_t nameoff = o->code_qualname != UW_OFF_NONE ? o->code_qualname : o->code_name;

		if (u64at(h, o->object_type) != p->rt.pycode_type) {
			/* not a code object: a corrupt frame or a forgery */
			if (c)
				c->valid = false;
			continue;
		}
		key[0] = u64at(h, o->code_filename);
		key[1] = u64at(h, nameoff);
		key[2] = u64at(h, o->code_linetable);
		key[3] = (uint64_t)(uint32_t)i32at(h, o->code_firstlineno);
		if (c && c->valid && memcmp(c->key, key, sizeof(key)) == 0)
			continue; /* the same object as last time */
		if (c) {
			/* a different object at a re-used address */
			p->code_bytes -= (c->file ? strlen(c->file) : 0) + (c->func ? strlen(c->func) : 0) +
					 c->table_len;
			free(c->file);
			free(c->func);
			free(c->table);
			free(c->module);
			memset(c, 0, sizeof(*c));
			c->addr = uniq[i];
		} else {
			c = cache_insert(p, uniq[i]);
		}
		memcpy(c->key, key, sizeof(key));
		c->firstlineno = i32at(h, o->code_firstlineno);
		/* queue: file name, name, line table (speculative sizes) */
		for (int k = 0; k < 3; k++) {
			uint32_t want = k < 2 ? o->unicode_compact_size + STR_SPEC : BYTES_HEAD + TABLE_SPEC;
			uint8_t *b;

			if (key[k] == 0)
				continue;
			b = malloc(want);
			if (!b)
				return -ENOMEM;
			pend[np] = (struct pending){ key[k], want, k < 2 ? o->unicode_compact_size
								    : BYTES_HEAD, b, want };
			iov[np] = (struct uw_iov){ key[k], b, want };
			np++;
		}
		c->valid = true; /* filled below; stays without names if reads fail */
	}

	if (np) {
		rc = uw_mem_readv(p->mem, iov, np);
		if (rc < 0) {
			/* Speculative sizes may run past a mapping: read one by one,
			 * each with just its header first. */
			for (uint32_t k = 0; k < np; k++) {
				if (uw_mem_read(p->mem, pend[k].addr, pend[k].buf, pend[k].want) == 0)
					continue;
				memset(pend[k].buf, 0, pend[k].want);
				pend[k].have = pend[k].head;
				if (uw_mem_read(p->mem, pend[k].addr, pend[k].buf, pend[k].head) < 0)
					pend[k].have = 0;
			}
		}
	}

	/* Decode into the cache entries (matching by pointer). */
	for (uint32_t i = 0; i < nu; i++) {
		struct code_info *c = cache_find(p, uniq[i]);

		if (!c || !c->valid || c->file || c->func || c->table)
			continue;
		for (uint32_t k = 0; k < np; k++) {
			if (pend[k].have == 0)
				continue;
			if (pend[k].addr == c->key[0] && !c->file) {
				c->file = decode_pending(p, &pend[k]);
			} else if (pend[k].addr == c->key[1] && !c->func) {
				c->func = decode_pending(p, &pend[k]);
			} else if (pend[k].addr == c->key[2] && !c->table) {
				int64_t size;

				memcpy(&size, pend[k].buf + 16, sizeof(size));
				if (size < 0 || size > TABLE_MAX)
					continue;
				c->table = malloc((size_t)size + 1);
				if (!c->table)
					continue;
				if ((uint64_t)size + BYTES_HEAD <= pend[k].have) {
					memcpy(c->table, pend[k].buf + BYTES_HEAD, (size_t)size);
				} else if (uw_mem_read(p->mem, pend[k].addr + BYTES_HEAD, c->table,
						       (size_t)size) < 0) {
					free(c->table);
					c->table = NULL;
					continue;
				}
				c->table_len = (uint32_t)size;
			}
		}
		p->code_bytes += (c->file ? strlen(c->file) : 0) + (c->func ? strlen(c->func) : 0) +
				 c->table_len;
	}
	for (uint32_t k = 0; k < np; k++)
		free(pend[k].buf);
	(void)s;
	return 0;
}

/* ------------------------------------------------------------------ */

void uw_unwind(struct uw_proc *p, pid_t tid, struct uw_stack *s)
{
	uint8_t win[2048];
	uint32_t tspan, tslen = 0, nraw = 0;
	uint64_t ts = 0, reads0;
	pid_t nstid;

	uw_stack_reset(s);
	if (p->need_retry)
		locate(p);
	reads0 = uw_mem_calls(p->mem);
	if (p->status != UW_OK) {
		s->status = p->status;
		snprintf(s->reason, sizeof(s->reason), "%s", p->reason);
		return;
	}
	tspan = uw_pyoffsets_span(&p->off, UW_PYS_TSTATE);
	if (tspan == 0 || tspan > sizeof(win) || TS_WINDOW > sizeof(win)) {
		set_reason(s, UW_CORRUPT, "thread-state layout", EINVAL);
		return;
	}
	nstid = p->ns_differs ? nspid_of(tid) : tid;
	p->tslot = -1;
	p->pre_cflo = p->pre_chunk = 0;
	p->pre_cflen = p->npre = 0;
	if (find_tstate(p, tid, nstid, win, tspan, &ts, &tslen, s) < 0)
		goto out;
	if (collect_frames(p, tid, ts, win, tslen, &nraw, s) < 0)
		goto out;
	if (load_codes(p, tid, nraw, s) < 0) {
		set_reason(s, UW_READ_FAILED, "code objects", ENOMEM);
		goto out;
	}
	p->gen++;
	for (uint32_t i = 0; i < nraw && s->nframes < UW_FRAMES_MAX; i++) {
		struct code_info *c = (struct code_info *)cache_find(p, g_frames[i].code);
		struct uw_frame *f = &s->frames[s->nframes];
		uint64_t off;
		int line = -1;

		memset(f, 0, sizeof(*f));
		f->line = -1;
		if (!c || !c->valid) {
			f->func = uw_stack_intern(s, "<invalid code object>", 21);
			s->nframes++;
			continue;
		}
		if (c->file && !c->module_done) {
			struct uw_module m;

			c->module_done = true;
			if (uw_modname(p->mctx, c->file, strlen(c->file), &m) == 0) {
				c->module = strdup(m.name);
				c->kind = (uint8_t)m.kind;
			}
		}
		if (c->gen != p->gen) {
			/* First frame of this code object in this unwind. */
			c->gen = p->gen;
			c->file_off = c->file ? uw_stack_intern(s, c->file, strlen(c->file)) : 0;
			c->module_off = c->module ? uw_stack_intern(s, c->module, strlen(c->module)) : 0;
			c->func_off = c->func ? uw_stack_intern(s, c->func, strlen(c->func)) : 0;
		}
		f->file = c->file_off;
		f->module = c->module_off;
		f->kind = c->module ? c->kind : (uint8_t)UW_MOD_UNKNOWN;
		f->func = c->func_off;
		if (c->table &&
		    uw_pyoffsets_frame_offset(&p->off, g_frames[i].instr, g_frames[i].code, &off) == 0) {
			if (c->memo_valid && c->memo_off == off) {
				line = c->memo_line;
			} else if (uw_pyline(p->off.line_model, c->table, c->table_len, c->firstlineno,
					     off, &line) == 0) {
				c->memo_valid = true;
				c->memo_off = off;
				c->memo_line = line;
			} else {
				line = -1;
			}
			f->line = line;
		}
		s->nframes++;
	}
out:
	/* The native frames between the syscall and the eval loop: only for
	 * CPython (p->rt), only when asked (it costs a /proc read and ~2
	 * rt_sigprocmask per frame inside libunwind). Its own reader: s->reads
	 * stays the Python walk's (native.h counts its reads itself). */
	if (p->want_native && p->status == UW_OK &&
	    (p->native || uw_native_new(p->pid, NULL, &p->native) == 0))
		uw_native_unwind(p->native, tid, &p->rt, s);
	s->reads = (uint32_t)(uw_mem_calls(p->mem) - reads0);
}
