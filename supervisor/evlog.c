// SPDX-License-Identifier: MIT
/*
 * evlog.c - text and JSON renderings of an event.
 */
#include "evlog.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "decode.h"
#include "native.h"
#include "syscalls.h"

static size_t utf8_len(const unsigned char *p, size_t left)
{
	size_t n;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		n = 2, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, cp = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past U+10FFFF are not UTF-8 */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

size_t sv_json_escape(const char *s, size_t len, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

#define PUT(c) do { if (o < outlen) out[o] = (char)(c); o++; } while (0)
	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		size_t n;

		if (c == '"' || c == '\\') {
			PUT('\\');
			PUT(c);
			i++;
			continue;
		}
		if (c >= 0x20 && c < 0x7f) {
			PUT(c);
			i++;
			continue;
		}
		if (c >= 0x80 && (n = utf8_len(p + i, len - i)) > 0) {
			for (size_t k = 0; k < n; k++)
				PUT(p[i + k]);
			i += n;
			continue;
		}
		{
			static const char hex[] = "0123456789abcdef";
			char esc = c == '\n' ? 'n' : c == '\t' ? 't' : c == '\r' ? 'r' : 0;

			PUT('\\');
			if (esc) {
				PUT(esc);
			} else {
				PUT('u'); PUT('0'); PUT('0');
				PUT(hex[c >> 4]);
				PUT(hex[c & 15]);
			}
			i++;
		}
	}
#undef PUT
	return o;
}

static void json_str(FILE *f, const char *s)
{
	char esc[UW_STR_MAX * 6 + 1];
	size_t n = sv_json_escape(s, strlen(s), esc, sizeof(esc) - 1);

	esc[n < sizeof(esc) - 1 ? n : sizeof(esc) - 1] = '\0';
	fprintf(f, "\"%s\"", esc);
}

static const char *kind_name(unsigned k)
{
	static const char *const n[] = { "unknown", "stdlib", "third-party", "app", "main",
					 "frozen", "synthetic" };

	return k < sizeof(n) / sizeof(n[0]) ? n[k] : "unknown";
}

/* The native objects between the syscall and the innermost Python frame,
 * innermost first, and whom they charge the syscall to (native.h). */
static void native_json(FILE *f, const struct uw_stack *s)
{
	static const char *const attr[] = { "undetermined", "interpreter", "ctypes", "object" };
	uint32_t n = s->nnative < UW_NATIVE_MAX ? s->nnative : UW_NATIVE_MAX;
	const char *principal;
	enum uw_native_attr a = uw_native_attribute(s, &principal);

	fprintf(f, ",\"native\":{\"complete\":%s,\"objects\":[",
		s->native_complete ? "true" : "false");
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		json_str(f, uw_str(s, s->native[i].object));
	}
	fprintf(f, "],\"attribution\":\"%s\",\"principal\":", attr[a]);
	if (principal)
		json_str(f, principal);
	else
		fputs("null", f);
	fputc('}', f);
}

static void stack_json(FILE *f, const struct uw_stack *s)
{
	fprintf(f, ",\"stack\":{\"status\":\"%s\"", uw_status_name(s->status));
	if (s->reason[0]) {
		fprintf(f, ",\"reason\":");
		json_str(f, s->reason);
	}
	fprintf(f, ",\"inherited\":%s", s->inherited ? "true" : "false");
	if (s->inherited)
		fprintf(f, ",\"inherited_from\":%d", (int)s->inherited_from);
	fprintf(f, ",\"truncated\":%s,\"reads\":%u,\"frames\":[", s->truncated ? "true" : "false",
		s->reads);
	for (uint32_t i = 0; i < s->nframes; i++) {
		const struct uw_frame *fr = &s->frames[i];

		fprintf(f, "%s{\"module\":", i ? "," : "");
		json_str(f, uw_str(s, fr->module));
		fprintf(f, ",\"kind\":\"%s\",\"file\":", kind_name(fr->kind));
		json_str(f, uw_str(s, fr->file));
		fprintf(f, ",\"line\":%d,\"function\":", (int)fr->line);
		json_str(f, uw_str(s, fr->func));
		fputc('}', f);
	}
	fputc(']', f);
	native_json(f, s);
	fputc('}', f);
}

static void stack_text(FILE *f, const struct uw_stack *s)
{
	if (s->status != UW_OK || s->inherited || s->truncated)
		fprintf(f, "    [stack: %s%s%s%s%s]\n", uw_status_name(s->status),
			s->reason[0] ? ": " : "", s->reason,
			s->inherited ? ", inherited from the creating thread" : "",
			s->truncated ? ", truncated" : "");
	if (s->nnative > 0) {
		/* "native: libc.so.6 <- ext.so <- python3.11 (complete)"; an
		 * incomplete walk says why (native.c writes "native: ..." into
		 * reason when nothing else is there). */
		uint32_t n = s->nnative < UW_NATIVE_MAX ? s->nnative : UW_NATIVE_MAX;
		bool why = !s->native_complete && strncmp(s->reason, "native: ", 8) == 0;

		fputs("    native:", f);
		for (uint32_t i = 0; i < n; i++)
			fprintf(f, "%s %s", i ? " <-" : "",
				uw_native_basename(uw_str(s, s->native[i].object)));
		fprintf(f, " (%s%s%s)\n", s->native_complete ? "complete" : "incomplete",
			why ? ": " : "", why ? s->reason + 8 : "");
	}
	for (uint32_t i = 0; i < s->nframes; i++) {
		const struct uw_frame *fr = &s->frames[i];
		const char *m = uw_str(s, fr->module);

		fprintf(f, "    %-24s %s:%d  %s\n", m[0] ? m : "?", uw_str(s, fr->file), (int)fr->line,
			uw_str(s, fr->func));
	}
}

void sv_evlog_json_str(FILE *f, const char *s)
{
	json_str(f, s);
}

void sv_evlog_stack(FILE *f, bool json, const struct uw_stack *s)
{
	if (json)
		stack_json(f, s);
	else
		stack_text(f, s);
}

void sv_evlog_write(FILE *f, bool json, const struct sv_event *ev)
{
	char dec[6][SV_DECODE_ARG_MAX];
	char nbuf[24];
	const char *name = sv_syscall_name(ev->nr, nbuf, sizeof(nbuf));
	int n = sv_decode_args(ev->nr, ev->args, dec);

	if (json) {
		char esc[SV_DECODE_ARG_MAX * 6 + 1];

		fprintf(f, "{\"time\":%.6f,\"event\":\"syscall\",\"pid\":%d,\"tid\":%d,"
			"\"syscall\":\"%s\",\"nr\":%d,\"args\":[",
			ev->time, (int)ev->pid, (int)ev->tid, name, ev->nr);
		for (int i = 0; i < n; i++) {
			size_t m = sv_json_escape(dec[i], strlen(dec[i]), esc, sizeof(esc) - 1);

			esc[m < sizeof(esc) - 1 ? m : sizeof(esc) - 1] = '\0';
			fprintf(f, "%s\"%s\"", i ? "," : "", esc);
		}
		fprintf(f, "],\"raw\":[");
		for (int i = 0; i < 6; i++)
			fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)ev->args[i]);
		fprintf(f, "],\"answer\":\"%s\"", ev->answer);
		if (ev->error)
			fprintf(f, ",\"errno\":%d", ev->error);
		if (ev->abandoned)
			fprintf(f, ",\"abandoned\":true");
		if (ev->stack)
			stack_json(f, ev->stack);
		fprintf(f, "}\n");
		return;
	}
	fprintf(f, "%.6f pid=%d tid=%d %s(", ev->time, (int)ev->pid, (int)ev->tid, name);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "", dec[i]);
	fprintf(f, ") = %s", ev->answer);
	if (ev->error)
		fprintf(f, " %s", strerrorname_np(ev->error) ? strerrorname_np(ev->error) : "?");
	if (ev->abandoned)
		fprintf(f, " (abandoned)");
	fputc('\n', f);
	if (ev->stack)
		stack_text(f, ev->stack);
}

void sv_evlog_task(FILE *f, bool json, const struct sv_task_ev *ev)
{
	int st = ev->status;

	if (json) {
		fprintf(f, "{\"time\":%.6f,\"event\":\"%s\",\"pid\":%d,\"tid\":%d", ev->time,
			ev->what == SV_TEV_CREATE ? "create" : ev->what == SV_TEV_EXEC ? "exec" : "exit",
			(int)ev->pid, (int)ev->tid);
		if (ev->what == SV_TEV_CREATE) {
			fprintf(f, ",\"kind\":\"%s\",\"child\":%d,\"child_pid\":%d", ev->kind,
				(int)ev->child, (int)ev->child_pid);
		} else if (ev->what == SV_TEV_EXEC) {
			char esc[4096 * 6];
			const char *exe = ev->exe ? ev->exe : "";
			size_t n = sv_json_escape(exe, strlen(exe), esc, sizeof(esc) - 1);

			esc[n < sizeof(esc) - 1 ? n : sizeof(esc) - 1] = '\0';
			fprintf(f, ",\"exe\":\"%s\"", esc);
		} else if (WIFEXITED(st)) {
			fprintf(f, ",\"code\":%d", WEXITSTATUS(st));
		} else if (WIFSIGNALED(st)) {
			fprintf(f, ",\"signal\":%d", WTERMSIG(st));
		}
		fprintf(f, "}\n");
		return;
	}
	fprintf(f, "%.6f pid=%d tid=%d ", ev->time, (int)ev->pid, (int)ev->tid);
	switch (ev->what) {
	case SV_TEV_CREATE:
		fprintf(f, "+%s tid=%d pid=%d\n", ev->kind, (int)ev->child, (int)ev->child_pid);
		return;
	case SV_TEV_EXEC:
		fprintf(f, "exec %s\n", ev->exe ? ev->exe : "?");
		return;
	case SV_TEV_EXIT:
		if (WIFSIGNALED(st))
			fprintf(f, "exit signal %s\n", sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
		else
			fprintf(f, "exit %d\n", WEXITSTATUS(st));
		return;
	}
}
