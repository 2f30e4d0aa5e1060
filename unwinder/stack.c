// SPDX-License-Identifier: MIT
/*
 * stack.c - the string arena of a stack report.
 */
#include "stack.h"

#include <stdlib.h>
#include <string.h>

void uw_stack_reset(struct uw_stack *s)
{
	s->status = UW_OK;
	s->reason[0] = '\0';
	s->truncated = false;
	s->inherited = false;
	s->inherited_from = 0;
	s->own_status = UW_OK;
	s->reads = 0;
	s->nframes = 0;
	s->nnative = 0;
	s->native_complete = false;
	s->arena[0] = '\0';
	s->arena_used = 1; /* offset 0 is the empty string */
}

uint32_t uw_stack_intern(struct uw_stack *s, const char *str, size_t len)
{
	uint32_t off = s->arena_used;

	if (len > UW_STR_MAX)
		len = UW_STR_MAX;
	if (len == 0)
		return 0;
	if ((size_t)s->arena_used + len + 1 > UW_ARENA_SIZE) {
		s->truncated = true;
		return 0;
	}
	memcpy(s->arena + off, str, len);
	s->arena[off + len] = '\0';
	s->arena_used += (uint32_t)len + 1;
	return off;
}

const char *uw_status_name(enum uw_status st)
{
	switch (st) {
	case UW_OK: return "ok";
	case UW_NOT_PYTHON: return "not-python";
	case UW_UNSUPPORTED: return "unsupported-version";
	case UW_NOT_INITIALIZED: return "not-initialized";
	case UW_NO_THREAD_STATE: return "no-thread-state";
	case UW_READ_FAILED: return "read-failed";
	case UW_CORRUPT: return "corrupt";
	}
	return "unknown";
}

void *uw_stack_pack(const struct uw_stack *s)
{
	size_t head = offsetof(struct uw_stack, frames);
	size_t frames = (size_t)s->nframes * sizeof(s->frames[0]);
	size_t tail = offsetof(struct uw_stack, arena) - offsetof(struct uw_stack, nnative);
	uint8_t *p = malloc(head + frames + tail + s->arena_used);

	if (!p)
		return NULL;
	memcpy(p, s, head);
	memcpy(p + head, s->frames, frames);
	memcpy(p + head + frames, &s->nnative, tail);
	memcpy(p + head + frames + tail, s->arena, s->arena_used);
	return p;
}

void uw_stack_unpack(const void *packed, struct uw_stack *s)
{
	const uint8_t *p = packed;
	size_t head = offsetof(struct uw_stack, frames);
	size_t tail = offsetof(struct uw_stack, arena) - offsetof(struct uw_stack, nnative);
	size_t frames;

	memcpy(s, p, head);
	frames = (size_t)s->nframes * sizeof(s->frames[0]);
	memcpy(s->frames, p + head, frames);
	memcpy(&s->nnative, p + head + frames, tail);
	memcpy(s->arena, p + head + frames + tail, s->arena_used);
}
