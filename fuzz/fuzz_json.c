// SPDX-License-Identifier: MIT
/*
 * fuzz_json.c - libFuzzer target for the JSON event writer: file names,
 * function names and module names reach it from the sandboxed process.
 *
 * sv_json_escape() on the input bytes:
 *  - with room to spare, the output is a valid JSON string body (checked by
 *    the tiny validator below) whose decoding is the input, read as UTF-8
 *    where it is valid UTF-8 and as one U+00XX per byte elsewhere;
 *  - into an exact-size heap buffer of every length up to the full one
 *    (ASan catches a write past it), the result is the same count and a
 *    prefix of the full output, like snprintf.
 * sv_evlog_write(json) of an event whose stack frames carry pieces of the
 * input (and a reason, a syscall number and arguments from it), and
 * sv_evlog_task(json) of an exec of the input as a path: one line that is a
 * valid JSON object (a small full validator).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evlog.h"
#include "stack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_json: %s\n", what);
		abort();
	}
}

/* One UTF-8 sequence at @p (strict), its length, or 0. */
static size_t utf8_seq(const unsigned char *p, size_t left, uint32_t *cp)
{
	size_t n;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || (c >= 0xd800 && c <= 0xdfff) ||
	    c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

static int hexv(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
 * Validate a JSON string body [@s, @s + @n) (RFC 8259: no raw control
 * characters, quotes or backslashes; known escapes; valid UTF-8; \u escapes
 * of surrogates in pairs). Decode it into @cps (may be NULL); returns the
 * number of code points, or -1 when invalid.
 */
static long json_body(const unsigned char *s, size_t n, uint32_t *cps)
{
	long k = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;

		if (s[i] == '"' || s[i] < 0x20)
			return -1;
		if (s[i] != '\\') {
			size_t m = utf8_seq(s + i, n - i, &cp);

			if (!m)
				return -1;
			i += m;
		} else {
			if (++i >= n)
				return -1;
			switch (s[i]) {
			case '"': cp = '"'; break;
			case '\\': cp = '\\'; break;
			case '/': cp = '/'; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				if (i + 4 >= n)
					return -1;
				cp = 0;
				for (int d = 1; d <= 4; d++) {
					int h = hexv(s[i + d]);

					if (h < 0)
						return -1;
					cp = cp << 4 | (uint32_t)h;
				}
				i += 4;
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return -1;
				if (cp >= 0xd800 && cp <= 0xdbff) {
					uint32_t lo = 0;

					if (i + 6 >= n || s[i + 1] != '\\' || s[i + 2] != 'u')
						return -1;
					for (int d = 3; d <= 6; d++) {
						int h = hexv(s[i + d]);

						if (h < 0)
							return -1;
						lo = lo << 4 | (uint32_t)h;
					}
					if (lo < 0xdc00 || lo > 0xdfff)
						return -1;
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					i += 6;
				}
				break;
			default:
				return -1;
			}
			i++;
		}
		if (cps)
			cps[k] = cp;
		k++;
	}
	return k;
}

/* ------------------------------------------------------------------ */
/* A small validator for a whole JSON value.                           */

struct jp {
	const unsigned char *s;
	size_t n, i;
	int depth;
};

static void ws(struct jp *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
			       p->s[p->i] == '\r'))
		p->i++;
}

static bool value(struct jp *p);

static bool string(struct jp *p)
{
	size_t start;

	if (p->i >= p->n || p->s[p->i] != '"')
		return false;
	start = ++p->i;
	while (p->i < p->n && p->s[p->i] != '"')
		p->i += p->s[p->i] == '\\' ? 2 : 1;
	if (p->i >= p->n)
		return false;
	return json_body(p->s + start, p->i++ - start, NULL) >= 0;
}

static bool number(struct jp *p)
{
	size_t d;

	if (p->i < p->n && p->s[p->i] == '-')
		p->i++;
	if (p->i < p->n && p->s[p->i] == '0') {
		p->i++;
	} else {
		for (d = 0; p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9'; d++)
			p->i++;
		if (!d)
			return false;
	}
	if (p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		for (d = 0; p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9'; d++)
			p->i++;
		if (!d)
			return false;
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		for (d = 0; p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9'; d++)
			p->i++;
		if (!d)
			return false;
	}
	return true;
}

static bool word(struct jp *p, const char *w)
{
	size_t l = strlen(w);

	if (p->n - p->i < l || memcmp(p->s + p->i, w, l))
		return false;
	p->i += l;
	return true;
}

static bool members(struct jp *p, char close, bool object)
{
	p->i++;
	ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		return true;
	}
	for (;;) {
		ws(p);
		if (object) {
			if (!string(p))
				return false;
			ws(p);
			if (p->i >= p->n || p->s[p->i++] != ':')
				return false;
		}
		if (!value(p))
			return false;
		ws(p);
		if (p->i >= p->n)
			return false;
		if (p->s[p->i] == close) {
			p->i++;
			return true;
		}
		if (p->s[p->i++] != ',')
			return false;
	}
}

static bool value(struct jp *p)
{
	bool ok;

	ws(p);
	if (p->i >= p->n || ++p->depth > 64)
		return false;
	switch (p->s[p->i]) {
	case '{': ok = members(p, '}', true); break;
	case '[': ok = members(p, ']', false); break;
	case '"': ok = string(p); break;
	case 't': ok = word(p, "true"); break;
	case 'f': ok = word(p, "false"); break;
	case 'n': ok = word(p, "null"); break;
	default: ok = number(p); break;
	}
	p->depth--;
	return ok;
}

/* ------------------------------------------------------------------ */

static void check_escape(const uint8_t *data, size_t size)
{
	size_t cap = size * 6 + 1, n, m;
	char *out = malloc(cap);
	uint32_t *got = malloc((size + 1) * sizeof(*got)), *want = malloc((size + 1) * sizeof(*want));
	long ng, nw = 0;

	must(out && got && want, "oom");
	n = sv_json_escape((const char *)data, size, out, cap);
	must(n <= size * 6, "output longer than 6 bytes per input byte");
	ng = json_body((const unsigned char *)out, n, got);
	must(ng >= 0, "not a valid JSON string body");
	/* what it must decode to */
	for (size_t i = 0; i < size;) {
		uint32_t cp;
		size_t k = utf8_seq(data + i, size - i, &cp);

		if (k) {
			want[nw++] = cp;
			i += k;
		} else {
			want[nw++] = data[i++];
		}
	}
	must(ng == nw && !memcmp(got, want, (size_t)nw * sizeof(*got)),
	     "does not decode to the input");
	/* every shorter buffer: same count, a prefix, nothing written past it */
	for (size_t len = 0; len < n; len += 1 + len / 4) {
		char *small = malloc(len ? len : 1);

		must(small != NULL, "oom");
		m = sv_json_escape((const char *)data, size, small, len);
		must(m == n, "count differs with a short buffer");
		must(!memcmp(small, out, len), "not a prefix");
		free(small);
	}
	must(sv_json_escape((const char *)data, size, NULL, 0) == n, "count with no buffer");
	free(out);
	free(got);
	free(want);
}

static struct uw_stack st;

static void check_line(char *buf, size_t blen);

static void check_event(const uint8_t *data, size_t size)
{
	struct sv_event ev;
	char *buf = NULL;
	size_t blen = 0, piece;
	FILE *f;

	memset(&ev, 0, sizeof(ev));
	uw_stack_reset(&st);
	if (size >= 8) {
		int32_t nr;

		memcpy(&nr, data, 4);
		ev.nr = nr % 512;
		memcpy(&ev.args[0], data, size >= 8 ? 8 : size);
		ev.args[1] = ~ev.args[0];
		ev.error = data[4];
		ev.abandoned = data[5] & 1;
		st.status = (enum uw_status)(data[6] % (UW_CORRUPT + 1));
		st.truncated = data[7] & 1;
	}
	ev.time = 1.5;
	ev.pid = 42;
	ev.tid = 43;
	ev.answer = "continue";
	ev.stack = &st;
	/* the input cut in pieces: reason, then file, function and module names */
	piece = size / 4 + 1;
	{
		size_t rl = size < sizeof(st.reason) - 1 ? size : sizeof(st.reason) - 1;

		memcpy(st.reason, data, rl);
		st.reason[rl] = '\0';
	}
	for (size_t off = 0; off < size && st.nframes < 16; off += piece) {
		struct uw_frame *fr = &st.frames[st.nframes++];
		size_t l = size - off < piece ? size - off : piece;

		fr->file = uw_stack_intern(&st, (const char *)data + off, l);
		fr->func = uw_stack_intern(&st, (const char *)data + off + l / 2, l - l / 2);
		fr->module = uw_stack_intern(&st, (const char *)data + off, l / 3);
		fr->line = (int32_t)(off * 7919) - 5;
		fr->kind = data[off] % 8;
	}
	f = open_memstream(&buf, &blen);
	must(f != NULL, "open_memstream");
	sv_evlog_write(f, true, &ev);
	must(fclose(f) == 0, "fclose");
	check_line(buf, blen);
	free(buf);
}

/* One line of @f's text that must be a JSON object. */
static void check_line(char *buf, size_t blen)
{
	char *nl = memchr(buf, '\n', blen);
	struct jp p = { (const unsigned char *)buf, blen ? blen - 1 : 0, 0, 0 };

	must(nl != NULL && nl == buf + blen - 1, "one line");
	must(value(&p), "event is not JSON");
	ws(&p);
	must(p.i == p.n, "trailing bytes after the event");
}

/* An exec event: the executable's path as readlink(/proc/PID/exe) gives it
 * (at most PATH_MAX - 1 bytes, no NUL). */
static void check_exec(const uint8_t *data, size_t size)
{
	size_t n = strnlen((const char *)data, size < 4095 ? size : 4095);
	char *exe = malloc(n + 1), *buf = NULL;
	struct sv_task_ev ev = { .time = 2.25, .what = SV_TEV_EXEC, .pid = 7, .tid = 7 };
	size_t blen = 0;
	FILE *f;

	must(exe != NULL, "oom");
	memcpy(exe, data, n);
	exe[n] = '\0';
	ev.exe = exe;
	f = open_memstream(&buf, &blen);
	must(f != NULL, "open_memstream");
	sv_evlog_task(f, true, &ev);
	must(fclose(f) == 0, "fclose");
	check_line(buf, blen);
	free(buf);
	free(exe);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	check_escape(data, size);
	check_event(data, size);
	check_exec(data, size);
	return 0;
}
