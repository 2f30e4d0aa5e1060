// SPDX-License-Identifier: MIT
/*
 * fuzz_elf.c - libFuzzer target for elfsym.c: the files a target maps are
 * its choice, so every lookup must survive a crafted ELF.
 *
 * The input is written to a memfd and opened with uw_elf_open_path() through
 * /proc/self/fd (the same O_PATH + identity-checked reopen as for a real
 * mapping). Then: the symbols and section the runtime locator looks for,
 * the build id (with a short and a large buffer), the first PT_LOAD, the
 * load bias against a mapping of this very file at offset 0, DT_NEEDED,
 * ET_EXEC. Checks: documented return values only, a build id that fits the
 * buffer and UW_ELF_BUILD_ID_MAX, a page-aligned first vaddr, a bias that
 * is the mapping's start minus it, and the same answers when asked twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "elfsym.h"
#include "maps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAP_START 0x7f0000000000ULL

static int memfd = -1;
static char path[64];
static struct uw_maps *maps;

static void must(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_elf: %s\n", what);
		abort();
	}
}

static void init(void)
{
	struct stat st;
	char text[256];
	int n;

	memfd = memfd_create("fuzz_elf", MFD_CLOEXEC);
	must(memfd >= 0 && fstat(memfd, &st) == 0, "memfd");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	/* this very file mapped at offset 0, after an unrelated mapping */
	n = snprintf(text, sizeof(text),
		     "10000-11000 r--p 00000000 00:00 0 \n"
		     "%llx-%llx r--p 00000000 %02x:%02x %llu /memfd:fuzz_elf (deleted)\n",
		     (unsigned long long)MAP_START, (unsigned long long)MAP_START + 0x1000,
		     major(st.st_dev), minor(st.st_dev), (unsigned long long)st.st_ino);
	must(uw_maps_parse(text, (size_t)n, &maps) == 0 && uw_maps_count(maps) == 2, "maps");
}

static const char *const symbols[] = {
	"_PyRuntime", "PyCode_Type", "Py_Version", "_PyEval_EvalFrameDefault", "",
};

struct answers {
	int sym_rc[sizeof(symbols) / sizeof(symbols[0])];
	uint64_t sym_val[sizeof(symbols) / sizeof(symbols[0])], sym_size[sizeof(symbols) / sizeof(symbols[0])];
	int sec_rc;
	uint64_t sec_addr, sec_size;
	int bid_rc;
	size_t bid_len;
	uint8_t bid[UW_ELF_BUILD_ID_MAX];
	int vaddr_rc;
	uint64_t vaddr;
	int needs, is_exec;
};

static void ask(struct uw_elf *e, struct answers *a)
{
	uint8_t small[4];
	size_t len = 0;
	int rc;

	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		a->sym_rc[i] = uw_elf_symbol(e, symbols[i], &a->sym_val[i], &a->sym_size[i]);
		must(a->sym_rc[i] == 0 || a->sym_rc[i] == -ENOENT, "symbol rc");
	}
	a->sec_rc = uw_elf_section(e, ".PyRuntime", &a->sec_addr, &a->sec_size);
	must(a->sec_rc == 0 || a->sec_rc == -ENOENT, "section rc");

	a->bid_rc = uw_elf_build_id(e, a->bid, sizeof(a->bid), &a->bid_len);
	must(a->bid_rc == 0 || a->bid_rc == -ENOENT, "build id rc");
	if (a->bid_rc == 0)
		must(a->bid_len > 0 && a->bid_len <= UW_ELF_BUILD_ID_MAX, "build id length");
	rc = uw_elf_build_id(e, small, sizeof(small), &len);
	must(rc == 0 || rc == -ENOENT || rc == -ENOSPC, "build id rc (small)");
	must((rc == -ENOENT) == (a->bid_rc == -ENOENT), "build id found once only");
	if (rc == 0)
		must(len <= sizeof(small) && len == a->bid_len && !memcmp(small, a->bid, len),
		     "build id (small)");
	if (rc == -ENOSPC)
		must(len == a->bid_len && len > sizeof(small), "build id -ENOSPC length");

	a->vaddr_rc = uw_elf_first_load_vaddr(e, &a->vaddr);
	must(a->vaddr_rc == 0 || a->vaddr_rc == -ENOEXEC, "vaddr rc");
	if (a->vaddr_rc == 0)
		must(a->vaddr % 4096 == 0, "vaddr not page-aligned");
	{
		uint64_t bias = 0;

		rc = uw_elf_load_bias(e, maps, &bias);
		must(rc == a->vaddr_rc, "bias rc differs from vaddr rc");
		if (rc == 0)
			must(bias == MAP_START - a->vaddr, "bias");
	}
	a->needs = uw_elf_needs(e, "libpython3.");
	must(a->needs == 0 || a->needs == 1 || a->needs < 0, "needs");
	a->is_exec = uw_elf_is_exec(e);
	must(a->is_exec == 0 || a->is_exec == 1, "is_exec");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct answers a, b;
	struct uw_elf *e = NULL;
	int rc;

	if (memfd < 0)
		init();
	if (ftruncate(memfd, 0) != 0 || (size && pwrite(memfd, data, size, 0) != (ssize_t)size))
		abort();
	rc = uw_elf_open_path(path, &e);
	must(rc == 0 || rc == -ENOEXEC, "open rc");
	must((rc == 0) == (e != NULL), "handle");
	if (!e)
		return 0;
	ask(e, &a);
	ask(e, &b);
	must(!memcmp(&a, &b, sizeof(a)), "not deterministic");
	uw_elf_close(e);
	return 0;
}
