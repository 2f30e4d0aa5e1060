// SPDX-License-Identifier: MIT
/*
 * attack_iouring - try to use io_uring, whose requests are executed by kernel
 * workers that a seccomp filter never sees. Under sisup every io_uring call
 * must fail with ENOSYS.
 *
 *   attack_iouring PATH
 *
 * 1. io_uring_enter and io_uring_register on a descriptor that is not a ring
 *    (bare: EBADF; under sisup: ENOSYS, decided before the kernel looks at
 *    the descriptor);
 * 2. io_uring_setup; if it succeeds, an IORING_OP_OPENAT of PATH with
 *    O_WRONLY|O_CREAT|O_TRUNC, i.e. a file creation that sisup would otherwise
 *    have been notified of.
 *
 * One line per step: "RESULT <step> ok [...]" or "RESULT <step> errno=E";
 * exits 0 unless the arguments are wrong.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static void result(const char *step, long rc)
{
	if (rc < 0)
		printf("RESULT %s errno=%s\n", step, strerrorname_np(errno));
	else
		printf("RESULT %s ok ret=%ld\n", step, rc);
}

/* Submit one OPENAT and wait for its completion; returns the CQE's res
 * (a descriptor or -errno), or -1000 - errno when the ring itself failed. */
static int ring_openat(int fd, const struct io_uring_params *p, const char *path)
{
	size_t sq_sz = p->sq_off.array + p->sq_entries * sizeof(uint32_t);
	size_t cq_sz = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	unsigned char *sq, *cq;
	struct io_uring_sqe *sqes;
	uint32_t *tail, *mask, *array, head, *chead, *ctail, *cmask;
	struct io_uring_cqe *cqes;
	long rc;

	if (p->features & IORING_FEAT_SINGLE_MMAP) {
		if (cq_sz > sq_sz)
			sq_sz = cq_sz;
		cq_sz = sq_sz;
	}
	sq = mmap(NULL, sq_sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return -1000 - errno;
	if (p->features & IORING_FEAT_SINGLE_MMAP) {
		cq = sq;
	} else {
		cq = mmap(NULL, cq_sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
			  IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return -1000 - errno;
	}
	sqes = mmap(NULL, p->sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (sqes == MAP_FAILED)
		return -1000 - errno;

	tail = (uint32_t *)(sq + p->sq_off.tail);
	mask = (uint32_t *)(sq + p->sq_off.ring_mask);
	array = (uint32_t *)(sq + p->sq_off.array);
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_OPENAT;
	sqes[0].fd = AT_FDCWD;
	sqes[0].addr = (uint64_t)(uintptr_t)path;
	sqes[0].len = 0644;
	sqes[0].open_flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
	sqes[0].user_data = 42;
	head = *tail;
	array[head & *mask] = 0;
	__atomic_store_n(tail, head + 1, __ATOMIC_RELEASE);

	rc = syscall(__NR_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0);
	if (rc < 0)
		return -1000 - errno;
	chead = (uint32_t *)(cq + p->cq_off.head);
	ctail = (uint32_t *)(cq + p->cq_off.tail);
	cmask = (uint32_t *)(cq + p->cq_off.ring_mask);
	cqes = (struct io_uring_cqe *)(cq + p->cq_off.cqes);
	if (*chead == __atomic_load_n(ctail, __ATOMIC_ACQUIRE))
		return -1000 - EAGAIN;
	return cqes[*chead & *cmask].res;
}

int main(int argc, char **argv)
{
	struct io_uring_params p;
	long fd;
	int res;

	if (argc != 2) {
		fprintf(stderr, "usage: attack_iouring PATH\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* -1 is never a ring: the kernel says EBADF, the filter ENOSYS. */
	result("io_uring_enter", syscall(__NR_io_uring_enter, -1, 0, 0, 0, NULL, 0));
	result("io_uring_register", syscall(__NR_io_uring_register, -1, IORING_UNREGISTER_BUFFERS, NULL, 0));

	memset(&p, 0, sizeof(p));
	fd = syscall(__NR_io_uring_setup, 4, &p);
	result("io_uring_setup", fd);
	if (fd < 0)
		return 0;

	/* The ring exists: this must never happen under sisup. */
	res = ring_openat((int)fd, &p, argv[1]);
	if (res <= -1000)
		printf("RESULT openat ring-errno=%s\n", strerrorname_np(-res - 1000));
	else if (res < 0)
		printf("RESULT openat errno=%s\n", strerrorname_np(-res));
	else
		printf("RESULT openat ok fd=%d\n", res);
	return 0;
}
