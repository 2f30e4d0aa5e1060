// SPDX-License-Identifier: MIT
/*
 * elfsym.c - open a file another process mapped, and read its symbols.
 *
 * Two hazards drive the shape of this file:
 *  - the path in /proc/PID/maps names what was there when the file was
 *    mapped, in the target's mount namespace; by now it may be gone, renamed,
 *    or replaced by anything (a FIFO that would block open(), a device whose
 *    open has side effects). So we open O_PATH, check the inode, and only
 *    then reopen for reading through /proc/self/fd.
 *  - the file's contents are the target's choice. libelf checks that section
 *    data lies inside the file; on top of that every count is bounded here
 *    and string-table lookups are done by hand with explicit bounds (libelf's
 *    elf_strptr may scan a whole table per call when it lacks a final NUL).
 */
#include "elfsym.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Bounds on what a crafted file can make us iterate over. */
#define UW_ELF_SYMS_MAX (1u << 22)	/* libpython's .symtab has ~15k */
#define UW_ELF_PHDRS_MAX 4096
#define UW_ELF_NOTES_MAX 1024
#define UW_ELF_DYN_MAX 65536
/* The largest table read into memory (libpython's .symtab + .strtab < 1 MiB):
 * a crafted file must not make us allocate its whole size. */
#define UW_ELF_TABLE_MAX (64u << 20)

struct uw_elf {
	int fd;
	Elf *elf;
	uint64_t file_size;
	/* identity, as /proc/PID/maps prints it */
	unsigned dev_major, dev_minor;
	uint64_t inode;
	size_t shnum;		/* clamped to UW_ELF_SECTIONS_MAX */
};

static pthread_once_t version_once = PTHREAD_ONCE_INIT;
static bool version_ok;

static void init_libelf(void)
{
	version_ok = elf_version(EV_CURRENT) != EV_NONE;
}

/* Wrap the fd (ours from now on) in a libelf handle and validate the header. */
static int elf_from_fd(int fd, const struct stat *st, struct uw_elf **out)
{
	struct uw_elf *e;
	GElf_Ehdr eh;
	size_t shnum;

	pthread_once(&version_once, init_libelf);
	if (!version_ok) {
		close(fd);
		return -ENOTSUP;
	}
	if ((uint64_t)st->st_size > UW_ELF_FILE_MAX) {
		close(fd);
		return -EFBIG;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		close(fd);
		return -ENOMEM;
	}
	e->fd = fd;
	e->file_size = (uint64_t)st->st_size;
	e->dev_major = major(st->st_dev);
	e->dev_minor = minor(st->st_dev);
	e->inode = (uint64_t)st->st_ino;
	/* ELF_C_READ reads with pread: a mapping of a file the target truncates
	 * under us would SIGBUS with ELF_C_READ_MMAP. */
	e->elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!e->elf || elf_kind(e->elf) != ELF_K_ELF || gelf_getclass(e->elf) != ELFCLASS64 ||
	    !gelf_getehdr(e->elf, &eh) || eh.e_ident[EI_DATA] != ELFDATA2LSB)
		goto bad;
	if (elf_getshdrnum(e->elf, &shnum) != 0)
		shnum = 0;
	e->shnum = shnum < UW_ELF_SECTIONS_MAX ? shnum : UW_ELF_SECTIONS_MAX;
	*out = e;
	return 0;
bad:
	uw_elf_close(e);
	return -ENOEXEC;
}

/*
 * Turn an O_PATH fd into a readable one after checking what it is. @m is the
 * mapping it must be (NULL: no identity check). @kernel_ref: @pfd came from
 * map_files, i.e. it is the mapped file by construction. Consumes @pfd.
 */
static int reopen_checked(int pfd, const struct uw_mapping *m, bool kernel_ref,
			  struct uw_elf **out)
{
	struct stat st, st2;
	char fn[64];
	int fd, err;

	if (fstat(pfd, &st) != 0) {
		err = -errno;
		close(pfd);
		return err;
	}
	/* The inode must match. So must the device, except through map_files:
	 * there the file cannot be another one, and a device that differs is
	 * only the kernel reporting two numbers for one file (btrfs subvolumes:
	 * maps prints the superblock's device, stat the subvolume's). */
	if (!S_ISREG(st.st_mode) ||
	    (m && ((uint64_t)st.st_ino != m->inode ||
		   (!kernel_ref && (major(st.st_dev) != m->dev_major ||
				    minor(st.st_dev) != m->dev_minor))))) {
		close(pfd);
		return -ESTALE;
	}
	/* Reopening through /proc/self/fd yields the very inode the O_PATH fd
	 * holds: no second path walk the target could race. */
	snprintf(fn, sizeof(fn), "/proc/self/fd/%d", pfd);
	fd = open(fn, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	err = fd < 0 ? -errno : 0;
	close(pfd);
	if (fd < 0)
		return err;
	if (fstat(fd, &st2) != 0 || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino) {
		close(fd);
		return -ESTALE;
	}
	err = elf_from_fd(fd, &st2, out);
	if (!err && m) {
		/* identity as /proc/PID/maps prints it, for uw_elf_load_bias */
		(*out)->dev_major = m->dev_major;
		(*out)->dev_minor = m->dev_minor;
		(*out)->inode = m->inode;
	}
	return err;
}

/* Any "." or ".." component: only the openat2-less fallback needs to care. */
static bool has_dot_component(const char *p)
{
	while (*p) {
		const char *s = strchr(p, '/');
		size_t n = s ? (size_t)(s - p) : strlen(p);

		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return true;
		if (!s)
			break;
		p = s + 1;
	}
	return false;
}

/* O_PATH open of @path inside the target's root directory. */
static int open_in_root(pid_t pid, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		/* The target's symlinks resolve in the target's root; "/proc/self"
		 * style magic links inside its tree are refused. */
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	char fn[64];
	int dirfd, fd, err;

	snprintf(fn, sizeof(fn), "/proc/%d/root", (int)pid);
	dirfd = open(fn, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		/* Before Linux 5.6: a plain relative walk. maps paths are canonical,
		 * so "." and ".." never occur legitimately; absolute symlinks
		 * would resolve in our root, which the inode check then catches. */
		if (has_dot_component(path)) {
			close(dirfd);
			return -EINVAL;
		}
		while (*path == '/')
			path++;
		fd = openat(dirfd, *path ? path : ".", O_PATH | O_CLOEXEC);
	}
	err = fd < 0 ? -errno : fd;
	close(dirfd);
	return err;
}

int uw_elf_open_mapping(pid_t pid, const struct uw_mapping *m, struct uw_elf **out)
{
	char fn[96];
	int pfd, err;

	*out = NULL;
	if (pid <= 0 || !m || !m->path || m->inode == 0)
		return -EINVAL;
	/* map_files is the kernel's reference to the mapped file itself (deleted
	 * or not, whatever the path says now); following it needs CAP_SYS_ADMIN
	 * or CAP_CHECKPOINT_RESTORE, which a rootless supervisor lacks. */
	snprintf(fn, sizeof(fn), "/proc/%d/map_files/%llx-%llx", (int)pid,
		 (unsigned long long)m->start, (unsigned long long)m->end);
	pfd = open(fn, O_PATH | O_CLOEXEC);
	if (pfd >= 0) {
		err = reopen_checked(pfd, m, true, out);
		if (err != -ESTALE)
			return err;
	}
	if (m->path[0] != '/')
		return -ENOENT;		/* "[heap]", "anon_inode:...", memfd names */
	pfd = open_in_root(pid, m->path);
	if (pfd < 0)
		return pfd;
	return reopen_checked(pfd, m, false, out);
}

int uw_elf_open_path(const char *path, struct uw_elf **out)
{
	int pfd;

	*out = NULL;
	pfd = open(path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	return reopen_checked(pfd, NULL, false, out);
}

void uw_elf_close(struct uw_elf *e)
{
	if (!e)
		return;
	if (e->elf)
		elf_end(e->elf);
	close(e->fd);
	free(e);
}

/*
 * The data of section @idx if it has @type, its header is sane and its bytes
 * lie in the file. The type is checked first: getting the data reads it all
 * (megabytes of .text or DWARF for nothing).
 */
static Elf_Data *section_data(struct uw_elf *e, size_t idx, Elf64_Word type, GElf_Shdr *sh)
{
	Elf_Scn *scn;
	Elf_Data *d;

	if (idx == 0 || idx >= e->shnum)
		return NULL;
	scn = elf_getscn(e->elf, idx);
	if (!scn || !gelf_getshdr(scn, sh) || sh->sh_type != type || type == SHT_NOBITS)
		return NULL;
	if (sh->sh_offset > e->file_size || sh->sh_size > e->file_size - sh->sh_offset ||
	    sh->sh_size > UW_ELF_TABLE_MAX)
		return NULL;
	d = elf_getdata(scn, NULL);
	if (!d || !d->d_buf || d->d_size > sh->sh_size)
		return NULL;
	return d;
}

/* Whether the NUL-terminated string at @off in @strtab is @name (@len bytes). */
static bool str_at_is(const Elf_Data *strtab, uint64_t off, const char *name, size_t len)
{
	const char *s = strtab->d_buf;

	if (off >= strtab->d_size || strtab->d_size - off <= len)
		return false;
	return !memcmp(s + off, name, len) && s[off + len] == '\0';
}

/* The string table section @link refers to, or NULL. */
static Elf_Data *strtab_data(struct uw_elf *e, uint64_t link)
{
	GElf_Shdr sh;

	if (link >= e->shnum)
		return NULL;
	return section_data(e, (size_t)link, SHT_STRTAB, &sh);
}

static int find_in_table(struct uw_elf *e, Elf64_Word type, const char *name, size_t len,
			 uint64_t *value, uint64_t *size)
{
	for (size_t i = 1; i < e->shnum; i++) {
		GElf_Shdr sh;
		Elf_Data *d, *str;
		size_t n;

		d = section_data(e, i, type, &sh);
		if (!d)
			continue;
		str = strtab_data(e, sh.sh_link);
		if (!str)
			continue;
		n = d->d_size / sizeof(Elf64_Sym);
		if (n > UW_ELF_SYMS_MAX)
			n = UW_ELF_SYMS_MAX;
		for (size_t k = 1; k < n; k++) {
			GElf_Sym sym;

			if (!gelf_getsym(d, (int)k, &sym) || sym.st_shndx == SHN_UNDEF)
				continue;
			if (!str_at_is(str, sym.st_name, name, len))
				continue;
			*value = sym.st_value;
			if (size)
				*size = sym.st_size;
			return 0;
		}
	}
	return -ENOENT;
}

int uw_elf_symbol(struct uw_elf *e, const char *name, uint64_t *value, uint64_t *size)
{
	size_t len = strlen(name);

	/* .dynsym first: it survives stripping and is what the dynamic linker
	 * (and so the running program) actually uses. */
	if (find_in_table(e, SHT_DYNSYM, name, len, value, size) == 0)
		return 0;
	return find_in_table(e, SHT_SYMTAB, name, len, value, size);
}

int uw_elf_section(struct uw_elf *e, const char *name, uint64_t *addr, uint64_t *size)
{
	size_t shstrndx, len = strlen(name);
	Elf_Data *names;

	if (elf_getshdrstrndx(e->elf, &shstrndx) != 0)
		return -ENOENT;
	names = strtab_data(e, shstrndx);
	if (!names)
		return -ENOENT;
	for (size_t i = 1; i < e->shnum; i++) {
		Elf_Scn *scn = elf_getscn(e->elf, i);
		GElf_Shdr sh;

		if (!scn || !gelf_getshdr(scn, &sh) || !str_at_is(names, sh.sh_name, name, len))
			continue;
		*addr = sh.sh_addr;
		if (size)
			*size = sh.sh_size;
		return 0;
	}
	return -ENOENT;
}

static uint64_t page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p > 0 ? (uint64_t)p : 4096;
}

int uw_elf_first_load_vaddr(struct uw_elf *e, uint64_t *vaddr)
{
	uint64_t mask = ~(page_size() - 1);
	size_t phnum;
	bool found = false;
	GElf_Phdr best = { 0 };

	if (elf_getphdrnum(e->elf, &phnum) != 0)
		return -ENOEXEC;
	if (phnum > UW_ELF_PHDRS_MAX)
		phnum = UW_ELF_PHDRS_MAX;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (!found || ph.p_vaddr < best.p_vaddr) {
			best = ph;
			found = true;
		}
	}
	/* The loader maps the lowest segment from file offset 0 (the headers);
	 * anything else would make "the mapping at offset 0" meaningless. */
	if (!found || (best.p_offset & mask) != 0)
		return -ENOEXEC;
	*vaddr = best.p_vaddr & mask;
	return 0;
}

int uw_elf_load_bias(struct uw_elf *e, const struct uw_maps *maps, uint64_t *bias)
{
	const struct uw_mapping *base;
	uint64_t vaddr;
	int err;

	err = uw_elf_first_load_vaddr(e, &vaddr);
	if (err)
		return err;
	base = uw_maps_file_base(maps, e->dev_major, e->dev_minor, e->inode);
	if (!base)
		return -ENOENT;
	/* wraps only for a file whose vaddr is above where it is mapped:
	 * ET_EXEC maps at vaddr (bias 0); ET_DYN normally links at 0 */
	*bias = base->start - vaddr;
	return 0;
}

/* Look for NT_GNU_BUILD_ID in one block of notes. 0, -ENOENT or -ENOSPC. */
static int build_id_in(Elf_Data *d, uint8_t *buf, size_t cap, size_t *len)
{
	size_t off = 0;

	for (int i = 0; i < UW_ELF_NOTES_MAX && off < d->d_size; i++) {
		GElf_Nhdr nh;
		size_t name_off, desc_off, next;

		next = gelf_getnote(d, off, &nh, &name_off, &desc_off);
		if (next == 0 || next <= off)
			break;
		off = next;
		if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
		    memcmp((const char *)d->d_buf + name_off, "GNU", 4) != 0)
			continue;
		if (nh.n_descsz == 0 || nh.n_descsz > UW_ELF_BUILD_ID_MAX ||
		    desc_off > d->d_size || d->d_size - desc_off < nh.n_descsz)
			continue;
		*len = nh.n_descsz;
		if (nh.n_descsz > cap)
			return -ENOSPC;
		memcpy(buf, (const char *)d->d_buf + desc_off, nh.n_descsz);
		return 0;
	}
	return -ENOENT;
}

int uw_elf_build_id(struct uw_elf *e, uint8_t *buf, size_t cap, size_t *len)
{
	size_t phnum;
	int err;

	for (size_t i = 1; i < e->shnum; i++) {
		GElf_Shdr sh;
		Elf_Data *d = section_data(e, i, SHT_NOTE, &sh);

		if (!d)
			continue;
		err = build_id_in(d, buf, cap, len);
		if (err != -ENOENT)
			return err;
	}
	/* No section headers (or no note section): the PT_NOTE segments. */
	if (elf_getphdrnum(e->elf, &phnum) != 0)
		return -ENOENT;
	if (phnum > UW_ELF_PHDRS_MAX)
		phnum = UW_ELF_PHDRS_MAX;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		Elf_Data *d;

		if (!gelf_getphdr(e->elf, (int)i, &ph) || ph.p_type != PT_NOTE ||
		    ph.p_offset > e->file_size || ph.p_filesz > e->file_size - ph.p_offset ||
		    ph.p_filesz == 0)
			continue;
		d = elf_getdata_rawchunk(e->elf, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_NHDR);
		if (!d)
			continue;
		err = build_id_in(d, buf, cap, len);
		if (err != -ENOENT)
			return err;
	}
	return -ENOENT;
}

int uw_elf_needs(struct uw_elf *e, const char *prefix)
{
	size_t plen = strlen(prefix);

	for (size_t i = 1; i < e->shnum; i++) {
		GElf_Shdr sh;
		Elf_Data *d = section_data(e, i, SHT_DYNAMIC, &sh), *str;
		size_t n;

		if (!d)
			continue;
		str = strtab_data(e, sh.sh_link);
		if (!str)
			continue;
		n = d->d_size / sizeof(Elf64_Dyn);
		if (n > UW_ELF_DYN_MAX)
			n = UW_ELF_DYN_MAX;
		for (size_t k = 0; k < n; k++) {
			GElf_Dyn dyn;

			if (!gelf_getdyn(d, (int)k, &dyn) || dyn.d_tag == DT_NULL)
				break;
			if (dyn.d_tag != DT_NEEDED || dyn.d_un.d_val >= str->d_size)
				continue;
			/* a prefix match must stay inside the table */
			if (str->d_size - dyn.d_un.d_val > plen &&
			    !memcmp((const char *)str->d_buf + dyn.d_un.d_val, prefix, plen))
				return 1;
		}
	}
	return 0;
}

int uw_elf_is_exec(struct uw_elf *e)
{
	GElf_Ehdr eh;

	return gelf_getehdr(e->elf, &eh) && eh.e_type == ET_EXEC;
}
