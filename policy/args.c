// SPDX-License-Identifier: MIT
/*
 * args.c - argument rules: parsing the patterns of a policy and matching
 * the objects the supervisor describes (docs/policy.md, "Argument rules").
 *
 * Patterns come from the policy (trusted to be the operator's intent, not to
 * be well formed); objects come from the supervisor, which built them from
 * the program's hostile memory. So matching never recurses and every loop is
 * bounded by the object's length (at most PATH_MAX) times the pattern's.
 * Matching is purely textual: the supervisor hands canonical paths (no
 * symlink, ".", ".." or "//"), and the patterns are normalised here once.
 */
#include "args.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

/* Addresses kept for one host name (getaddrinfo may list many). */
#define ARGS_HOST_ADDRS 32
/* Component comparisons one path match may make before it gives up (and
 * so denies): far more than PATH_MAX-sized inputs need with the backtracking
 * below, which is O(components(subject) * components(pattern)). */
#define ARGS_STEPS_MAX (1u << 22)

enum rule_kind { R_PATH, R_INET, R_ABSTRACT };

struct inaddr {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char a[16];	/* 4 or 16 bytes */
};

struct rule {
	enum pol_cap cap;
	enum rule_kind kind;
	char *text;		/* as written */
	/* R_PATH: the normalised pattern; for exec without wildcards, also
	 * the program it resolves to (NULL when the same or missing) */
	char *pat;
	char *real;
	/* R_INET */
	bool any_addr, any_port;
	struct inaddr addr;	/* when !any_addr and !host */
	unsigned prefix;	/* bits of addr that must match */
	uint16_t port;
	char *host;		/* a DNS name, resolved into addrs */
	struct inaddr *addrs;
	size_t naddrs;
	time_t resolved;
	/* R_ABSTRACT: the name after '@' (may hold '*') */
	unsigned char *name;
	size_t namelen;
};

struct pol_args {
	struct rule *r;
	size_t n, cap;
};

__attribute__((format(printf, 3, 4)))
/* A message (or hint) into @buf; the pattern it quotes is the policy
 * author's bytes: anything unprintable is written as \xNN, so the message
 * is safe on a terminal (fuzz_policy checks this). */
static int bad(char *buf, size_t len, const char *fmt, ...)
{
	char raw[512];
	size_t o = 0;
	va_list ap;

	if (len) {
		va_start(ap, fmt);
		vsnprintf(raw, sizeof(raw), fmt, ap);
		va_end(ap);
		for (size_t i = 0; raw[i] && o + 1 < len; i++) {
			unsigned char c = (unsigned char)raw[i];

			if (c >= 0x20 && c < 0x7f) {
				buf[o++] = (char)c;
			} else {
				if (o + 5 > len)
					break;
				snprintf(buf + o, len - o, "\\x%02x", c);
				o += 4;
			}
		}
		buf[o] = '\0';
	}
	return -EINVAL;
}

#define say(buf, len, ...) ((void)bad((buf), (len), __VA_ARGS__))

bool pol_args_takes(enum pol_cap cap)
{
	return cap == POL_CAP_FS_READ || cap == POL_CAP_FS_WRITE || cap == POL_CAP_EXEC ||
	       cap == POL_CAP_NET_CONNECT || cap == POL_CAP_NET_LISTEN || cap == POL_CAP_NET_UNIX;
}

static void rule_free(struct rule *r)
{
	free(r->text);
	free(r->pat);
	free(r->real);
	free(r->host);
	free(r->addrs);
	free(r->name);
}

void pol_args_free(struct pol_args *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		rule_free(&a->r[i]);
	free(a->r);
	free(a);
}

/* ------------------------------------------------------------------ */
/* Paths.                                                              */

/*
 * "*" (within one component) against @s, both of known length: the
 * classic wildcard match that only ever backtracks to the last star, which
 * is enough when the only wildcard is "*" (O(pl * sl)).
 */
static bool glob_comp(const char *p, size_t pl, const char *s, size_t sl)
{
	size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;

	while (si < sl) {
		if (pi < pl && p[pi] == '*') {
			star = ++pi;
			mark = si;
		} else if (pi < pl && p[pi] == s[si]) {
			pi++;
			si++;
		} else if (star != SIZE_MAX) {
			pi = star;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (pi < pl && p[pi] == '*')
		pi++;
	return pi == pl;
}

/* The component after the '/' at @i of @s (length @len): [*b, *e). */
static void comp_at(const char *s, size_t len, size_t i, size_t *b, size_t *e)
{
	*b = i + 1;
	*e = *b;
	while (*e < len && s[*e] != '/')
		(*e)++;
}

static bool is_dstar(const char *p, size_t b, size_t e)
{
	return e - b == 2 && p[b] == '*' && p[b + 1] == '*';
}

/*
 * Does the normalised pattern @p match the canonical path @s? Components
 * are the "characters" of the same last-star backtracking as glob_comp,
 * with "**" (zero or more components) as the star: no recursion, at most
 * components(s) restarts of the pattern tail.
 */
static bool path_match(const char *p, const char *s)
{
	size_t pl = strlen(p), sl = strlen(s), pi = 0, si = 0;
	size_t star = SIZE_MAX, mark = 0, steps = 0;

	if (sl == 0 || s[0] != '/')
		return false;
	if (sl == 1)
		sl = 0;	/* "/" has no components */
	while (steps++ < ARGS_STEPS_MAX) {
		size_t pb = 0, pe = 0, sb, se;

		if (si >= sl) {
			/* the subject is used up: only "**" may be left */
			while (pi < pl) {
				comp_at(p, pl, pi, &pb, &pe);
				if (!is_dstar(p, pb, pe))
					return false;
				pi = pe;
			}
			return true;
		}
		comp_at(s, sl, si, &sb, &se);
		if (pi < pl) {
			comp_at(p, pl, pi, &pb, &pe);
			if (is_dstar(p, pb, pe)) {
				/* first try it as zero components */
				star = pe;
				mark = si;
				pi = pe;
				continue;
			}
			if (glob_comp(p + pb, pe - pb, s + sb, se - sb)) {
				pi = pe;
				si = se;
				continue;
			}
		}
		if (star == SIZE_MAX)
			return false;
		/* let the last "**" take one more component */
		comp_at(s, sl, mark, &sb, &se);
		mark = se;
		si = se;
		pi = star;
	}
	return false;	/* not reached with PATH_MAX subjects; deny if it is */
}

/*
 * @text as a normalised absolute pattern into @out (PATH_MAX): "~" and
 * "~/" become $HOME, "//" one "/", a trailing "/" a last "**" component;
 * "." and ".." components are refused (the objects never have them, so
 * such a rule could never match), as is "**" inside a component.
 */
static int path_norm(const char *text, char *out, char *err, size_t errlen, char *hint,
		     size_t hintlen)
{
	char in[PATH_MAX];
	size_t o = 0, i = 0, n;

	if (text[0] == '~' && (text[1] == '\0' || text[1] == '/')) {
		const char *home = getenv("HOME");

		if (!home || home[0] != '/') {
			say(hint, hintlen, "set HOME, or write the absolute path");
			return bad(err, errlen, "'~' needs HOME to be an absolute path");
		}
		if ((size_t)snprintf(in, sizeof(in), "%s/%s", home, text + 1) >= sizeof(in))
			return bad(err, errlen, "the path is longer than %d bytes", PATH_MAX - 1);
		/* "~" alone is the directory, not everything below it: drop the
		 * slashes that would read as a trailing "/" (HOME may end in one) */
		if (!text[1]) {
			size_t k = strlen(in);

			while (k > 1 && in[k - 1] == '/')
				in[--k] = '\0';
		}
	} else if (text[0] == '/') {
		if (strlen(text) >= sizeof(in))
			return bad(err, errlen, "the path is longer than %d bytes", PATH_MAX - 1);
		strcpy(in, text);
	} else {
		say(hint, hintlen, "write an absolute path such as /var/log/app/** (or ~/...)");
		return bad(err, errlen, "a relative path");
	}
	n = strlen(in);
	while (i < n) {
		size_t b, e;

		while (i < n && in[i] == '/')
			i++;
		if (i == n)
			break;
		b = i;
		while (i < n && in[i] != '/')
			i++;
		e = i;
		if ((e - b == 1 && in[b] == '.') || (e - b == 2 && in[b] == '.' && in[b + 1] == '.')) {
			say(hint, hintlen, "write the path without '.' and '..' components");
			return bad(err, errlen, "a '%.*s' component", (int)(e - b), in + b);
		}
		if (!is_dstar(in, b, e) && memmem(in + b, e - b, "**", 2)) {
			say(hint, hintlen, "'**' stands alone between slashes: /a/**/b; '*' "
				"matches within one name");
			return bad(err, errlen, "'**' inside a name");
		}
		if (o + 1 + (e - b) >= PATH_MAX)
			return bad(err, errlen, "the path is longer than %d bytes", PATH_MAX - 1);
		out[o++] = '/';
		memcpy(out + o, in + b, e - b);
		o += e - b;
	}
	/* "/x/" means the directory and what is in it, as a last "**" component
	 * does; so does "/" */
	if (n && in[n - 1] == '/' && !(o >= 3 && memcmp(out + o - 3, "/**", 3) == 0)) {
		if (o + 3 >= PATH_MAX)
			return bad(err, errlen, "the path is longer than %d bytes", PATH_MAX - 1);
		memcpy(out + o, "/**", 3);
		o += 3;
	}
	out[o] = '\0';
	return 0;
}

static int parse_path(struct rule *r, char *err, size_t errlen, char *hint, size_t hintlen)
{
	char norm[PATH_MAX];
	int rc = path_norm(r->text, norm, err, errlen, hint, hintlen);

	if (rc)
		return rc;
	r->kind = R_PATH;
	r->pat = strdup(norm);
	if (!r->pat)
		return -ENOMEM;
	/* The supervisor checks exec on the kernel's record of the program
	 * (/proc/PID/exe), where /usr/bin/python3 is /usr/bin/python3.11:
	 * remember what a literal pattern resolves to now. */
	if (r->cap == POL_CAP_EXEC && !strchr(norm, '*')) {
		char *real = realpath(norm, NULL);

		if (real && strcmp(real, norm) != 0)
			r->real = real;
		else
			free(real);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Addresses.                                                          */

/* ::ffff:a.b.c.d is a.b.c.d: rules and objects are compared as IPv4. */
static void unmap(struct inaddr *x, unsigned *prefix)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (x->family != AF_INET6 || memcmp(x->a, mapped, 12) != 0)
		return;
	if (prefix && *prefix < 96)
		return;	/* wider than the mapped range: stays IPv6 */
	x->family = AF_INET;
	memmove(x->a, x->a + 12, 4);
	memset(x->a + 4, 0, 12);
	if (prefix)
		*prefix -= 96;
}

static int parse_port(const char *s, struct rule *r, char *err, size_t errlen, char *hint,
		      size_t hintlen)
{
	unsigned long v = 0;

	if (strcmp(s, "*") == 0) {
		r->any_port = true;
		return 0;
	}
	for (size_t i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 5) {
			v = ULONG_MAX;
			break;
		}
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (!s[0] || v > 65535) {
		say(hint, hintlen, "a port is 0..65535 or *");
		return bad(err, errlen, "bad port '%.16s'", s);
	}
	r->port = (uint16_t)v;
	return 0;
}

/* A DNS name as getaddrinfo takes it: letters, digits, '-', '.', '_'. */
static bool host_name(const char *s)
{
	bool alpha = false;

	if (!s[0] || strlen(s) > 253)
		return false;
	for (; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '-' || *s == '_')
			alpha = true;
		else if (!((*s >= '0' && *s <= '9') || *s == '.'))
			return false;
	}
	return alpha;	/* all digits and dots: a mistyped address, not a name */
}

/* Resolve @host: its addresses (at most ARGS_HOST_ADDRS, no repeats). */
static int resolve(const char *host, struct inaddr **out, size_t *n, const char **why)
{
	struct addrinfo hints, *res = NULL;
	struct inaddr *v;
	size_t k = 0;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc) {
		*why = rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc);
		return rc == EAI_MEMORY ? -ENOMEM : -ENOENT;
	}
	v = calloc(ARGS_HOST_ADDRS, sizeof(*v));
	if (!v) {
		freeaddrinfo(res);
		return -ENOMEM;
	}
	for (struct addrinfo *ai = res; ai && k < ARGS_HOST_ADDRS; ai = ai->ai_next) {
		struct inaddr x;
		bool dup = false;

		memset(&x, 0, sizeof(x));
		if (ai->ai_family == AF_INET && ai->ai_addrlen >= sizeof(struct sockaddr_in)) {
			x.family = AF_INET;
			memcpy(x.a, &((const struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
		} else if (ai->ai_family == AF_INET6 &&
			   ai->ai_addrlen >= sizeof(struct sockaddr_in6)) {
			x.family = AF_INET6;
			memcpy(x.a, &((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
			unmap(&x, NULL);
		} else {
			continue;
		}
		for (size_t j = 0; j < k && !dup; j++)
			dup = memcmp(&v[j], &x, sizeof(x)) == 0;
		if (!dup)
			v[k++] = x;
	}
	freeaddrinfo(res);
	if (!k) {
		free(v);
		*why = "no IPv4 or IPv6 address";
		return -ENOENT;
	}
	*out = v;
	*n = k;
	return 0;
}

/* "IP", "IP/n", "*" or a host name (IPv6 without its brackets). */
static int parse_host(struct rule *r, char *h, bool bracketed, char *err, size_t errlen,
		      char *hint, size_t hintlen)
{
	char *slash = strchr(h, '/');
	unsigned long bits = ULONG_MAX;
	const char *why = NULL;
	int rc;

	if (strcmp(h, "*") == 0 && !bracketed) {
		r->any_addr = true;
		return 0;
	}
	if (slash) {
		char *end = slash;

		*slash = '\0';
		if (slash[1] >= '0' && slash[1] <= '9' && strlen(slash + 1) <= 3)
			bits = strtoul(slash + 1, &end, 10);
		if (bits == ULONG_MAX || *end) {
			say(hint, hintlen, "a CIDR block is 10.0.0.0/8:PORT or [fd00::/8]:PORT");
			return bad(err, errlen, "bad prefix length '/%.8s'", slash + 1);
		}
	}
	memset(&r->addr, 0, sizeof(r->addr));
	if (!bracketed && inet_pton(AF_INET, h, r->addr.a) == 1) {
		r->addr.family = AF_INET;
	} else if (bracketed && inet_pton(AF_INET6, h, r->addr.a) == 1) {
		r->addr.family = AF_INET6;
	} else if (!bracketed && strchr(h, ':')) {
		say(hint, hintlen, "write IPv6 addresses in brackets: [::1]:8080");
		return bad(err, errlen, "an IPv6 address without brackets");
	} else if (!bracketed && !slash && host_name(h)) {
		r->host = strdup(h);
		if (!r->host)
			return -ENOMEM;
		rc = resolve(h, &r->addrs, &r->naddrs, &why);
		if (rc == -ENOMEM)
			return rc;
		if (rc) {
			say(hint, hintlen, "write an address (names are resolved when the policy "
				"loads, and again every %d s)", POL_ARGS_TTL);
			return bad(err, errlen, "cannot resolve '%.64s': %s", h, why);
		}
		r->resolved = time(NULL);
		return 0;
	} else {
		say(hint, hintlen, "write IP:PORT, [IPv6]:PORT, CIDR:PORT, HOST:PORT, *:PORT or "
			"IP:*");
		return bad(err, errlen, "bad address '%.64s'", h);
	}
	r->prefix = r->addr.family == AF_INET ? 32 : 128;
	if (slash) {
		if (bits > r->prefix) {
			say(hint, hintlen, "at most /%u for an IPv%c address", r->prefix,
			    r->addr.family == AF_INET ? '4' : '6');
			return bad(err, errlen, "bad prefix length '/%lu'", bits);
		}
		r->prefix = (unsigned)bits;
	}
	unmap(&r->addr, &r->prefix);
	return 0;
}

static int parse_inet(struct rule *r, char *err, size_t errlen, char *hint, size_t hintlen)
{
	char buf[300], *host, *port;
	bool bracketed = false;
	int rc;

	r->kind = R_INET;
	if (strlen(r->text) >= sizeof(buf)) {
		say(hint, hintlen, "write IP:PORT or HOST:PORT");
		return bad(err, errlen, "the address is too long");
	}
	strcpy(buf, r->text);
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');

		if (!close || close[1] != ':') {
			say(hint, hintlen, "write [IPv6]:PORT, such as [::1]:8080");
			return bad(err, errlen, "expected ']:' after an IPv6 address");
		}
		*close = '\0';
		host = buf + 1;
		port = close + 2;
		bracketed = true;
	} else {
		port = strrchr(buf, ':');
		if (!port) {
			say(hint, hintlen, "add the port: %.64s:443 (or :* for any)", buf);
			return bad(err, errlen, "no port in '%.64s'", buf);
		}
		*port++ = '\0';
		host = buf;
	}
	rc = parse_port(port, r, err, errlen, hint, hintlen);
	if (!rc)
		rc = parse_host(r, host, bracketed, err, errlen, hint, hintlen);
	return rc;
}

static bool prefix_eq(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, full) != 0)
		return false;
	if (!rest)
		return true;
	return ((a[full] ^ b[full]) & (0xffu << (8 - rest)) & 0xffu) == 0;
}

/* The object's address and port; false for anything but INET/INET6. */
static bool object_inet(const struct pol_object *o, struct inaddr *x, uint16_t *port)
{
	memset(x, 0, sizeof(*x));
	if (!o->sa || o->salen < sizeof(sa_family_t))
		return false;
	if (o->sa->sa_family == AF_INET && o->salen >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)o->sa;

		x->family = AF_INET;
		memcpy(x->a, &in->sin_addr, 4);
		*port = ntohs(in->sin_port);
		return true;
	}
	if (o->sa->sa_family == AF_INET6 && o->salen >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)o->sa;

		x->family = AF_INET6;
		memcpy(x->a, &in6->sin6_addr, 16);
		*port = ntohs(in6->sin6_port);
		unmap(x, NULL);
		return true;
	}
	return false;
}

static bool inet_match(const struct rule *r, const struct inaddr *x, uint16_t port)
{
	if (!r->any_port && r->port != port)
		return false;
	if (r->any_addr)
		return true;
	if (r->host) {
		for (size_t i = 0; i < r->naddrs; i++)
			if (r->addrs[i].family == x->family &&
			    memcmp(r->addrs[i].a, x->a, x->family == AF_INET ? 4 : 16) == 0)
				return true;
		return false;
	}
	return r->addr.family == x->family && prefix_eq(r->addr.a, x->a, r->prefix);
}

/* ------------------------------------------------------------------ */
/* Rules.                                                              */

static int parse_rule(struct rule *r, char *err, size_t errlen, char *hint, size_t hintlen)
{
	switch (r->cap) {
	case POL_CAP_FS_READ:
	case POL_CAP_FS_WRITE:
	case POL_CAP_EXEC:
		return parse_path(r, err, errlen, hint, hintlen);
	case POL_CAP_NET_CONNECT:
	case POL_CAP_NET_LISTEN:
		return parse_inet(r, err, errlen, hint, hintlen);
	case POL_CAP_NET_UNIX:
		if (r->text[0] != '@')
			return parse_path(r, err, errlen, hint, hintlen);
		r->kind = R_ABSTRACT;
		r->namelen = strlen(r->text + 1);
		if (r->namelen == 0 || r->namelen >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
			say(hint, hintlen, "an abstract name is 1 to %zu bytes after '@'",
			    sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
			return bad(err, errlen, "bad abstract socket name");
		}
		r->name = (unsigned char *)strdup(r->text + 1);
		return r->name ? 0 : -ENOMEM;
	default:
		say(hint, hintlen, "only fs-read, fs-write, exec, net-connect, net-listen and "
			"net-unix take arguments");
		return bad(err, errlen, "%s takes no arguments", pol_cap_name(r->cap));
	}
}

static bool has_rule(const struct pol_args *a, enum pol_cap cap, const char *text)
{
	for (size_t i = 0; a && i < a->n; i++)
		if (a->r[i].cap == cap && strcmp(a->r[i].text, text) == 0)
			return true;
	return false;
}

/* Room for one more rule in *@a (created when NULL). */
static int grow(struct pol_args **a)
{
	if (!*a) {
		*a = calloc(1, sizeof(**a));
		if (!*a)
			return -ENOMEM;
	}
	if ((*a)->n >= POL_ARGS_MAX)
		return -E2BIG;
	if ((*a)->n == (*a)->cap) {
		size_t cap = (*a)->cap ? (*a)->cap * 2 : 4;
		struct rule *nr = realloc((*a)->r, cap * sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		(*a)->r = nr;
		(*a)->cap = cap;
	}
	return 0;
}

int pol_args_add(struct pol_args **a, enum pol_cap cap, const char *pattern, char *err,
		 size_t errlen, char *hint, size_t hintlen)
{
	struct rule r;
	int rc;

	if (hintlen)
		hint[0] = '\0';
	if (errlen)
		err[0] = '\0';
	if (!a || !pattern)
		return bad(err, errlen, "no pattern");
	if ((unsigned)cap >= POL_CAP_COUNT || !pol_args_takes(cap)) {
		say(hint, hintlen, "only fs-read, fs-write, exec, net-connect, net-listen and "
			"net-unix take arguments");
		return bad(err, errlen, "%s takes no arguments", pol_cap_name(cap));
	}
	if (!pattern[0]) {
		say(hint, hintlen, "remove the empty pattern");
		return bad(err, errlen, "an empty pattern");
	}
	if (strlen(pattern) >= PATH_MAX)
		return bad(err, errlen, "a pattern is longer than %d bytes", PATH_MAX - 1);
	for (const char *s = pattern; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return bad(err, errlen, "a pattern contains a control character");
	}
	if (has_rule(*a, cap, pattern))
		return 0;
	/* parsed first: a bad pattern leaves *@a as it was (NULL stays NULL) */
	memset(&r, 0, sizeof(r));
	r.cap = cap;
	r.text = strdup(pattern);
	if (!r.text)
		return -ENOMEM;
	rc = parse_rule(&r, err, errlen, hint, hintlen);
	if (!rc)
		rc = grow(a);
	if (rc) {
		rule_free(&r);
		if (rc != -E2BIG)
			return rc;
		say(hint, hintlen, "use wildcards, or a CIDR block");
		return bad(err, errlen, "more than %d argument rules in one entry", POL_ARGS_MAX);
	}
	(*a)->r[(*a)->n++] = r;
	return 0;
}

static int copy_rule(struct rule *d, const struct rule *s)
{
	memset(d, 0, sizeof(*d));
	*d = *s;
	d->text = d->pat = d->real = d->host = NULL;
	d->addrs = NULL;
	d->name = NULL;
	if (!(d->text = strdup(s->text)) || (s->pat && !(d->pat = strdup(s->pat))) ||
	    (s->real && !(d->real = strdup(s->real))) ||
	    (s->host && !(d->host = strdup(s->host))) ||
	    (s->name && !(d->name = (unsigned char *)strdup((const char *)s->name))))
		goto nomem;
	if (s->naddrs) {
		d->addrs = malloc(s->naddrs * sizeof(*d->addrs));
		if (!d->addrs)
			goto nomem;
		memcpy(d->addrs, s->addrs, s->naddrs * sizeof(*d->addrs));
	}
	return 0;
nomem:
	rule_free(d);
	return -ENOMEM;
}

int pol_args_merge(struct pol_args **dst, const struct pol_args *src)
{
	for (size_t i = 0; src && i < src->n; i++) {
		int rc;

		if (has_rule(*dst, src->r[i].cap, src->r[i].text))
			continue;
		rc = grow(dst);
		if (rc)
			return rc;
		rc = copy_rule(&(*dst)->r[(*dst)->n], &src->r[i]);
		if (rc)
			return rc;
		(*dst)->n++;
	}
	return 0;
}

pol_capset pol_args_caps(const struct pol_args *a)
{
	pol_capset s = 0;

	for (size_t i = 0; a && i < a->n; i++)
		s |= POL_CAP(a->r[i].cap);
	return s;
}

size_t pol_args_count(const struct pol_args *a, enum pol_cap cap)
{
	size_t n = 0;

	for (size_t i = 0; a && i < a->n; i++)
		n += a->r[i].cap == cap;
	return n;
}

const char *pol_args_pattern(const struct pol_args *a, enum pol_cap cap, size_t k)
{
	for (size_t i = 0; a && i < a->n; i++)
		if (a->r[i].cap == cap && k-- == 0)
			return a->r[i].text;
	return NULL;
}

static bool rule_match(const struct rule *r, const struct pol_object *o)
{
	struct inaddr x;
	uint16_t port;

	switch (r->kind) {
	case R_PATH:
		if (r->cap == POL_CAP_NET_UNIX ? o->kind != POL_OBJ_UNIX || o->abstract
					       : o->kind != POL_OBJ_PATH)
			return false;
		if (!o->path)
			return false;
		return path_match(r->pat, o->path) || (r->real && strcmp(r->real, o->path) == 0);
	case R_ABSTRACT:
		if (o->kind != POL_OBJ_UNIX || !o->abstract || !o->name)
			return false;
		return glob_comp((const char *)r->name, r->namelen, (const char *)o->name,
				 o->namelen);
	case R_INET:
		return o->kind == POL_OBJ_INET && object_inet(o, &x, &port) &&
		       inet_match(r, &x, port);
	}
	return false;
}

bool pol_args_match(const struct pol_args *a, enum pol_cap cap, const struct pol_object *o)
{
	if (!a || !o || o->kind == POL_OBJ_NONE)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		if (a->r[i].cap != cap)
			continue;
		if (o->kind == POL_OBJ_DEFERRED || rule_match(&a->r[i], o))
			return true;
	}
	return false;
}

const char *pol_args_format(const struct pol_args *a, enum pol_cap cap, char *buf, size_t len)
{
	size_t o = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; a && i < a->n; i++) {
		const char *sep = o ? ", " : "";
		size_t need;

		if (a->r[i].cap != cap)
			continue;
		need = strlen(sep) + strlen(a->r[i].text);
		if (o + need >= len) {
			/* cut: say so rather than print half a pattern as if whole */
			if (len >= 4) {
				o = o + 4 < len ? o : len - 4;
				memcpy(buf + o, "...", 4);
			}
			return buf;
		}
		snprintf(buf + o, len - o, "%s%s", sep, a->r[i].text);
		o += need;
	}
	return buf;
}

bool pol_args_refresh(struct pol_args *a, time_t now)
{
	bool changed = false;

	for (size_t i = 0; a && i < a->n; i++) {
		struct rule *r = &a->r[i];
		struct inaddr *v = NULL;
		const char *why;
		size_t n = 0;

		if (!r->host || (now >= r->resolved && now - r->resolved < POL_ARGS_TTL))
			continue;
		/* a failed lookup keeps the addresses known: a resolver that is
		 * down for a moment should not turn a granted peer into a denial;
		 * the time is recorded either way, so failures are not retried
		 * on every call */
		r->resolved = now;
		if (resolve(r->host, &v, &n, &why) != 0)
			continue;
		if (n != r->naddrs || memcmp(v, r->addrs, n * sizeof(*v)) != 0)
			changed = true;
		free(r->addrs);
		r->addrs = v;
		r->naddrs = n;
	}
	return changed;
}
