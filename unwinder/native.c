// SPDX-License-Identifier: MIT
/*
 * native.c - unwind the native stack of a blocked thread with libunwind's
 * remote interface, without ptrace.
 *
 * Why no ptrace: the thread is blocked in a seccomp notification, and a
 * ptrace stop would interrupt that wait (the kernel then cancels the
 * notification and restarts the syscall). /proc/PID/task/TID/syscall gives
 * what a blocked thread's saved user registers say about SP and PC, and a
 * successful read of it also proves the thread is off its CPU (the kernel
 * answers "running" otherwise). Every other register is unknown: access_reg
 * serves RIP and RSP only, so a frame whose CFA is computed from RBP ends the
 * walk. Guessing RBP by scanning the stack was measured to produce wrong
 * frames (../shared/notes/native-unwind.md): never done here.
 *
 * Cost model: naive remote unwinding reads one word per access (~700
 * process_vm_readv calls, ~2 ms). Here:
 *   - libunwind caches register-state per IP (UNW_CACHE_GLOBAL; remote
 *     address spaces default to no caching);
 *   - pages of private read-only file mappings (code, .eh_frame, the ELF
 *     headers) are cached across unwinds, keyed by address and dropped when
 *     the mappings are re-read;
 *   - every other page (the stack) is cached for one unwind only, the first
 *     miss prefetching a few pages in one process_vm_readv;
 *   - unwind tables are located from the object's program headers
 *     (PT_GNU_EH_FRAME) in the target's memory and searched by libunwind's
 *     own binary search, not by opening and mmapping files.
 * Measured on real notifications (a VM where a syscall costs ~1.3 us):
 * the first unwind of a process 0.36-0.5 ms and 22-27 reads; then 18-22 us
 * for 6-8 frames: one pread of /proc/.../syscall, one process_vm_readv
 * (the stack), and two rt_sigprocmask per frame, which libunwind's cache
 * lock costs and which dominate.
 *
 * Everything read is hostile: ELF headers and eh_frame_hdr fields are
 * checked against fixed caps and the mappings, an unwind is bounded in
 * frames and in remote reads (which also bounds what libunwind's CFI parser
 * can make us read), and a return address must follow a call instruction.
 */
#include "native.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libunwind.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "maps.h"

/*
 * libunwind is loaded at the first native walk, not linked: only `trace
 * --stacks` walks native frames, and loading it (with libunwind.so.8 and
 * liblzma, which it needs) cost every start of sisup about 15 page faults,
 * ~0.6 ms on these VMs. From the same directories the dynamic linker
 * would have searched, so nothing else can be loaded than before.
 */
static struct {
	unw_addr_space_t (*create_addr_space)(unw_accessors_t *, int);
	void (*destroy_addr_space)(unw_addr_space_t);
	void (*flush_cache)(unw_addr_space_t, unw_word_t, unw_word_t);
	int (*set_caching_policy)(unw_addr_space_t, unw_caching_policy_t);
	int (*init_remote)(unw_cursor_t *, unw_addr_space_t, void *);
	int (*step)(unw_cursor_t *);
	int (*get_reg)(unw_cursor_t *, int, unw_word_t *);
	int (*is_signal_frame)(unw_cursor_t *);
	const char *(*strerror)(int);
	int (*search_unwind_table)(unw_addr_space_t as, unw_word_t ip, unw_dyn_info_t *di,
				   unw_proc_info_t *pi, int need_unwind_info, void *arg);
} lu;
static pthread_once_t lu_once = PTHREAD_ONCE_INIT;
static bool lu_ok;

#undef unw_create_addr_space
#undef unw_destroy_addr_space
#undef unw_flush_cache
#undef unw_set_caching_policy
#undef unw_init_remote
#undef unw_step
#undef unw_get_reg
#undef unw_is_signal_frame
#undef unw_strerror
#define unw_create_addr_space lu.create_addr_space
#define unw_destroy_addr_space lu.destroy_addr_space
#define unw_flush_cache lu.flush_cache
#define unw_set_caching_policy lu.set_caching_policy
#define unw_init_remote lu.init_remote
#define unw_step lu.step
#define unw_get_reg lu.get_reg
#define unw_is_signal_frame lu.is_signal_frame
#define unw_strerror lu.strerror
#define _Ux86_64_dwarf_search_unwind_table lu.search_unwind_table

static void lu_load(void)
{
	void *h = dlopen("libunwind-x86_64.so.8", RTLD_NOW | RTLD_LOCAL);

#define LU_SYM(field, name)                                  \
	do {                                                 \
		*(void **)&lu.field = dlsym(h, "_Ux86_64_" name); \
		if (!lu.field)                               \
			return;                              \
	} while (0)
	if (!h)
		return;
	LU_SYM(create_addr_space, "create_addr_space");
	LU_SYM(destroy_addr_space, "destroy_addr_space");
	LU_SYM(flush_cache, "flush_cache");
	LU_SYM(set_caching_policy, "set_caching_policy");
	LU_SYM(init_remote, "init_remote");
	LU_SYM(step, "step");
	LU_SYM(get_reg, "get_reg");
	LU_SYM(is_signal_frame, "is_signal_frame");
	LU_SYM(strerror, "strerror");
	/* its table search (used by its own ptrace and coredump front ends),
	 * exported without a declaration in the public headers: it takes a
	 * UNW_INFO_FORMAT_REMOTE_TABLE, an eh_frame_hdr search table read
	 * through the address space's access_mem */
	LU_SYM(search_unwind_table, "dwarf_search_unwind_table");
#undef LU_SYM
	lu_ok = true; /* the handle stays open for the life of the process */
}

#define PAGE 4096u			/* x86-64 */
#define PAGE_MASK_ (~(uint64_t)(PAGE - 1))
#define FSETS 64			/* cached file pages per process: 64 sets */
#define FWAYS 4				/* of 4 (1 MiB at most) */
#define SPAGES 16			/* per-unwind pages (stack, data) */
#define STACK_PREFETCH 4		/* pages read at once on a stack miss */
#define OBJS_MAX 256			/* objects with located tables */
#define LOADS_MAX 8			/* executable PT_LOADs kept per object */
#define PHDRS_MAX 64			/* program headers looked at */
#define FDES_MAX (1u << 22)		/* libpython has ~10^4 */
#define BASE_SCAN 64			/* mappings looked back for an object's offset 0 */
#define TFDS 32				/* /proc/.../syscall fds kept open */
/*
 * _PyEval_EvalFrameDefault is the eval loop (30-60 KiB of code) in the
 * builds of 3.8-3.13 measured here. In Debian's 3.14 and 3.15 it is a stub
 * of ~1 KiB and the loop lives in an unnamed function elsewhere (as it does
 * in tail-calling interpreters): below this size the walk stops at the
 * first frame in the interpreter's file instead.
 */
#define EVAL_LOOP_MIN 8192
#define EH_PE_OMIT 0xff
#define EH_PE_DATAREL_SDATA4 0x3b	/* the only search-table encoding linkers emit */

struct obj {
	uint64_t base;			/* start of the offset-0 mapping: the key */
	char *path;
	int err;			/* 0 when the table below is usable */
	bool interp;			/* the file holding the CPython runtime */
	uint64_t hdr, table, nfde;	/* eh_frame_hdr and its search table */
	unsigned nload;
	struct { uint64_t lo, hi; } load[LOADS_MAX];	/* executable segments */
};

struct fpage {
	uint64_t addr;			/* 0: empty */
	uint8_t *data;			/* allocated on first use */
};

struct spage {
	uint64_t addr;
	uint8_t data[PAGE];
};

struct tfd {
	pid_t tid;
	int fd;
};

struct uw_native_ctx {
	pid_t pid;
	struct uw_mem *mem;
	bool own_mem;
	unw_addr_space_t as;
	struct uw_maps *maps;
	struct obj objs[OBJS_MAX];
	unsigned nobjs;
	struct fpage fpages[FSETS][FWAYS];	/* most recently used first */
	struct spage *spages;
	unsigned nspages;
	struct tfd tfds[TFDS];
	unsigned tnext;
	struct uw_native_stats st;

	/* the unwind in progress */
	const struct uw_runtime *rt;
	uint64_t sp, pc;
	uint64_t reads0;
	bool maps_reread;		/* at most one re-read per unwind */
	bool budget_hit;
	int last_fpi;			/* last find_proc_info error, for the reason */
	const char *last_fpi_what;
};

static uint64_t reads_now(const struct uw_native_ctx *n)
{
	return uw_mem_calls(n->mem) - n->reads0;
}

static bool budget_left(struct uw_native_ctx *n)
{
	if (reads_now(n) < UW_NATIVE_READS_MAX)
		return true;
	n->budget_hit = true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Mappings and pages.                                                 */

static void flush_objects(struct uw_native_ctx *n)
{
	for (unsigned i = 0; i < n->nobjs; i++)
		free(n->objs[i].path);
	n->nobjs = 0;
}

static void flush_all(struct uw_native_ctx *n)
{
	flush_objects(n);
	for (unsigned i = 0; i < FSETS; i++)
		for (unsigned w = 0; w < FWAYS; w++)
			n->fpages[i][w].addr = 0;
	uw_maps_free(n->maps);
	n->maps = NULL;
	unw_flush_cache(n->as, 0, 0);
}

static int reread_maps(struct uw_native_ctx *n)
{
	struct uw_maps *m = NULL;
	int rc;

	flush_all(n);
	n->maps_reread = true;
	rc = uw_maps_read(n->pid, &m);
	if (rc < 0)
		return rc;
	n->maps = m;
	n->st.maps_reads++;
	return 0;
}

static const struct uw_mapping *find_map(const struct uw_native_ctx *n, uint64_t addr)
{
	return n->maps ? uw_maps_find(n->maps, addr) : NULL;
}

/* Pages that are the same for every unwind: private, read-only, from a
 * file (or the vdso). Writable and anonymous pages (stacks, heap) change
 * between notifications and are never kept across unwinds. */
static bool file_page(const struct uw_mapping *m, uint64_t page)
{
	return m && m->path && (m->prot & PROT_READ) && !(m->prot & PROT_WRITE) && !m->shared &&
	       (m->inode != 0 || strcmp(m->path, "[vdso]") == 0) && page >= m->start &&
	       page + PAGE <= m->end;
}

static size_t fpage_set(uint64_t page)
{
	return (size_t)(((page >> 12) * 0x9E3779B97F4A7C15ULL) >> 58) % FSETS;
}

/* The @page's bytes, or NULL when it cannot be read (or the read budget of
 * this unwind is spent). */
static const uint8_t *page_get(struct uw_native_ctx *n, uint64_t page)
{
	const struct uw_mapping *m = find_map(n, page);

	if (file_page(m, page)) {
		struct fpage *set = n->fpages[fpage_set(page)], hit;
		unsigned w;

		for (w = 0; w < FWAYS && set[w].addr != page; w++)
			;
		if (w < FWAYS) {
			n->st.page_hits++;
		} else {
			/* the least recently used way (the last) is refilled */
			n->st.page_misses++;
			w = FWAYS - 1;
			if (!budget_left(n))
				return NULL;
			if (!set[w].data && !(set[w].data = malloc(PAGE)))
				return NULL;
			set[w].addr = 0;
			/* (a page past the end of the file faults: the caller
			 * then reads just the bytes it wants, uncached) */
			if (uw_mem_read(n->mem, page, set[w].data, PAGE) < 0)
				return NULL;
			set[w].addr = page;
		}
		hit = set[w];
		memmove(set + 1, set, w * sizeof(*set));
		set[0] = hit;
		return set[0].data;
	}

	for (unsigned i = 0; i < n->nspages; i++)
		if (n->spages[i].addr == page)
			return n->spages[i].data;
	if (n->nspages >= SPAGES || !budget_left(n))
		return NULL;
	{
		struct uw_iov iov[STACK_PREFETCH];
		unsigned k = 1, first = n->nspages;

		/* Within a known writable mapping (a stack) the next pages are
		 * what the following frames will ask for: one read for all. */
		if (m && (m->prot & PROT_WRITE) && page >= m->start)
			while (k < STACK_PREFETCH && first + k < SPAGES && page + (uint64_t)(k + 1) * PAGE <= m->end)
				k++;
		for (unsigned i = 0; i < k; i++)
			iov[i] = (struct uw_iov){ page + (uint64_t)i * PAGE, n->spages[first + i].data, PAGE };
		if (uw_mem_readv(n->mem, iov, k) < 0) {
			if (k == 1 || !budget_left(n) || uw_mem_read(n->mem, page, n->spages[first].data, PAGE) < 0)
				return NULL;
			k = 1;
		}
		for (unsigned i = 0; i < k; i++)
			n->spages[first + i].addr = page + (uint64_t)i * PAGE;
		n->nspages += k;
		return n->spages[first].data;
	}
}

/* Copy @len bytes at @addr of the target into @buf. */
static int mem_get(struct uw_native_ctx *n, uint64_t addr, void *buf, size_t len)
{
	uint8_t *out = buf;

	if (len > 16 * PAGE || addr + len < addr)
		return -EINVAL;
	while (len > 0) {
		uint64_t page = addr & PAGE_MASK_;
		size_t off = (size_t)(addr - page), k = PAGE - off < len ? PAGE - off : len;
		const uint8_t *p = page_get(n, page);

		if (p) {
			memcpy(out, p + off, k);
		} else {
			if (!budget_left(n) || uw_mem_read(n->mem, addr, out, k) < 0)
				return -EFAULT;
		}
		out += k;
		addr += k;
		len -= k;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Objects: where each mapped ELF's unwind table is.                   */

static int enc_size(uint8_t enc)
{
	if (enc == EH_PE_OMIT)
		return 0;
	switch (enc & 0x0f) {
	case 0x00: return 8;		/* absptr */
	case 0x02: case 0x0a: return 2;	/* udata2, sdata2 */
	case 0x03: case 0x0b: return 4;	/* udata4, sdata4 */
	case 0x04: case 0x0c: return 8;	/* udata8, sdata8 */
	}
	return -1;			/* uleb128/sleb128: not in a search table header */
}

/*
 * Fill @o from the ELF headers mapped at @base (program headers must lie in
 * that first mapping, as every linker puts them) and its eh_frame_hdr.
 * Only what libunwind's table search needs; any inconsistency leaves
 * o->err set and the object without unwind info.
 */
static int load_object(struct uw_native_ctx *n, const struct uw_mapping *base, struct obj *o)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[PHDRS_MAX];
	uint64_t bias = 0, size = base->end - base->start;
	const Elf64_Phdr *ehf = NULL, *ehf_load = NULL;
	bool have_bias = false;
	uint8_t h[4 + 8 + 8];
	int s1, s2;

	if (mem_get(n, base->start, &eh, sizeof(eh)) < 0)
		return -EFAULT;
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > PHDRS_MAX ||
	    eh.e_phoff > size || (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > size - eh.e_phoff)
		return -ENOEXEC;
	if (mem_get(n, base->start + eh.e_phoff, ph, eh.e_phnum * sizeof(Elf64_Phdr)) < 0)
		return -EFAULT;

	for (unsigned i = 0; i < eh.e_phnum; i++) {
		const Elf64_Phdr *p = &ph[i];

		if (p->p_type == PT_GNU_EH_FRAME) {
			ehf = p;
			continue;
		}
		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_vaddr + p->p_memsz < p->p_vaddr || p->p_filesz > p->p_memsz)
			return -ENOEXEC;
		if (!have_bias) {
			/* the first PT_LOAD maps file offset 0 at base */
			if ((p->p_offset & PAGE_MASK_) != 0)
				return -ENOEXEC;
			bias = base->start - (p->p_vaddr & PAGE_MASK_);
			have_bias = true;
		}
		if ((p->p_flags & PF_X) && o->nload < LOADS_MAX) {
			o->load[o->nload].lo = p->p_vaddr + bias;
			o->load[o->nload].hi = p->p_vaddr + p->p_memsz + bias;
			if (o->load[o->nload].hi < o->load[o->nload].lo)
				return -ENOEXEC;
			o->nload++;
		}
	}
	if (!have_bias || o->nload == 0)
		return -ENOEXEC;
	if (!ehf)
		return -ENOENT; /* no .eh_frame_hdr: no table to search */
	for (unsigned i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ehf->p_vaddr >= ph[i].p_vaddr &&
		    ehf->p_vaddr - ph[i].p_vaddr < ph[i].p_filesz)
			ehf_load = &ph[i];
	if (!ehf_load)
		return -ENOEXEC;

	o->hdr = ehf->p_vaddr + bias;
	if (mem_get(n, o->hdr, h, sizeof(h)) < 0)
		return -EFAULT;
	/* version 1, eh_frame_ptr_enc, fde_count_enc, table_enc; then the
	 * encoded eh_frame pointer and FDE count; then the table of
	 * (initial location, FDE address) pairs, both datarel sdata4. */
	s1 = enc_size(h[1]);
	s2 = enc_size(h[2]);
	if (h[0] != 1 || s1 < 0 || s2 <= 0 || (h[2] & 0x70) != 0 || h[3] != EH_PE_DATAREL_SDATA4)
		return -ENOTSUP;
	{
		uint64_t cnt = 0, end;

		memcpy(&cnt, h + 4 + s1, (size_t)s2);
		if (s2 < 8)
			cnt &= (1ULL << (8 * s2)) - 1;
		if ((h[2] & 0x08) && s2 < 8 && (cnt >> (8 * s2 - 1)))
			return -ENOEXEC; /* negative signed count */
		if (cnt == 0 || cnt > FDES_MAX)
			return -ENOEXEC;
		o->nfde = cnt;
		o->table = o->hdr + 4 + (uint64_t)s1 + (uint64_t)s2;
		end = o->table + cnt * 8;
		if (end - (ehf_load->p_vaddr + bias) > ehf_load->p_filesz)
			return -ENOEXEC;
	}
	return 0;
}

/* The offset-0 mapping of the file behind @m, scanning back a little. */
static const struct uw_mapping *base_mapping(const struct uw_native_ctx *n, const struct uw_mapping *m)
{
	const struct uw_mapping *e = uw_maps_entries(n->maps);
	size_t idx = (size_t)(m - e);

	if (m->inode == 0)
		return strcmp(m->path, "[vdso]") == 0 ? m : NULL;
	for (size_t k = 0; k <= idx && k < BASE_SCAN; k++) {
		const struct uw_mapping *c = &e[idx - k];

		if (c->inode == m->inode && c->dev_major == m->dev_major &&
		    c->dev_minor == m->dev_minor && c->offset == 0 && c->path &&
		    strcmp(c->path, m->path) == 0)
			return c;
	}
	return NULL;
}

/*
 * The object whose executable mapping holds @pc; NULL when none (anonymous
 * or unmapped). Mappings are re-read once per unwind when @pc is outside
 * every executable mapping: a library dlopen'ed since the last read. (A pc
 * in a known anonymous executable mapping - JIT, trampolines - is not worth
 * a re-read: it would cost one per unwind.)
 *
 * A re-read frees every object: callers must not keep a struct obj across
 * anything that may look up another pc (unw_step).
 */
static struct obj *object_at(struct uw_native_ctx *n, uint64_t pc)
{
	const struct uw_mapping *m = find_map(n, pc), *b;
	struct obj *o;

	if ((!m || !(m->prot & PROT_EXEC)) && !n->maps_reread) {
		if (reread_maps(n) < 0)
			return NULL;
		m = find_map(n, pc);
	}
	if (!m || !(m->prot & PROT_EXEC) || !m->path)
		return NULL;
	b = base_mapping(n, m);
	if (!b)
		return NULL;
	for (unsigned i = 0; i < n->nobjs; i++)
		if (n->objs[i].base == b->start)
			return &n->objs[i];
	if (n->nobjs >= OBJS_MAX)
		flush_objects(n);
	o = &n->objs[n->nobjs];
	memset(o, 0, sizeof(*o));
	o->base = b->start;
	o->path = strdup(m->path);
	if (!o->path)
		return NULL;
	o->interp = n->rt && strcmp(m->path, n->rt->path) == 0;
	o->err = load_object(n, b, o);
	if (o->err == -EFAULT && n->budget_hit) {
		/* not the object's fault: try again next time */
		free(o->path);
		return NULL;
	}
	if (o->err == 0)
		n->st.objects++;
	n->nobjs++;
	return o;
}

/* ------------------------------------------------------------------ */
/* libunwind accessors. @arg is the context.                          */

static int acc_find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
			      int need_unwind_info, void *arg)
{
	struct uw_native_ctx *n = arg;
	struct obj *o = object_at(n, ip);
	unw_dyn_info_t di;
	int rc;

	if (!o) {
		n->last_fpi = -ENOENT;
		n->last_fpi_what = "pc outside every file mapping";
		return -UNW_ENOINFO;
	}
	if (o->err) {
		n->last_fpi = o->err;
		n->last_fpi_what = o->err == -ENOENT ? "object without .eh_frame_hdr"
						      : "object's unwind table not usable";
		return -UNW_ENOINFO;
	}
	memset(&di, 0, sizeof(di));
	for (unsigned i = 0; i < o->nload; i++) {
		if (ip >= o->load[i].lo && ip < o->load[i].hi) {
			di.start_ip = o->load[i].lo;
			di.end_ip = o->load[i].hi;
			break;
		}
	}
	if (di.end_ip == 0) {
		n->last_fpi = -ENOENT;
		n->last_fpi_what = "pc outside the object's executable segments";
		return -UNW_ENOINFO;
	}
	di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di.gp = 0;
	di.u.rti.name_ptr = 0;
	di.u.rti.segbase = o->hdr;
	di.u.rti.table_data = o->table;
	di.u.rti.table_len = o->nfde * 8 / sizeof(unw_word_t);
	rc = _Ux86_64_dwarf_search_unwind_table(as, ip, &di, pi, need_unwind_info, arg);
	if (rc < 0) {
		n->last_fpi = rc;
		n->last_fpi_what = "no FDE for pc";
	}
	return rc;
}

static void acc_put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	/* Only dynamic unwind info (which we never hand out) goes through
	 * here; DWARF info is freed by libunwind itself. */
	(void)as;
	(void)pi;
	(void)arg;
}

static int acc_get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *addr, void *arg)
{
	(void)as;
	(void)addr;
	(void)arg;
	return -UNW_ENOINFO;
}

static int acc_access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write,
			  void *arg)
{
	(void)as;
	if (write)
		return -UNW_EINVAL;
	return mem_get(arg, addr, val, sizeof(*val)) < 0 ? -UNW_EINVAL : 0;
}

static int acc_access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *val, int write,
			  void *arg)
{
	const struct uw_native_ctx *n = arg;

	(void)as;
	if (write)
		return -UNW_EREADONLYREG;
	if (reg == UNW_X86_64_RIP) {
		*val = n->pc;
		return 0;
	}
	if (reg == UNW_X86_64_RSP) {
		*val = n->sp;
		return 0;
	}
	return -UNW_EBADREG; /* unknown without stopping the thread */
}

static int acc_access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write,
			    void *arg)
{
	(void)as;
	(void)reg;
	(void)val;
	(void)write;
	(void)arg;
	return -UNW_EBADREG;
}

static int acc_resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
	(void)as;
	(void)c;
	(void)arg;
	return -UNW_EINVAL;
}

static int acc_get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf, size_t len,
			     unw_word_t *off, void *arg)
{
	(void)as;
	(void)addr;
	(void)buf;
	(void)len;
	(void)off;
	(void)arg;
	return -UNW_ENOINFO;
}

static unw_accessors_t accessors = {
	.find_proc_info = acc_find_proc_info,
	.put_unwind_info = acc_put_unwind_info,
	.get_dyn_info_list_addr = acc_get_dyn_info_list_addr,
	.access_mem = acc_access_mem,
	.access_reg = acc_access_reg,
	.access_fpreg = acc_access_fpreg,
	.resume = acc_resume,
	.get_proc_name = acc_get_proc_name,
};

/* ------------------------------------------------------------------ */
/* Life cycle.                                                         */

int uw_native_new(pid_t pid, struct uw_mem *mem, struct uw_native_ctx **out)
{
	struct uw_native_ctx *n;

	if (pthread_once(&lu_once, lu_load) != 0 || !lu_ok)
		return -ENOTSUP;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->pid = pid;
	for (unsigned i = 0; i < TFDS; i++)
		n->tfds[i].fd = -1;
	n->mem = mem;
	if (!mem) {
		n->mem = uw_mem_new(pid);
		n->own_mem = true;
	}
	n->spages = calloc(SPAGES, sizeof(*n->spages));
	if (!n->mem || !n->spages) {
		uw_native_free(n);
		return -ENOMEM;
	}
	n->as = unw_create_addr_space(&accessors, 0);
	if (!n->as) {
		uw_native_free(n);
		return -EINVAL;
	}
	/*
	 * Remote address spaces default to UNW_CACHE_NONE: without the per-IP
	 * register-state cache one unwind cost ~2 ms. The global cache takes
	 * a lock that masks all signals around each lookup (two
	 * rt_sigprocmask per frame, ~1 us a frame here); UNW_CACHE_PER_THREAD
	 * would avoid it, but Debian's libunwind is built without per-thread
	 * caches and silently turns it into UNW_CACHE_GLOBAL, and where it
	 * exists that cache is shared by every address space of the thread.
	 */
	unw_set_caching_policy(n->as, UNW_CACHE_GLOBAL);
	*out = n;
	return 0;
}

void uw_native_free(struct uw_native_ctx *n)
{
	if (!n)
		return;
	flush_objects(n);
	uw_maps_free(n->maps);
	if (n->as)
		unw_destroy_addr_space(n->as);
	for (unsigned i = 0; i < FSETS; i++)
		for (unsigned w = 0; w < FWAYS; w++)
			free(n->fpages[i][w].data);
	for (unsigned i = 0; i < TFDS; i++)
		if (n->tfds[i].fd >= 0)
			close(n->tfds[i].fd);
	free(n->spages);
	if (n->own_mem)
		uw_mem_free(n->mem);
	free(n);
}

void uw_native_invalidate(struct uw_native_ctx *n)
{
	if (n)
		flush_all(n);
}

void uw_native_get_stats(const struct uw_native_ctx *n, struct uw_native_stats *st)
{
	*st = n->st;
}

/* ------------------------------------------------------------------ */
/* Registers from /proc/PID/task/TID/syscall.                          */

static int syscall_fd(struct uw_native_ctx *n, pid_t tid)
{
	char path[64];
	struct tfd *t;

	for (unsigned i = 0; i < TFDS; i++)
		if (n->tfds[i].fd >= 0 && n->tfds[i].tid == tid)
			return n->tfds[i].fd;
	/* Under /proc/PID/task/: a tid of another process is not found. The
	 * open file stays bound to this very task (its struct pid): once the
	 * thread is gone reads fail with ESRCH, even if the tid is re-used. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", (int)n->pid, (int)tid);
	t = &n->tfds[n->tnext];
	n->tnext = (n->tnext + 1) % TFDS;
	if (t->fd >= 0)
		close(t->fd);
	t->tid = tid;
	t->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (t->fd < 0)
		return -errno;
	return t->fd;
}

static void drop_fd(struct uw_native_ctx *n, pid_t tid)
{
	for (unsigned i = 0; i < TFDS; i++) {
		if (n->tfds[i].fd >= 0 && n->tfds[i].tid == tid) {
			close(n->tfds[i].fd);
			n->tfds[i].fd = -1;
		}
	}
}

/* "NR a1 a2 a3 a4 a5 a6 SP PC" (in a syscall), "-1 SP PC" (blocked
 * elsewhere), or "running". Kernel text, but parsed with bounds anyway. */
static int parse_syscall(const char *buf, uint64_t *sp, uint64_t *pc)
{
	uint64_t v[9];
	unsigned k = 0;
	const char *p = buf;
	char *end;
	long nr;

	if (strncmp(buf, "running", 7) == 0)
		return -EAGAIN;
	nr = strtol(p, &end, 10);
	if (end == p || nr < -1)
		return -EINVAL;
	p = end;
	while (k < 9) {
		while (*p == ' ')
			p++;
		if (*p == '\n' || *p == '\0')
			break;
		if (p[0] != '0' || p[1] != 'x')
			return -EINVAL;
		errno = 0;
		v[k] = strtoull(p, &end, 16);
		if (end == p || errno)
			return -EINVAL;
		p = end;
		k++;
	}
	if (nr == -1 && k == 2) {
		*sp = v[0];
		*pc = v[1];
	} else if (nr >= 0 && k == 8) {
		*sp = v[6];
		*pc = v[7];
	} else {
		return -EINVAL;
	}
	return 0;
}

static int read_regs(struct uw_native_ctx *n, pid_t tid)
{
	char buf[256];

	for (int attempt = 0; attempt < UW_NATIVE_RUNNING_TRIES; attempt++) {
		int fd = syscall_fd(n, tid), rc;
		ssize_t len;

		if (fd < 0)
			return fd;
		len = pread(fd, buf, sizeof(buf) - 1, 0);
		if (len < 0) {
			rc = -errno;
			drop_fd(n, tid);
			return rc;
		}
		buf[len] = '\0';
		rc = parse_syscall(buf, &n->sp, &n->pc);
		if (rc != -EAGAIN)
			return rc;
		/* On a CPU still: it woke us (SYNC_WAKE_UP) and is about to
		 * sleep, or it is not blocked at all. Let it go first. */
		n->st.running++;
		sched_yield();
	}
	return -EAGAIN;
}

/* ------------------------------------------------------------------ */
/* The walk.                                                           */

/*
 * Does the return address @ra follow a call instruction? call rel32 (E8),
 * or call/far call through FF /2, /3 with the ModRM forms whose length
 * ends exactly at @ra. A forged chain of return addresses (ROP-style) is
 * caught unless every link follows some call.
 */
static bool after_call(struct uw_native_ctx *n, uint64_t ra)
{
	uint8_t b[7];	/* b[7 - k] is the byte at ra - k */

	if (ra < sizeof(b) || mem_get(n, ra - sizeof(b), b, sizeof(b)) < 0)
		return false;
	if (b[2] == 0xe8)
		return true;
	for (unsigned k = 2; k <= 7; k++) {
		uint8_t modrm = b[8 - k], mod = modrm >> 6, rm = modrm & 7, reg = (modrm >> 3) & 7;
		unsigned len = 2;

		if (b[7 - k] != 0xff || (reg != 2 && reg != 3))
			continue;
		if (mod != 3) {
			if (rm == 4) {
				if (k < 3)
					continue;
				len++;
				if (mod == 0 && (b[9 - k] & 7) == 5)
					len += 4;
			} else if (mod == 0 && rm == 5) {
				len += 4;
			}
			if (mod == 1)
				len += 1;
			else if (mod == 2)
				len += 4;
		}
		if (len == k)
			return true;
	}
	return false;
}

/* "native: " @a @b @c @d into @s->reason, unless a reason is there already. */
static void set_native_reason(struct uw_stack *s, const char *a, const char *b, const char *c,
			      const char *d)
{
	if (s->reason[0])
		return;
	if (snprintf(s->reason, sizeof(s->reason), "native: %s%s%s%s", a, b, c, d) >=
	    (int)sizeof(s->reason))
		s->reason[sizeof(s->reason) - 1] = '\0';
}

const char *uw_native_basename(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return s ? s + 1 : path ? path : "";
}

int uw_native_unwind(struct uw_native_ctx *n, pid_t tid, const struct uw_runtime *rt,
		     struct uw_stack *out)
{
	unw_cursor_t c;
	uint64_t last_base = 0, prev_sp = 0;
	bool complete = false, prev_signal = false;
	const char *why = NULL, *where = "";
	/* Walk up to the eval loop itself, through the interpreter's own C
	 * frames: an extension calling back into the C API (PyMem_Malloc ->
	 * mmap, PyThread_start_new_thread -> clone) lies beyond the first of
	 * them. Without a recognisable loop, stop at the first. */
	bool eval_loop = rt && rt->eval_frame_addr && rt->eval_frame_size >= EVAL_LOOP_MIN;
	bool seen_interp = false;
	char ebuf[96];
	int rc;

	out->nnative = 0;
	out->native_complete = false;
	n->rt = rt;
	n->reads0 = uw_mem_calls(n->mem);
	n->maps_reread = false;
	n->budget_hit = false;
	n->nspages = 0;
	n->last_fpi = 0;
	n->last_fpi_what = NULL;

	rc = read_regs(n, tid);
	if (rc < 0) {
		snprintf(ebuf, sizeof(ebuf), "%s", rc == -EAGAIN ? "the thread stayed on a CPU"
								: strerror(-rc));
		set_native_reason(out, "no registers: ", ebuf, "", "");
		return rc == -EINVAL ? -EIO : rc;
	}
	n->st.unwinds++;
	{
		/* SP must be in writable memory we know; otherwise the mappings
		 * changed (a new thread's stack, or pages we cached were
		 * unmapped and re-used): read them again. */
		const struct uw_mapping *m = find_map(n, n->sp);

		if ((!m || !(m->prot & PROT_WRITE)) && (rc = reread_maps(n)) < 0) {
			set_native_reason(out, "cannot read the mappings: ", strerror(-rc), "", "");
			return rc;
		}
	}

	rc = unw_init_remote(&c, n->as, n);
	if (rc < 0) {
		set_native_reason(out, "unw_init_remote: ", unw_strerror(rc), "", "");
		goto done;
	}
	for (unsigned depth = 0;; depth++) {
		unw_word_t ip = 0, sp = 0;
		uint64_t look;
		bool sig;
		struct obj *o;

		if (depth >= UW_NATIVE_FRAMES_MAX) {
			why = "frame limit reached";
			break;
		}
		if (unw_get_reg(&c, UNW_REG_IP, &ip) < 0 || ip == 0) {
			why = "no pc";
			break;
		}
		n->st.frames++;
		/* Callers' frames lie above: a walk that does not move up is
		 * a loop (forged or misread CFI). */
		if (unw_get_reg(&c, UNW_REG_SP, &sp) < 0 || (depth > 0 && sp <= prev_sp)) {
			why = "the stack pointer did not move up";
			break;
		}
		prev_sp = sp;
		sig = unw_is_signal_frame(&c) > 0;
		/* A return address points after the call, maybe past the end
		 * of its function: look it up one byte back. The innermost pc
		 * and the pc interrupted by a signal are exact. */
		look = depth > 0 && !prev_signal && !sig ? ip - 1 : ip;
		o = object_at(n, look);
		if (!o) {
			why = n->budget_hit ? "read limit reached"
					    : "pc in anonymous or unmapped memory (JIT, trampoline)";
			break;
		}
		if (depth > 0 && !prev_signal && !sig && !after_call(n, ip)) {
			why = n->budget_hit ? "read limit reached" : "return address not after a call";
			where = uw_native_basename(o->path);
			break;
		}
		if (out->nnative == 0 || o->base != last_base ||
		    strcmp(o->path, uw_str(out, out->native[out->nnative - 1].object)) != 0) {
			if (out->nnative >= UW_NATIVE_MAX) {
				why = "too many objects";
				break;
			}
			out->native[out->nnative].pc = ip;
			out->native[out->nnative].object = uw_stack_intern(out, o->path, strlen(o->path));
			out->nnative++;
			last_base = o->base;
		}
		seen_interp |= o->interp;
		/* (o may be freed by the step below: the object's name is the
		 * last one recorded) */
		if (eval_loop ? look - rt->eval_frame_addr < rt->eval_frame_size : o->interp) {
			complete = true;
			break;
		}
		rc = unw_step(&c);
		if (rc == 0) {
			why = seen_interp ? "outermost frame reached: the eval loop was not found"
					  : "outermost frame reached outside the interpreter";
			break;
		}
		if (rc < 0) {
			where = uw_native_basename(uw_str(out, out->native[out->nnative - 1].object));
			if (n->budget_hit) {
				why = "read limit reached";
			} else if (rc == -UNW_ENOINFO || (rc == -UNW_EBADREG && n->last_fpi)) {
				snprintf(ebuf, sizeof(ebuf), "%s", n->last_fpi_what ? n->last_fpi_what
										    : unw_strerror(rc));
				why = ebuf;
			} else if (rc == -UNW_EBADREG) {
				why = "the caller's frame needs a register other than RSP/RIP (RBP)";
			} else {
				snprintf(ebuf, sizeof(ebuf), "unw_step: %s", unw_strerror(rc));
				why = ebuf;
			}
			break;
		}
		prev_signal = sig;
		/* a find_proc_info failure that libunwind got round is no reason */
		n->last_fpi = 0;
		n->last_fpi_what = NULL;
	}
	if (!complete && why)
		set_native_reason(out, where[0] ? "after " : "", where, where[0] ? ": " : "", why);
done:
	out->native_complete = complete;
	n->st.reads += reads_now(n);
	n->nspages = 0; /* stack pages are never trusted across unwinds */
	return 0;
}

/* ------------------------------------------------------------------ */
/* Attribution.                                                        */

static bool name_starts(const char *base, const char *prefix)
{
	return strncmp(base, prefix, strlen(prefix)) == 0;
}

/* libc, ld.so, libpthread, the vdso, or a CPython interpreter file. */
static bool system_object(const char *path)
{
	const char *b = uw_native_basename(path);
	int major, minor;

	if (strcmp(path, "[vdso]") == 0)
		return true;
	if (name_starts(b, "libc.so") || name_starts(b, "libc-") || name_starts(b, "ld-linux") ||
	    name_starts(b, "ld-") || name_starts(b, "libpthread.so") || name_starts(b, "libpthread-"))
		return true;
	return uw_py_version_from_name(path, &major, &minor) == 0;
}

static bool ctypes_object(const char *path)
{
	const char *b = uw_native_basename(path);

	return name_starts(b, "libffi.so") || name_starts(b, "libffi-") ||
	       strcmp(b, "_ctypes.so") == 0 || name_starts(b, "_ctypes.cpython-") ||
	       name_starts(b, "_ctypes.abi3");
}

enum uw_native_attr uw_native_attribute(const struct uw_stack *s, const char **principal)
{
	uint32_t n = s->nnative < UW_NATIVE_MAX ? s->nnative : UW_NATIVE_MAX;

	*principal = NULL;
	for (uint32_t i = 0; i < n; i++) {
		const char *p = uw_str(s, s->native[i].object);

		/* the last object of a complete walk is the interpreter, however
		 * its file is called */
		if (!p[0] || system_object(p) || (s->native_complete && i + 1 == n))
			continue;
		if (ctypes_object(p)) {
			*principal = "ctypes";
			return UW_NATIVE_CTYPES;
		}
		*principal = p;
		return UW_NATIVE_OBJECT;
	}
	return s->native_complete ? UW_NATIVE_INTERPRETER : UW_NATIVE_UNDETERMINED;
}

const char *uw_native_principal(const struct uw_stack *s)
{
	const char *p;

	uw_native_attribute(s, &p);
	return p;
}
