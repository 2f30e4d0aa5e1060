// SPDX-License-Identifier: MIT
/*
 * Unit tests: co_filename -> (kind, module name), unwinder/modname.c.
 *
 * The first table holds real shapes gathered on a Debian bookworm machine
 * from every interpreter it had (tests/tools/modname_vectors.py: the
 * expected name is each module's own __name__, not the classifier's idea of
 * it). The second holds the adversarial and layout cases. The tables are
 * data: nothing here reads the filesystem.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "modname.h"

#define SP "/var/cache/sisup-pythons/root-"
#define PYENV "/root/.pyenv/versions/"
#define USERLIB "/root/.local/lib/"
#define DEB_DIST "/usr/lib/python3/dist-packages/"
#define DEB_LOCAL "/usr/local/lib/python3.11/dist-packages/"
#define VENV_SITE "/tmp/v/lib/python3.11/site-packages/"

/* Where the vector probe ran: sys.path[0], the cwd and the main script. */
#define PROBE_DIR "/tmp/sisup-probe"
#define PROBE .app = PROBE_DIR, .main = PROBE_DIR "/probe.py", .cwd = PROBE_DIR

enum ctx_id {
	C_DEB311,	/* /usr/bin/python3.11 with Debian's dist-packages */
	C_PYENV36, C_PYENV37, C_PYENV38, C_PYENV39, C_PYENV310, C_PYENV311,
	C_PYENV312, C_PYENV313,
	C_SISUP313, C_SISUP314, C_SISUP315,
	C_VENV,		/* python3.11 -m venv /tmp/v, app.zip and a src layout on sys.path */
	C_NONE,		/* nothing registered */
	C_NOCWD,	/* a stdlib, no cwd: relative names cannot be resolved */
	C_SLASH,	/* a script at /x.py: sys.path[0] is "/" */
	C_TIE,		/* a script run from the stdlib directory itself */
	C_TIE2,		/* a script run from a site directory itself */
	C_COUNT
};

#define MAX_ROOTS 8

struct ctx_spec {
	const char *stdlib[MAX_ROOTS];
	const char *site[MAX_ROOTS];
	const char *app, *main, *cwd;
};

#define DEB311_STDLIB { "/usr/lib/python311.zip", "/usr/lib/python3.11", \
			"/usr/lib/python3.11/lib-dynload" }

static const struct ctx_spec specs[C_COUNT] = {
	[C_DEB311] = { /* /usr/bin/python3.11 */
		.stdlib = {
			"/usr/lib/python311.zip",
			"/usr/lib/python3.11",
			"/usr/lib/python3.11/lib-dynload",
		},
		.site = {
			USERLIB "python3.11/site-packages",
			"/usr/lib/python3.11/dist-packages",
			"/usr/lib/python3/dist-packages",
			"/usr/local/lib/python3.11/dist-packages",
		},
		PROBE,
	},
	[C_PYENV36] = { /* /root/.pyenv/versions/3.6.15/bin/python3.6 */
		.stdlib = {
			PYENV "3.6.15/lib/python36.zip",
			PYENV "3.6.15/lib/python3.6",
			PYENV "3.6.15/lib/python3.6/lib-dynload",
		},
		.site = {
			USERLIB "python3.6/site-packages",
			PYENV "3.6.15/lib/python3.6/site-packages",
		},
		PROBE,
	},
	[C_PYENV37] = { /* /root/.pyenv/versions/3.7.16/bin/python3.7 */
		.stdlib = {
			PYENV "3.7.16/lib/python37.zip",
			PYENV "3.7.16/lib/python3.7",
			PYENV "3.7.16/lib/python3.7/lib-dynload",
		},
		.site = {
			USERLIB "python3.7/site-packages",
			PYENV "3.7.16/lib/python3.7/site-packages",
		},
		PROBE,
	},
	[C_PYENV38] = { /* /root/.pyenv/versions/3.8.18/bin/python3.8 */
		.stdlib = {
			PYENV "3.8.18/lib/python38.zip",
			PYENV "3.8.18/lib/python3.8",
			PYENV "3.8.18/lib/python3.8/lib-dynload",
		},
		.site = {
			USERLIB "python3.8/site-packages",
			PYENV "3.8.18/lib/python3.8/site-packages",
		},
		PROBE,
	},
	[C_PYENV39] = { /* /root/.pyenv/versions/3.9.18/bin/python3.9 */
		.stdlib = {
			PYENV "3.9.18/lib/python39.zip",
			PYENV "3.9.18/lib/python3.9",
			PYENV "3.9.18/lib/python3.9/lib-dynload",
		},
		.site = {
			USERLIB "python3.9/site-packages",
			PYENV "3.9.18/lib/python3.9/site-packages",
		},
		PROBE,
	},
	[C_PYENV310] = { /* /root/.pyenv/versions/3.10.13/bin/python3.10 */
		.stdlib = {
			PYENV "3.10.13/lib/python310.zip",
			PYENV "3.10.13/lib/python3.10",
			PYENV "3.10.13/lib/python3.10/lib-dynload",
		},
		.site = {
			USERLIB "python3.10/site-packages",
			PYENV "3.10.13/lib/python3.10/site-packages",
		},
		PROBE,
	},
	[C_PYENV311] = { /* /root/.pyenv/versions/3.11.7/bin/python3.11 */
		.stdlib = {
			PYENV "3.11.7/lib/python311.zip",
			PYENV "3.11.7/lib/python3.11",
			PYENV "3.11.7/lib/python3.11/lib-dynload",
		},
		.site = {
			USERLIB "python3.11/site-packages",
			PYENV "3.11.7/lib/python3.11/site-packages",
		},
		PROBE,
	},
	[C_PYENV312] = { /* /root/.pyenv/versions/3.12.1/bin/python3.12 */
		.stdlib = {
			PYENV "3.12.1/lib/python312.zip",
			PYENV "3.12.1/lib/python3.12",
			PYENV "3.12.1/lib/python3.12/lib-dynload",
		},
		.site = {
			USERLIB "python3.12/site-packages",
			PYENV "3.12.1/lib/python3.12/site-packages",
		},
		PROBE,
	},
	[C_PYENV313] = { /* /root/.pyenv/versions/3.13.0/bin/python3.13 */
		.stdlib = {
			PYENV "3.13.0/lib/python313.zip",
			PYENV "3.13.0/lib/python3.13",
			PYENV "3.13.0/lib/python3.13/lib-dynload",
		},
		.site = {
			USERLIB "python3.13/site-packages",
			PYENV "3.13.0/lib/python3.13/site-packages",
		},
		PROBE,
	},
	[C_SISUP313] = { /* /var/cache/sisup-pythons/bin/python3.13 */
		.stdlib = {
			SP "3.13/usr/lib/python313.zip",
			SP "3.13/usr/lib/python3.13",
			SP "3.13/usr/lib/python3.13/lib-dynload",
		},
		.site = {
			USERLIB "python3.13/site-packages",
			SP "3.13/usr/lib/python3.13/dist-packages",
			SP "3.13/usr/lib/python3/dist-packages",
			SP "3.13/usr/local/lib/python3.13/dist-packages",
		},
		PROBE,
	},
	[C_SISUP314] = { /* /var/cache/sisup-pythons/bin/python3.14 */
		.stdlib = {
			SP "3.14/usr/lib/python314.zip",
			SP "3.14/usr/lib/python3.14",
			SP "3.14/usr/lib/python3.14/lib-dynload",
		},
		.site = {
			USERLIB "python3.14/site-packages",
			SP "3.14/usr/lib/python3.14/dist-packages",
			SP "3.14/usr/lib/python3/dist-packages",
			SP "3.14/usr/local/lib/python3.14/dist-packages",
		},
		PROBE,
	},
	[C_SISUP315] = { /* /var/cache/sisup-pythons/bin/python3.15 */
		.stdlib = {
			SP "3.15/usr/lib/python315.zip",
			SP "3.15/usr/lib/python3.15",
			SP "3.15/usr/lib/python3.15/lib-dynload",
		},
		.site = {
			USERLIB "python3.15/site-packages",
			SP "3.15/usr/lib/python3.15/dist-packages",
			SP "3.15/usr/lib/python3/dist-packages",
			SP "3.15/usr/local/lib/python3.15/dist-packages",
		},
		PROBE,
	},
	[C_VENV] = {
		.stdlib = DEB311_STDLIB,
		.site = { "/tmp/v/lib/python3.11/site-packages", "/tmp/app.zip",
			  "/home/dev/lib/src" },
		.app = "/tmp/proj", .main = "/tmp/proj/main.py", .cwd = "/tmp/proj",
	},
	[C_NONE] = { .app = NULL },
	[C_NOCWD] = { .stdlib = DEB311_STDLIB },
	[C_SLASH] = {
		.stdlib = { "/usr/lib/python3.11" },
		.app = "/", .main = "/x.py", .cwd = "/",
	},
	[C_TIE] = {
		.stdlib = { "/usr/lib/python3.11" },
		.site = { "/usr/lib/python3/dist-packages" },
		.app = "/usr/lib/python3.11", .main = "/usr/lib/python3.11/timeit.py",
		.cwd = "/root",
	},
	[C_TIE2] = {
		.site = { "/srv/site" },
		.app = "/srv/site", .main = "/srv/site/run.py", .cwd = "/srv/site",
	},
};

static struct uw_modctx ctxs[C_COUNT];

struct mcase {
	enum ctx_id ctx;
	const char *file;
	int rc;
	enum uw_modkind kind;
	const char *name;
	bool odd;
};

/* Real shapes: sys.modules[*].__file__ under each interpreter (see top). */
static const struct mcase real_cases[] = {
	/* /usr/bin/python3.11 (3.11) */
	{ C_DEB311, "/tmp/sisup-probe/probe.py", 0, UW_MOD_MAIN, "__main__", false },
	{ C_DEB311, "/usr/lib/python3.11/lib-dynload/_asyncio.cpython-311-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_asyncio", false },
	{ C_DEB311, "/usr/lib/python3.11/_collections_abc.py",
	  0, UW_MOD_STDLIB, "_collections_abc", false },
	{ C_DEB311, "/usr/lib/python3/dist-packages/_distutils_hack/__init__.py",
	  0, UW_MOD_THIRD_PARTY, "_distutils_hack", false },
	{ C_DEB311, "/usr/lib/python3.11/lib-dynload/_json.cpython-311-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_json", false },
	{ C_DEB311, "/usr/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_ssl", false },
	{ C_DEB311, "/usr/lib/python3.11/asyncio/base_events.py",
	  0, UW_MOD_STDLIB, "asyncio.base_events", false },
	{ C_DEB311, "/usr/lib/python3.11/collections/__init__.py",
	  0, UW_MOD_STDLIB, "collections", false },
	{ C_DEB311, "/usr/lib/python3.11/email/mime/text.py",
	  0, UW_MOD_STDLIB, "email.mime.text", false },
	{ C_DEB311, "/usr/lib/python3.11/encodings/utf_8.py",
	  0, UW_MOD_STDLIB, "encodings.utf_8", false },
	{ C_DEB311, "/usr/lib/python3.11/importlib/_bootstrap.py",
	  0, UW_MOD_STDLIB, "importlib._bootstrap", false },
	{ C_DEB311, "/usr/lib/python3.11/json/__init__.py", 0, UW_MOD_STDLIB, "json", false },
	{ C_DEB311, "/usr/lib/python3.11/json/decoder.py",
	  0, UW_MOD_STDLIB, "json.decoder", false },
	{ C_DEB311, "/usr/lib/python3.11/xml/dom/minidom.py",
	  0, UW_MOD_STDLIB, "xml.dom.minidom", false },
	{ C_DEB311, "/usr/lib/python3/dist-packages/yaml/__init__.py",
	  0, UW_MOD_THIRD_PARTY, "yaml", false },
	{ C_DEB311, "/usr/lib/python3/dist-packages/yaml/_yaml.cpython-311-x86_64-linux-gnu.so",
	  0, UW_MOD_THIRD_PARTY, "yaml._yaml", false },
	{ C_DEB311, "/usr/lib/python3/dist-packages/yaml/composer.py",
	  0, UW_MOD_THIRD_PARTY, "yaml.composer", false },
	/* /root/.pyenv/versions/3.6.15/bin/python3.6 (3.6) */
	{ C_PYENV36, "/tmp/sisup-probe/probe.py", 0, UW_MOD_MAIN, "__main__", false },
	{ C_PYENV36, PYENV "3.6.15/lib/python3.6/lib-dynload/"
	  "_asyncio.cpython-36m-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_asyncio", false },
	{ C_PYENV36, PYENV "3.6.15/lib/python3.6/_collections_abc.py",
	  0, UW_MOD_STDLIB, "_collections_abc", false },
	{ C_PYENV36, PYENV "3.6.15/lib/python3.6/lib-dynload/_json.cpython-36m-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_json", false },
	{ C_PYENV36, PYENV "3.6.15/lib/python3.6/lib-dynload/_ssl.cpython-36m-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_ssl", false },
	{ C_PYENV36, PYENV "3.6.15/lib/python3.6/asyncio/base_events.py",
	  0, UW_MOD_STDLIB, "asyncio.base_events", false },
	{ C_PYENV36, PYENV "3.6.15/lib/python3.6/collections/__init__.py",
	  0, UW_MOD_STDLIB, "collections", false },
	{ C_PYENV36, PYENV "3.6.15/lib/python3.6/email/mime/text.py",
	  0, UW_MOD_STDLIB, "email.mime.text", false },
	{ C_PYENV36, PYENV "3.6.15/lib/python3.6/encodings/utf_8.py",
	  0, UW_MOD_STDLIB, "encodings.utf_8", false },
	{ C_PYENV36, PYENV "3.6.15/lib/python3.6/importlib/_bootstrap.py",
	  0, UW_MOD_STDLIB, "importlib._bootstrap", false },
	{ C_PYENV36, PYENV "3.6.15/lib/python3.6/json/__init__.py",
	  0, UW_MOD_STDLIB, "json", false },
	{ C_PYENV36, PYENV "3.6.15/lib/python3.6/json/decoder.py",
	  0, UW_MOD_STDLIB, "json.decoder", false },
	{ C_PYENV36, PYENV "3.6.15/lib/python3.6/xml/dom/minidom.py",
	  0, UW_MOD_STDLIB, "xml.dom.minidom", false },
	/* /root/.pyenv/versions/3.7.16/bin/python3.7 (3.7) */
	{ C_PYENV37, "/tmp/sisup-probe/probe.py", 0, UW_MOD_MAIN, "__main__", false },
	{ C_PYENV37, PYENV "3.7.16/lib/python3.7/lib-dynload/"
	  "_asyncio.cpython-37m-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_asyncio", false },
	{ C_PYENV37, PYENV "3.7.16/lib/python3.7/_collections_abc.py",
	  0, UW_MOD_STDLIB, "_collections_abc", false },
	{ C_PYENV37, PYENV "3.7.16/lib/python3.7/lib-dynload/_json.cpython-37m-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_json", false },
	{ C_PYENV37, PYENV "3.7.16/lib/python3.7/lib-dynload/_ssl.cpython-37m-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_ssl", false },
	{ C_PYENV37, PYENV "3.7.16/lib/python3.7/asyncio/base_events.py",
	  0, UW_MOD_STDLIB, "asyncio.base_events", false },
	{ C_PYENV37, PYENV "3.7.16/lib/python3.7/collections/__init__.py",
	  0, UW_MOD_STDLIB, "collections", false },
	{ C_PYENV37, PYENV "3.7.16/lib/python3.7/email/mime/text.py",
	  0, UW_MOD_STDLIB, "email.mime.text", false },
	{ C_PYENV37, PYENV "3.7.16/lib/python3.7/encodings/utf_8.py",
	  0, UW_MOD_STDLIB, "encodings.utf_8", false },
	{ C_PYENV37, PYENV "3.7.16/lib/python3.7/importlib/_bootstrap.py",
	  0, UW_MOD_STDLIB, "importlib._bootstrap", false },
	{ C_PYENV37, PYENV "3.7.16/lib/python3.7/json/__init__.py",
	  0, UW_MOD_STDLIB, "json", false },
	{ C_PYENV37, PYENV "3.7.16/lib/python3.7/json/decoder.py",
	  0, UW_MOD_STDLIB, "json.decoder", false },
	{ C_PYENV37, PYENV "3.7.16/lib/python3.7/xml/dom/minidom.py",
	  0, UW_MOD_STDLIB, "xml.dom.minidom", false },
	/* /root/.pyenv/versions/3.8.18/bin/python3.8 (3.8) */
	{ C_PYENV38, "probe.py", 0, UW_MOD_MAIN, "__main__", false },
	{ C_PYENV38, PYENV "3.8.18/lib/python3.8/lib-dynload/"
	  "_asyncio.cpython-38-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_asyncio", false },
	{ C_PYENV38, PYENV "3.8.18/lib/python3.8/_collections_abc.py",
	  0, UW_MOD_STDLIB, "_collections_abc", false },
	{ C_PYENV38, PYENV "3.8.18/lib/python3.8/lib-dynload/_json.cpython-38-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_json", false },
	{ C_PYENV38, PYENV "3.8.18/lib/python3.8/lib-dynload/_ssl.cpython-38-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_ssl", false },
	{ C_PYENV38, PYENV "3.8.18/lib/python3.8/asyncio/base_events.py",
	  0, UW_MOD_STDLIB, "asyncio.base_events", false },
	{ C_PYENV38, PYENV "3.8.18/lib/python3.8/collections/__init__.py",
	  0, UW_MOD_STDLIB, "collections", false },
	{ C_PYENV38, PYENV "3.8.18/lib/python3.8/email/mime/text.py",
	  0, UW_MOD_STDLIB, "email.mime.text", false },
	{ C_PYENV38, PYENV "3.8.18/lib/python3.8/encodings/utf_8.py",
	  0, UW_MOD_STDLIB, "encodings.utf_8", false },
	{ C_PYENV38, PYENV "3.8.18/lib/python3.8/importlib/_bootstrap.py",
	  0, UW_MOD_STDLIB, "importlib._bootstrap", false },
	{ C_PYENV38, PYENV "3.8.18/lib/python3.8/json/__init__.py",
	  0, UW_MOD_STDLIB, "json", false },
	{ C_PYENV38, PYENV "3.8.18/lib/python3.8/json/decoder.py",
	  0, UW_MOD_STDLIB, "json.decoder", false },
	{ C_PYENV38, PYENV "3.8.18/lib/python3.8/xml/dom/minidom.py",
	  0, UW_MOD_STDLIB, "xml.dom.minidom", false },
	/* /root/.pyenv/versions/3.9.18/bin/python3.9 (3.9) */
	{ C_PYENV39, "/tmp/sisup-probe/probe.py", 0, UW_MOD_MAIN, "__main__", false },
	{ C_PYENV39, PYENV "3.9.18/lib/python3.9/lib-dynload/"
	  "_asyncio.cpython-39-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_asyncio", false },
	{ C_PYENV39, PYENV "3.9.18/lib/python3.9/_collections_abc.py",
	  0, UW_MOD_STDLIB, "_collections_abc", false },
	{ C_PYENV39, PYENV "3.9.18/lib/python3.9/lib-dynload/_json.cpython-39-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_json", false },
	{ C_PYENV39, PYENV "3.9.18/lib/python3.9/lib-dynload/_ssl.cpython-39-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_ssl", false },
	{ C_PYENV39, PYENV "3.9.18/lib/python3.9/asyncio/base_events.py",
	  0, UW_MOD_STDLIB, "asyncio.base_events", false },
	{ C_PYENV39, PYENV "3.9.18/lib/python3.9/collections/__init__.py",
	  0, UW_MOD_STDLIB, "collections", false },
	{ C_PYENV39, PYENV "3.9.18/lib/python3.9/email/mime/text.py",
	  0, UW_MOD_STDLIB, "email.mime.text", false },
	{ C_PYENV39, PYENV "3.9.18/lib/python3.9/encodings/utf_8.py",
	  0, UW_MOD_STDLIB, "encodings.utf_8", false },
	{ C_PYENV39, PYENV "3.9.18/lib/python3.9/importlib/_bootstrap.py",
	  0, UW_MOD_STDLIB, "importlib._bootstrap", false },
	{ C_PYENV39, PYENV "3.9.18/lib/python3.9/json/__init__.py",
	  0, UW_MOD_STDLIB, "json", false },
	{ C_PYENV39, PYENV "3.9.18/lib/python3.9/json/decoder.py",
	  0, UW_MOD_STDLIB, "json.decoder", false },
	{ C_PYENV39, PYENV "3.9.18/lib/python3.9/xml/dom/minidom.py",
	  0, UW_MOD_STDLIB, "xml.dom.minidom", false },
	/* /root/.pyenv/versions/3.10.13/bin/python3.10 (3.10) */
	{ C_PYENV310, "/tmp/sisup-probe/probe.py", 0, UW_MOD_MAIN, "__main__", false },
	{ C_PYENV310, PYENV "3.10.13/lib/python3.10/lib-dynload/"
	  "_asyncio.cpython-310-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_asyncio", false },
	{ C_PYENV310, PYENV "3.10.13/lib/python3.10/_collections_abc.py",
	  0, UW_MOD_STDLIB, "_collections_abc", false },
	{ C_PYENV310, PYENV "3.10.13/lib/python3.10/site-packages/_distutils_hack/__init__.py",
	  0, UW_MOD_THIRD_PARTY, "_distutils_hack", false },
	{ C_PYENV310, PYENV "3.10.13/lib/python3.10/lib-dynload/"
	  "_json.cpython-310-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_json", false },
	{ C_PYENV310, PYENV "3.10.13/lib/python3.10/lib-dynload/"
	  "_ssl.cpython-310-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_ssl", false },
	{ C_PYENV310, PYENV "3.10.13/lib/python3.10/asyncio/base_events.py",
	  0, UW_MOD_STDLIB, "asyncio.base_events", false },
	{ C_PYENV310, PYENV "3.10.13/lib/python3.10/collections/__init__.py",
	  0, UW_MOD_STDLIB, "collections", false },
	{ C_PYENV310, PYENV "3.10.13/lib/python3.10/email/mime/text.py",
	  0, UW_MOD_STDLIB, "email.mime.text", false },
	{ C_PYENV310, PYENV "3.10.13/lib/python3.10/encodings/utf_8.py",
	  0, UW_MOD_STDLIB, "encodings.utf_8", false },
	{ C_PYENV310, PYENV "3.10.13/lib/python3.10/importlib/_bootstrap.py",
	  0, UW_MOD_STDLIB, "importlib._bootstrap", false },
	{ C_PYENV310, PYENV "3.10.13/lib/python3.10/json/__init__.py",
	  0, UW_MOD_STDLIB, "json", false },
	{ C_PYENV310, PYENV "3.10.13/lib/python3.10/json/decoder.py",
	  0, UW_MOD_STDLIB, "json.decoder", false },
	{ C_PYENV310, PYENV "3.10.13/lib/python3.10/xml/dom/minidom.py",
	  0, UW_MOD_STDLIB, "xml.dom.minidom", false },
	/* /root/.pyenv/versions/3.11.7/bin/python3.11 (3.11) */
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/site-packages/"
	  "81d243bd2c585b0f4821__mypyc.cpython-311-x86_64-linux-gnu.so",
	  0, UW_MOD_THIRD_PARTY, "81d243bd2c585b0f4821__mypyc", true },
	{ C_PYENV311, "/tmp/sisup-probe/probe.py", 0, UW_MOD_MAIN, "__main__", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/lib-dynload/"
	  "_asyncio.cpython-311-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_asyncio", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/_collections_abc.py",
	  0, UW_MOD_STDLIB, "_collections_abc", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/site-packages/_distutils_hack/__init__.py",
	  0, UW_MOD_THIRD_PARTY, "_distutils_hack", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/lib-dynload/"
	  "_json.cpython-311-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_json", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/lib-dynload/"
	  "_ssl.cpython-311-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_ssl", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/asyncio/base_events.py",
	  0, UW_MOD_STDLIB, "asyncio.base_events", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/site-packages/charset_normalizer/"
	  "md.cpython-311-x86_64-linux-gnu.so",
	  0, UW_MOD_THIRD_PARTY, "charset_normalizer.md", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/collections/__init__.py",
	  0, UW_MOD_STDLIB, "collections", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/email/mime/text.py",
	  0, UW_MOD_STDLIB, "email.mime.text", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/encodings/utf_8.py",
	  0, UW_MOD_STDLIB, "encodings.utf_8", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/importlib/_bootstrap.py",
	  0, UW_MOD_STDLIB, "importlib._bootstrap", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/json/__init__.py",
	  0, UW_MOD_STDLIB, "json", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/json/decoder.py",
	  0, UW_MOD_STDLIB, "json.decoder", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/site-packages/requests/__init__.py",
	  0, UW_MOD_THIRD_PARTY, "requests", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/site-packages/requests/adapters.py",
	  0, UW_MOD_THIRD_PARTY, "requests.adapters", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/site-packages/urllib3/connectionpool.py",
	  0, UW_MOD_THIRD_PARTY, "urllib3.connectionpool", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/xml/dom/minidom.py",
	  0, UW_MOD_STDLIB, "xml.dom.minidom", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/site-packages/yaml/__init__.py",
	  0, UW_MOD_THIRD_PARTY, "yaml", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/site-packages/yaml/"
	  "_yaml.cpython-311-x86_64-linux-gnu.so",
	  0, UW_MOD_THIRD_PARTY, "yaml._yaml", false },
	{ C_PYENV311, PYENV "3.11.7/lib/python3.11/site-packages/yaml/composer.py",
	  0, UW_MOD_THIRD_PARTY, "yaml.composer", false },
	/* /root/.pyenv/versions/3.12.1/bin/python3.12 (3.12) */
	{ C_PYENV312, "/tmp/sisup-probe/probe.py", 0, UW_MOD_MAIN, "__main__", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/lib-dynload/"
	  "_asyncio.cpython-312-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_asyncio", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/_collections_abc.py",
	  0, UW_MOD_STDLIB, "_collections_abc", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/lib-dynload/"
	  "_json.cpython-312-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_json", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/lib-dynload/"
	  "_ssl.cpython-312-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_ssl", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/asyncio/base_events.py",
	  0, UW_MOD_STDLIB, "asyncio.base_events", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/collections/__init__.py",
	  0, UW_MOD_STDLIB, "collections", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/email/mime/text.py",
	  0, UW_MOD_STDLIB, "email.mime.text", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/encodings/utf_8.py",
	  0, UW_MOD_STDLIB, "encodings.utf_8", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/importlib/_bootstrap.py",
	  0, UW_MOD_STDLIB, "importlib._bootstrap", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/json/__init__.py",
	  0, UW_MOD_STDLIB, "json", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/json/decoder.py",
	  0, UW_MOD_STDLIB, "json.decoder", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/xml/dom/minidom.py",
	  0, UW_MOD_STDLIB, "xml.dom.minidom", false },
	/* /root/.pyenv/versions/3.13.0/bin/python3.13 (3.13) */
	{ C_PYENV313, "/tmp/sisup-probe/probe.py", 0, UW_MOD_MAIN, "__main__", false },
	{ C_PYENV313, PYENV "3.13.0/lib/python3.13/lib-dynload/"
	  "_asyncio.cpython-313-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_asyncio", false },
	{ C_PYENV313, PYENV "3.13.0/lib/python3.13/_collections_abc.py",
	  0, UW_MOD_STDLIB, "_collections_abc", false },
	{ C_PYENV313, PYENV "3.13.0/lib/python3.13/lib-dynload/"
	  "_json.cpython-313-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_json", false },
	{ C_PYENV313, PYENV "3.13.0/lib/python3.13/lib-dynload/"
	  "_ssl.cpython-313-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_ssl", false },
	{ C_PYENV313, PYENV "3.13.0/lib/python3.13/asyncio/base_events.py",
	  0, UW_MOD_STDLIB, "asyncio.base_events", false },
	{ C_PYENV313, PYENV "3.13.0/lib/python3.13/collections/__init__.py",
	  0, UW_MOD_STDLIB, "collections", false },
	{ C_PYENV313, PYENV "3.13.0/lib/python3.13/email/mime/text.py",
	  0, UW_MOD_STDLIB, "email.mime.text", false },
	{ C_PYENV313, PYENV "3.13.0/lib/python3.13/encodings/utf_8.py",
	  0, UW_MOD_STDLIB, "encodings.utf_8", false },
	{ C_PYENV313, PYENV "3.13.0/lib/python3.13/importlib/_bootstrap.py",
	  0, UW_MOD_STDLIB, "importlib._bootstrap", false },
	{ C_PYENV313, PYENV "3.13.0/lib/python3.13/json/__init__.py",
	  0, UW_MOD_STDLIB, "json", false },
	{ C_PYENV313, PYENV "3.13.0/lib/python3.13/json/decoder.py",
	  0, UW_MOD_STDLIB, "json.decoder", false },
	{ C_PYENV313, PYENV "3.13.0/lib/python3.13/xml/dom/minidom.py",
	  0, UW_MOD_STDLIB, "xml.dom.minidom", false },
	/* /var/cache/sisup-pythons/bin/python3.13 (3.13) */
	{ C_SISUP313, "/tmp/sisup-probe/probe.py", 0, UW_MOD_MAIN, "__main__", false },
	{ C_SISUP313, SP "3.13/usr/lib/python3.13/lib-dynload/"
	  "_asyncio.cpython-313-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_asyncio", false },
	{ C_SISUP313, SP "3.13/usr/lib/python3.13/_collections_abc.py",
	  0, UW_MOD_STDLIB, "_collections_abc", false },
	{ C_SISUP313, SP "3.13/usr/lib/python3.13/lib-dynload/_ssl.cpython-313-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_ssl", false },
	{ C_SISUP313, SP "3.13/usr/lib/python3.13/asyncio/base_events.py",
	  0, UW_MOD_STDLIB, "asyncio.base_events", false },
	{ C_SISUP313, SP "3.13/usr/lib/python3.13/collections/__init__.py",
	  0, UW_MOD_STDLIB, "collections", false },
	{ C_SISUP313, SP "3.13/usr/lib/python3.13/email/mime/text.py",
	  0, UW_MOD_STDLIB, "email.mime.text", false },
	{ C_SISUP313, SP "3.13/usr/lib/python3.13/encodings/utf_8.py",
	  0, UW_MOD_STDLIB, "encodings.utf_8", false },
	{ C_SISUP313, SP "3.13/usr/lib/python3.13/importlib/_bootstrap.py",
	  0, UW_MOD_STDLIB, "importlib._bootstrap", false },
	{ C_SISUP313, SP "3.13/usr/lib/python3.13/json/__init__.py",
	  0, UW_MOD_STDLIB, "json", false },
	{ C_SISUP313, SP "3.13/usr/lib/python3.13/json/decoder.py",
	  0, UW_MOD_STDLIB, "json.decoder", false },
	{ C_SISUP313, SP "3.13/usr/lib/python3.13/xml/dom/minidom.py",
	  0, UW_MOD_STDLIB, "xml.dom.minidom", false },
	/* /var/cache/sisup-pythons/bin/python3.14 (3.14) */
	{ C_SISUP314, "/tmp/sisup-probe/probe.py", 0, UW_MOD_MAIN, "__main__", false },
	{ C_SISUP314, SP "3.14/usr/lib/python3.14/lib-dynload/"
	  "_asyncio.cpython-314-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_asyncio", false },
	{ C_SISUP314, SP "3.14/usr/lib/python3.14/_collections_abc.py",
	  0, UW_MOD_STDLIB, "_collections_abc", false },
	{ C_SISUP314, SP "3.14/usr/lib/python3.14/lib-dynload/_ssl.cpython-314-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_ssl", false },
	{ C_SISUP314, SP "3.14/usr/lib/python3.14/asyncio/base_events.py",
	  0, UW_MOD_STDLIB, "asyncio.base_events", false },
	{ C_SISUP314, SP "3.14/usr/lib/python3.14/collections/__init__.py",
	  0, UW_MOD_STDLIB, "collections", false },
	{ C_SISUP314, SP "3.14/usr/lib/python3.14/email/mime/text.py",
	  0, UW_MOD_STDLIB, "email.mime.text", false },
	{ C_SISUP314, SP "3.14/usr/lib/python3.14/encodings/utf_8.py",
	  0, UW_MOD_STDLIB, "encodings.utf_8", false },
	{ C_SISUP314, SP "3.14/usr/lib/python3.14/importlib/_bootstrap.py",
	  0, UW_MOD_STDLIB, "importlib._bootstrap", false },
	{ C_SISUP314, SP "3.14/usr/lib/python3.14/json/__init__.py",
	  0, UW_MOD_STDLIB, "json", false },
	{ C_SISUP314, SP "3.14/usr/lib/python3.14/json/decoder.py",
	  0, UW_MOD_STDLIB, "json.decoder", false },
	{ C_SISUP314, SP "3.14/usr/lib/python3.14/xml/dom/minidom.py",
	  0, UW_MOD_STDLIB, "xml.dom.minidom", false },
	/* /var/cache/sisup-pythons/bin/python3.15 (3.15) */
	{ C_SISUP315, "/tmp/sisup-probe/probe.py", 0, UW_MOD_MAIN, "__main__", false },
	{ C_SISUP315, SP "3.15/usr/lib/python3.15/_collections_abc.py",
	  0, UW_MOD_STDLIB, "_collections_abc", false },
	{ C_SISUP315, SP "3.15/usr/lib/python3.15/lib-dynload/_ssl.cpython-315-x86_64-linux-gnu.so",
	  0, UW_MOD_STDLIB, "_ssl", false },
	{ C_SISUP315, SP "3.15/usr/lib/python3.15/asyncio/base_events.py",
	  0, UW_MOD_STDLIB, "asyncio.base_events", false },
	{ C_SISUP315, SP "3.15/usr/lib/python3.15/collections/__init__.py",
	  0, UW_MOD_STDLIB, "collections", false },
	{ C_SISUP315, SP "3.15/usr/lib/python3.15/email/mime/text.py",
	  0, UW_MOD_STDLIB, "email.mime.text", false },
	{ C_SISUP315, SP "3.15/usr/lib/python3.15/encodings/utf_8.py",
	  0, UW_MOD_STDLIB, "encodings.utf_8", false },
	{ C_SISUP315, SP "3.15/usr/lib/python3.15/importlib/_bootstrap.py",
	  0, UW_MOD_STDLIB, "importlib._bootstrap", false },
	{ C_SISUP315, SP "3.15/usr/lib/python3.15/json/__init__.py",
	  0, UW_MOD_STDLIB, "json", false },
	{ C_SISUP315, SP "3.15/usr/lib/python3.15/json/decoder.py",
	  0, UW_MOD_STDLIB, "json.decoder", false },
	{ C_SISUP315, SP "3.15/usr/lib/python3.15/xml/dom/minidom.py",
	  0, UW_MOD_STDLIB, "xml.dom.minidom", false },
};

#define S UW_MOD_STDLIB
#define T UW_MOD_THIRD_PARTY
#define A UW_MOD_APP
#define M UW_MOD_MAIN
#define F UW_MOD_FROZEN
#define Y UW_MOD_SYNTHETIC
#define U UW_MOD_UNKNOWN

/* Layout rules and hostile names. Comments say what each group pins down. */
static const struct mcase rule_cases[] = {
	/* co_filename of frozen code as 3.11+ writes it (3.6+ for importlib) */
	{ C_DEB311, "<frozen importlib._bootstrap>", 0, F, "importlib._bootstrap", false },
	{ C_DEB311, "<frozen importlib._bootstrap_external>", 0, F,
	  "importlib._bootstrap_external", false },
	{ C_DEB311, "<frozen os>", 0, F, "os", false },
	{ C_DEB311, "<frozen zipimport>", 0, F, "zipimport", false },
	{ C_DEB311, "<frozen genericpath>", 0, F, "genericpath", false },
	{ C_DEB311, "<frozen codecs>", 0, F, "codecs", false },
	{ C_DEB311, "<frozen runpy>", 0, F, "runpy", false },
	{ C_DEB311, "<frozen _collections_abc>", 0, F, "_collections_abc", false },
	{ C_DEB311, "<frozen __phello__.spam>", 0, F, "__phello__.spam", false },
	{ C_NONE, "<frozen site>", 0, F, "site", false },
	/* not a frozen module name: synthetic, no name is invented */
	{ C_DEB311, "<frozen >", 0, Y, "", false },
	{ C_DEB311, "<frozen>", 0, Y, "", false },
	{ C_DEB311, "<frozen ../../etc/passwd>", 0, Y, "", false },
	{ C_DEB311, "<frozen a..b>", 0, Y, "", false },
	{ C_DEB311, "<frozen .os>", 0, Y, "", false },
	{ C_DEB311, "<frozen os.>", 0, Y, "", false },
	{ C_DEB311, "<frozen os >", 0, Y, "", false },
	{ C_DEB311, "<frozen my-mod>", 0, Y, "", false },
	{ C_DEB311, "<frozen caf\xc3\xa9>", 0, Y, "", false },
	{ C_DEB311, "<FROZEN os>", 0, Y, "", false },
	/* compile(), exec, the REPL, doctest, IPython, -c */
	{ C_DEB311, "<string>", 0, Y, "", false },
	{ C_DEB311, "<stdin>", 0, Y, "", false },
	{ C_DEB311, "<module>", 0, Y, "", false },
	{ C_DEB311, "<console>", 0, Y, "", false },
	{ C_DEB311, "<template>", 0, Y, "", false },
	{ C_DEB311, "<doctest json.decoder[0]>", 0, Y, "", false },
	{ C_DEB311, "<ipython-input-3-1f2e3d>", 0, Y, "", false },
	{ C_DEB311, "<>", 0, Y, "", false },
	{ C_NONE, "<string>", 0, Y, "", false },
	/* "<" without a closing ">" is a (relative) path, as linecache sees it */
	{ C_DEB311, "<frozen os", 0, A, "<frozen os", true },
	{ C_DEB311, "<string>/x.py", 0, A, "<string>.x", true },

	/* ".." is resolved before matching: never stdlib by prefix alone */
	{ C_DEB311, "/usr/lib/python3.11/../../../etc/evil.py", 0, U, "", false },
	{ C_DEB311, "/usr/lib/python3.11/../../../tmp/sisup-probe/evil.py", 0, A, "evil", false },
	{ C_DEB311, "/usr/lib/python3.11/json/../os.py", 0, S, "os", false },
	{ C_DEB311, "/../../usr/lib/python3.11/os.py", 0, S, "os", false },
	{ C_DEB311, DEB_DIST "../../python3.11/os.py", 0, S, "os", false },
	{ C_DEB311, "/usr/lib/python3.11/lib-dynload/../os.py", 0, S, "os", false },
	{ C_DEB311, "//usr///lib//python3.11///os.py", 0, S, "os", false },
	{ C_DEB311, "/usr/lib/python3.11/./json/./decoder.py", 0, S, "json.decoder", false },
	{ C_DEB311, "/usr/lib/python3.11/json/decoder.py/", 0, S, "json.decoder", false },
	/* roots match at a component boundary only */
	{ C_DEB311, "/usr/lib/python3.11-evil/x.py", 0, U, "", false },
	{ C_DEB311, "/usr/lib/python3.11evil.py", 0, U, "", false },
	{ C_DEB311, "/usr/lib/python3.1/os.py", 0, U, "", false },
	{ C_DEB311, "/usr/lib/python3/dist-packages-evil/x.py", 0, U, "", false },
	{ C_DEB311, "/tmp/sisup-probe-evil/x.py", 0, U, "", false },
	/* a root itself, or its __init__, is no module */
	{ C_DEB311, "/usr/lib/python3.11", 0, U, "", false },
	{ C_DEB311, "/usr/lib/python3.11/", 0, U, "", false },
	{ C_DEB311, "/usr/lib/python3.11/.", 0, U, "", false },
	{ C_DEB311, "/usr/lib/python3.11/__init__.py", 0, U, "", false },
	{ C_DEB311, "/usr/lib/python3.11/__pycache__/__init__.cpython-311.pyc", 0, U, "", false },
	/* outside every root */
	{ C_DEB311, "/tmp/x.py", 0, U, "", false },
	{ C_DEB311, "/", 0, U, "", false },
	{ C_DEB311, "/usr/lib/x86_64-linux-gnu/libssl.so.3", 0, U, "", false },
	/* an unregistered site directory is never stdlib or app code */
	{ C_DEB311, "/usr/lib/python3.11/site-packages/evil.py", 0, U, "", false },
	{ C_DEB311, PROBE_DIR "/.venv/lib/python3.11/site-packages/requests/api.py", 0, U, "",
	  false },
	{ C_DEB311, PROBE_DIR "/vendor/site-packages/x.py", 0, U, "", false },
	{ C_DEB311, DEB_DIST "foo/site-packages/x.py", 0, U, "", false },
	/* hidden directories and files are tool caches, not importable */
	{ C_DEB311, "/usr/lib/python3.11/.hidden/x.py", 0, U, "", false },
	{ C_DEB311, "/usr/lib/python3.11/.x.py", 0, U, "", false },
	{ C_DEB311, "/usr/lib/python3.11/.py", 0, U, "", false },
	{ C_DEB311, PROBE_DIR "/.eggs/foo-1.0-py3.11.egg/foo/x.py", 0, U, "", false },
	/* the longest root wins: Debian's nested dist-packages, pyenv's site-packages */
	{ C_DEB311, "/usr/lib/python3.11/dist-packages/foo/bar.py", 0, T, "foo.bar", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/site-packages/pip/__init__.py", 0, T, "pip",
	  false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/site-packages/pip/_internal/cli/main.py", 0, T,
	  "pip._internal.cli.main", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/site-packages", 0, U, "", false },
	{ C_PYENV312, PYENV "3.12.1/lib/python3.12/site-packages-evil/x.py", 0, S,
	  "site-packages-evil.x", true },
	{ C_DEB311, USERLIB "python3.11/site-packages/foo/bar.py", 0, T, "foo.bar", false },
	/* ties between equal roots: stdlib, then site, then app */
	{ C_TIE, "/usr/lib/python3.11/json/decoder.py", 0, S, "json.decoder", false },
	{ C_TIE, "/usr/lib/python3.11/timeit.py", 0, M, "__main__", false },
	{ C_TIE2, "/srv/site/x.py", 0, T, "x", false },
	{ C_TIE2, "/srv/site/run.py", 0, M, "__main__", false },

	/* suffixes: bytecode caches (PEP 3147), extension modules (PEP 3149, 384) */
	{ C_DEB311, "/usr/lib/python3.11/json/__pycache__/decoder.cpython-311.pyc", 0, S,
	  "json.decoder", false },
	{ C_DEB311, "/usr/lib/python3.11/json/__pycache__/decoder.cpython-311.opt-1.pyc", 0, S,
	  "json.decoder", false },
	{ C_DEB311, "/usr/lib/python3.11/json/__pycache__/__init__.cpython-311.opt-2.pyc", 0, S,
	  "json", false },
	{ C_DEB311, "/usr/lib/python3.11/json/__pycache__/decoder.pypy39.pyc", 0, S,
	  "json.decoder", false },
	{ C_DEB311, "/usr/lib/python3.11/json/__pycache__/decoder.pyc", 0, S, "json.decoder",
	  false },
	{ C_DEB311, "/usr/lib/python3.11/json/__pycache__/decoder.cpython-311.evil.pyc", 0, S,
	  "json.decoder.cpython-311.evil", true },
	{ C_DEB311, "/usr/lib/python3.11/json/__pycache__/sub/x.py", 0, S,
	  "json.__pycache__.sub.x", false },
	/* a sourceless .pyc keeps its compile-time co_filename (seen: "zt2/sl.py") */
	{ C_DEB311, PROBE_DIR "/zt2/sl.pyc", 0, A, "zt2.sl", false },
	{ C_DEB311, "zt2/sl.py", 0, A, "zt2.sl", false },
	{ C_DEB311, DEB_LOCAL "foo.abi3.so", 0, T, "foo", false },
	{ C_DEB311, DEB_LOCAL "bar.so", 0, T, "bar", false },
	{ C_DEB311, DEB_LOCAL "baz.pypy39-pp73-x86_64-linux-gnu.so", 0, T, "baz", false },
	{ C_DEB311, DEB_LOCAL "ft.cpython-313t-x86_64-linux-gnu.so", 0, T, "ft", false },
	{ C_DEB311, DEB_LOCAL "qux.weird.so", 0, T, "qux.weird", true },
	{ C_DEB311, DEB_LOCAL "pkg/__init__.cpython-311-x86_64-linux-gnu.so", 0, T, "pkg", false },
	{ C_DEB311, DEB_LOCAL "tool.pyw", 0, T, "tool", false },
	{ C_DEB311, DEB_LOCAL "pkg/__main__.py", 0, T, "pkg.__main__", false },
	{ C_DEB311, DEB_LOCAL "types.pyi", 0, T, "types.pyi", true },
	{ C_DEB311, DEB_LOCAL "README", 0, T, "README", true },
	{ C_DEB311, DEB_LOCAL "pkg/__init__", 0, T, "pkg.__init__", true },
	/* names that are not identifiers are produced and flagged */
	{ C_DEB311, DEB_LOCAL "my-pkg/mod.py", 0, T, "my-pkg.mod", true },
	{ C_DEB311, DEB_LOCAL "2fa/x.py", 0, T, "2fa.x", true },
	{ C_DEB311, DEB_LOCAL "requests.evil.py", 0, T, "requests.evil", true },
	{ C_DEB311, DEB_LOCAL "caf\xc3\xa9/x.py", 0, T, "caf\xc3\xa9.x", true },
	{ C_DEB311, DEB_LOCAL "\xff\xfe/x\x80.py", 0, T, "\xff\xfe.x\x80", true },
	{ C_DEB311, DEB_LOCAL "sp ace/x.py", 0, T, "sp ace.x", true },
	{ C_DEB311, PROBE_DIR "/build/lib/python3.11/x.py", 0, A, "build.lib.python3.11.x", true },
	/* eggs, zips and wheels that are sys.path entries inside a site root */
	{ C_DEB311, DEB_LOCAL "foo-1.0-py3.11.egg/foo/bar.py", 0, T, "foo.bar", false },
	{ C_DEB311, DEB_LOCAL "foo-1.0-py3.11.egg/foo/__init__.py", 0, T, "foo", false },
	{ C_DEB311, DEB_LOCAL "foo-1.0-py3.11.egg/__init__.py", 0, U, "", false },
	{ C_DEB311, DEB_DIST "vendored.zip/six.py", 0, T, "six", false },
	{ C_DEB311, DEB_LOCAL "pip-23.2.1-py3-none-any.whl/pip/__init__.py", 0, T, "pip", false },
	{ C_DEB311, DEB_LOCAL "foo-1.0-py3.11.egg", 0, T, "foo-1.0-py3.11.egg", true },
	{ C_DEB311, DEB_LOCAL "a/b.egg/c.py", 0, T, "a.b.egg.c", true },
	{ C_DEB311, "/usr/lib/python3.11/x.egg/y.py", 0, S, "x.egg.y", true },
	/* namespace packages: no __init__, still dotted by directory */
	{ C_DEB311, DEB_DIST "nspkg/inner/leaf.py", 0, T, "nspkg.inner.leaf", false },

	/* main script and application directory; relative names use the cwd */
	{ C_DEB311, "probe.py", 0, M, "__main__", false },
	{ C_DEB311, "./probe.py", 0, M, "__main__", false },
	{ C_DEB311, PROBE_DIR "/../sisup-probe/probe.py", 0, M, "__main__", false },
	{ C_DEB311, PROBE_DIR "/probe.py/", 0, M, "__main__", false },
	{ C_DEB311, PROBE_DIR "/helper.py", 0, A, "helper", false },
	{ C_DEB311, "helper.py", 0, A, "helper", false },
	{ C_DEB311, "sub/pkg/__init__.py", 0, A, "sub.pkg", false },
	{ C_DEB311, "../etc/passwd", 0, U, "", false },
	{ C_DEB311, "../../usr/lib/python3.11/os.py", 0, S, "os", false },
	{ C_DEB311, "", 0, U, "", false },
	{ C_DEB311, ".", 0, U, "", false },
	{ C_DEB311, "..", 0, U, "", false },
	{ C_NOCWD, "os.py", 0, U, "", false },
	{ C_NOCWD, "/usr/lib/python3.11/os.py", 0, S, "os", false },
	{ C_NONE, "/usr/lib/python3.11/os.py", 0, U, "", false },
	{ C_NONE, "x.py", 0, U, "", false },
	/* sys.path[0] == "/": everything not under a longer root is the app's */
	{ C_SLASH, "/x.py", 0, M, "__main__", false },
	{ C_SLASH, "/tmp/y.py", 0, A, "tmp.y", false },
	{ C_SLASH, "y.py", 0, A, "y", false },
	{ C_SLASH, "/usr/lib/python3.11/os.py", 0, S, "os", false },
	{ C_SLASH, "/usr/lib/python3.11-evil/x.py", 0, A, "usr.lib.python3.11-evil.x", true },
	{ C_SLASH, "/", 0, U, "", false },
	/* the venv made with python3.11 -m venv --without-pip /tmp/v (real shapes) */
	{ C_VENV, "/tmp/proj/main.py", 0, M, "__main__", false },
	{ C_VENV, "/tmp/proj/helper.py", 0, A, "helper", false },
	{ C_VENV, VENV_SITE "demo_pkg/__init__.py", 0, T, "demo_pkg", false },
	{ C_VENV, VENV_SITE "demo_pkg/sub/mod.py", 0, T, "demo_pkg.sub.mod", false },
	{ C_VENV, VENV_SITE "nspkg/inner/leaf.py", 0, T, "nspkg.inner.leaf", false },
	{ C_VENV, "../v/lib/python3.11/site-packages/demo_pkg/sub/mod.py", 0, T,
	  "demo_pkg.sub.mod", false },
	{ C_VENV, "/usr/lib/python3.11/site.py", 0, S, "site", false },
	{ C_VENV, "/usr/lib/python3.11/sitecustomize.py", 0, S, "sitecustomize", false },
	{ C_VENV, "/tmp/v/bin/activate_this.py", 0, U, "", false },
	/* a zip on sys.path (zipimport's co_filename, seen: /tmp/app.zip/pkg/mod.py) */
	{ C_VENV, "/tmp/app.zip/pkg/mod.py", 0, T, "pkg.mod", false },
	{ C_VENV, "/tmp/app.zip/pkg/__init__.py", 0, T, "pkg", false },
	{ C_VENV, "/tmp/app.zipx/pkg/mod.py", 0, U, "", false },
	/* a src layout added by a .pth file counts only because it is registered */
	{ C_VENV, "/home/dev/lib/src/pkg/mod.py", 0, T, "pkg.mod", false },
	{ C_VENV, "/home/dev/lib/other/mod.py", 0, U, "", false },

};

static void build_contexts(void **state)
{
	(void)state;
	for (int c = 0; c < C_COUNT; c++) {
		const struct ctx_spec *s = &specs[c];

		uw_modctx_init(&ctxs[c]);
		for (int i = 0; i < MAX_ROOTS && s->stdlib[i]; i++)
			assert_int_equal(uw_modctx_add_stdlib(&ctxs[c], s->stdlib[i]), 0);
		for (int i = 0; i < MAX_ROOTS && s->site[i]; i++)
			assert_int_equal(uw_modctx_add_site(&ctxs[c], s->site[i]), 0);
		if (s->app)
			assert_int_equal(uw_modctx_set_appdir(&ctxs[c], s->app), 0);
		if (s->main)
			assert_int_equal(uw_modctx_set_main(&ctxs[c], s->main), 0);
		if (s->cwd)
			assert_int_equal(uw_modctx_set_cwd(&ctxs[c], s->cwd), 0);
	}
}

/* Run every row, report each mismatch, then fail once: all of them show. */
static void run_table(const struct mcase *t, const size_t *lens, size_t n, const char *what)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		const struct mcase *c = &t[i];
		size_t len = lens ? lens[i] : strlen(c->file);
		struct uw_module m;
		int rc;

		memset(&m, 0xa5, sizeof(m));
		rc = uw_modname(&ctxs[c->ctx], c->file, len, &m);
		if (rc != c->rc || m.kind != c->kind || strcmp(m.name, c->name) != 0 ||
		    m.odd != c->odd) {
			print_error("%s[%zu] \"%s\": got rc %d %s \"%s\" odd=%d, "
				    "want rc %d %s \"%s\" odd=%d\n",
				    what, i, c->file, rc, uw_modkind_name(m.kind), m.name, m.odd,
				    c->rc, uw_modkind_name(c->kind), c->name, c->odd);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* Bytes the kernel would never open, and the length is the length. */
static const struct mcase_len {
	struct mcase c;
	size_t len;
} len_cases[] = {
	{ { C_DEB311, "/usr/lib/python3.11/os.py\0evil", -EINVAL, U, "", false }, 29 },
	{ { C_DEB311, "/usr/lib/python3.11/os.py\0", -EINVAL, U, "", false }, 26 },
	{ { C_DEB311, "\0", -EINVAL, U, "", false }, 1 },
	{ { C_DEB311, "<frozen os>\0", -EINVAL, U, "", false }, 12 },
	{ { C_DEB311, "/usr/lib/python3.11/json/decoder.pyEVIL", 0, S, "json.decoder", false },
	  35 },
	{ { C_DEB311, "<frozen os>>>", 0, F, "os", false }, 11 },
	{ { C_DEB311, "<frozen os>>>", 0, Y, "", false }, 12 },
	{ { C_DEB311, "probe.pyc", 0, M, "__main__", false }, 8 },
};

static void real_shapes(void **state)
{
	(void)state;
	run_table(real_cases, NULL, sizeof(real_cases) / sizeof(real_cases[0]), "real");
}

static void rules(void **state)
{
	(void)state;
	run_table(rule_cases, NULL, sizeof(rule_cases) / sizeof(rule_cases[0]), "rule");
}

static void explicit_lengths(void **state)
{
	struct mcase t[sizeof(len_cases) / sizeof(len_cases[0])];
	size_t lens[sizeof(len_cases) / sizeof(len_cases[0])];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		t[i] = len_cases[i].c;
		lens[i] = len_cases[i].len;
	}
	run_table(t, lens, sizeof(t) / sizeof(t[0]), "len");
}

static int classify(enum ctx_id c, const char *f, size_t len, struct uw_module *m)
{
	memset(m, 0xa5, sizeof(*m));
	return uw_modname(&ctxs[c], f, len, m);
}

static void expect_unknown(const struct uw_module *m)
{
	assert_int_equal(m->kind, UW_MOD_UNKNOWN);
	assert_string_equal(m->name, "");
	assert_false(m->odd);
}

/* Lengths at and beyond every bound, built at run time. */
static void bounds(void **state)
{
	static char f[2 * UW_PATH_MAX];
	struct uw_module m;
	size_t n;

	(void)state;
	/* exactly UW_PATH_MAX bytes: accepted (padding made of "./") */
	n = (size_t)snprintf(f, sizeof(f), "/usr/lib/python3.11");
	if ((UW_PATH_MAX - n - strlen("/os.py")) % 2)
		f[n++] = '/';
	while (n < UW_PATH_MAX - strlen("/os.py")) {
		memcpy(f + n, "/.", 2);
		n += 2;
	}
	memcpy(f + n, "/os.py", 6);
	n += 6;
	assert_int_equal(n, UW_PATH_MAX);
	assert_int_equal(classify(C_DEB311, f, n, &m), 0);
	assert_int_equal(m.kind, UW_MOD_STDLIB);
	assert_string_equal(m.name, "os");
	/* one more byte: refused, output still defined */
	f[n] = 'x';
	assert_int_equal(classify(C_DEB311, f, n + 1, &m), -ENAMETOOLONG);
	expect_unknown(&m);

	/* a name of 255 bytes fits, 256 does not */
	for (size_t want = 254; want <= 257; want++) {
		n = (size_t)snprintf(f, sizeof(f), "/usr/lib/python3.11/");
		memset(f + n, 'a', want);
		memcpy(f + n + want, ".py", 3);
		n += want + 3;
		if (want < UW_MODNAME_MAX) {
			assert_int_equal(classify(C_DEB311, f, n, &m), 0);
			assert_int_equal(strlen(m.name), want);
		} else {
			assert_int_equal(classify(C_DEB311, f, n, &m), -ENAMETOOLONG);
			expect_unknown(&m);
		}
	}
	/* deep nesting: 2000 components */
	n = (size_t)snprintf(f, sizeof(f), "/usr/lib/python3.11/");
	for (int i = 0; i < 2000; i++) {
		f[n++] = 'a';
		f[n++] = '/';
	}
	memcpy(f + n, "x.py", 4);
	assert_int_equal(classify(C_DEB311, f, n + 4, &m), -ENAMETOOLONG);
	expect_unknown(&m);
	/* 1300 ".." climb out and back in */
	n = (size_t)snprintf(f, sizeof(f), "/usr/lib/python3.11/");
	for (int i = 0; i < 1300; i++) {
		memcpy(f + n, "../", 3);
		n += 3;
	}
	n += (size_t)snprintf(f + n, sizeof(f) - n, "usr/lib/python3.11/os.py");
	assert_true(n <= UW_PATH_MAX);
	assert_int_equal(classify(C_DEB311, f, n, &m), 0);
	assert_int_equal(m.kind, UW_MOD_STDLIB);
	assert_string_equal(m.name, "os");
	/* slashes only */
	memset(f, '/', UW_PATH_MAX);
	assert_int_equal(classify(C_DEB311, f, UW_PATH_MAX, &m), 0);
	expect_unknown(&m);
	/* a relative name of the maximum length still joins the cwd */
	for (n = 0; n < UW_PATH_MAX - 4; n += 2)
		memcpy(f + n, "./", 2);
	memcpy(f + n, "x.py", 4);
	assert_int_equal(classify(C_DEB311, f, UW_PATH_MAX, &m), 0);
	assert_int_equal(m.kind, UW_MOD_APP);
	assert_string_equal(m.name, "x");
	/* a frozen name that does not fit */
	n = (size_t)snprintf(f, sizeof(f), "<frozen ");
	memset(f + n, 'a', 300);
	f[n + 300] = '>';
	assert_int_equal(classify(C_DEB311, f, n + 301, &m), -ENAMETOOLONG);
	expect_unknown(&m);
}

static void bad_arguments(void **state)
{
	struct uw_module m;

	(void)state;
	memset(&m, 0xa5, sizeof(m));
	assert_int_equal(uw_modname(NULL, "/x.py", 5, &m), -EINVAL);
	expect_unknown(&m);
	assert_int_equal(uw_modname(&ctxs[C_DEB311], "/x.py", 5, NULL), -EINVAL);
	assert_int_equal(classify(C_DEB311, NULL, 3, &m), -EINVAL);
	expect_unknown(&m);
	assert_int_equal(classify(C_DEB311, NULL, 0, &m), 0);
	expect_unknown(&m);
}

/* Classification only reads the context (one context, several threads). */
static void context_is_read_only(void **state)
{
	static struct uw_modctx copy;
	struct uw_module m;

	(void)state;
	memcpy(&copy, &ctxs[C_DEB311], sizeof(copy));
	for (size_t i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++)
		if (rule_cases[i].ctx == C_DEB311)
			(void)classify(C_DEB311, rule_cases[i].file,
				       strlen(rule_cases[i].file), &m);
	assert_memory_equal(&copy, &ctxs[C_DEB311], sizeof(copy));
}

static void builder(void **state)
{
	static struct uw_modctx c;
	static char longdir[UW_PATH_MAX + 2];
	char dir[64];
	struct uw_module m;

	(void)state;
	uw_modctx_init(&c);
	assert_int_equal(uw_modname(&c, "/usr/lib/python3.11/os.py", 25, &m), 0);
	expect_unknown(&m);

	/* refused roots */
	assert_int_equal(uw_modctx_add_stdlib(NULL, "/usr/lib/python3.11"), -EINVAL);
	assert_int_equal(uw_modctx_add_stdlib(&c, NULL), -EINVAL);
	assert_int_equal(uw_modctx_add_stdlib(&c, "usr/lib/python3.11"), -EINVAL);
	assert_int_equal(uw_modctx_add_stdlib(&c, ""), -EINVAL);
	assert_int_equal(uw_modctx_add_stdlib(&c, "/"), -EINVAL);
	assert_int_equal(uw_modctx_add_stdlib(&c, "//./"), -EINVAL);
	assert_int_equal(uw_modctx_add_site(&c, "/usr/.."), -EINVAL);
	assert_int_equal(uw_modctx_set_main(&c, "/"), -EINVAL);
	assert_int_equal(uw_modctx_set_cwd(&c, "relative"), -EINVAL);
	memset(longdir, 'a', sizeof(longdir) - 1);
	longdir[0] = '/';
	assert_int_equal(uw_modctx_add_site(&c, longdir), -ENAMETOOLONG);

	/* roots are normalised like file names; duplicates cost nothing */
	assert_int_equal(uw_modctx_add_stdlib(&c, "/usr//lib/./python3.11/"), 0);
	assert_int_equal(uw_modctx_add_stdlib(&c, "/usr/lib/python3.11"), 0);
	assert_int_equal(uw_modctx_add_stdlib(&c, "/usr/lib/x/../python3.11//"), 0);
	assert_int_equal(uw_modname(&c, "/usr/lib/python3.11/os.py", 25, &m), 0);
	assert_int_equal(m.kind, UW_MOD_STDLIB);
	assert_string_equal(m.name, "os");
	for (int i = 1; i < UW_MODCTX_MAX_DIRS; i++) {
		snprintf(dir, sizeof(dir), "/stdlib%d", i);
		assert_int_equal(uw_modctx_add_stdlib(&c, dir), 0);
	}
	assert_int_equal(uw_modctx_add_stdlib(&c, "/one/too/many"), -ENOSPC);
	assert_int_equal(uw_modctx_add_stdlib(&c, "/usr/lib/python3.11"), -ENOSPC);
	for (int i = 0; i < UW_MODCTX_MAX_DIRS; i++) {
		snprintf(dir, sizeof(dir), "/site%d", i);
		assert_int_equal(uw_modctx_add_site(&c, dir), 0);
	}
	assert_int_equal(uw_modctx_add_site(&c, "/one/too/many"), -ENOSPC);

	/* singletons */
	assert_int_equal(uw_modctx_set_appdir(&c, "/"), 0);
	assert_int_equal(uw_modctx_set_appdir(&c, "/app"), -EEXIST);
	assert_int_equal(uw_modctx_set_main(&c, "/app/main.py"), 0);
	assert_int_equal(uw_modctx_set_main(&c, "/app/other.py"), -EEXIST);
	assert_int_equal(uw_modctx_set_cwd(&c, "/"), 0);
	assert_int_equal(uw_modctx_set_cwd(&c, "/app"), -EEXIST);
	assert_int_equal(uw_modname(&c, "app/main.py", 11, &m), 0);
	assert_int_equal(m.kind, UW_MOD_MAIN);
	assert_int_equal(uw_modname(&c, "/site3/a/b.py", 13, &m), 0);
	assert_int_equal(m.kind, UW_MOD_THIRD_PARTY);
	assert_string_equal(m.name, "a.b");

	/* the shared pool runs out before the slots do with long roots */
	uw_modctx_init(&c);
	memset(longdir, 'a', UW_PATH_MAX);
	longdir[0] = '/';
	longdir[UW_PATH_MAX] = '\0';
	for (int i = 0; i < UW_MODCTX_POOL / UW_PATH_MAX; i++) {
		longdir[1] = (char)('b' + i);
		assert_int_equal(uw_modctx_add_site(&c, longdir), 0);
	}
	longdir[1] = 'z';
	assert_int_equal(uw_modctx_add_site(&c, longdir), -ENOSPC);
	assert_int_equal(uw_modctx_add_site(&c, "/short"), -ENOSPC);
}

static void within(void **state)
{
	static const struct {
		const char *module, *prefix;
		bool want;
	} t[] = {
		{ "requests", "requests", true },
		{ "requests.adapters", "requests", true },
		{ "requests.adapters.x", "requests.adapters", true },
		{ "requestsx", "requests", false },
		{ "requests_toolbelt", "requests", false },
		{ "request", "requests", false },
		{ "requests", "requests.adapters", false },
		{ "requests.adaptersx", "requests.adapters", false },
		{ "xrequests", "requests", false },
		{ "requests", "", false },
		{ "", "", false },
		{ "", "requests", false },
		{ "os.path", "os", true },
		{ "os", "os.", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(uw_module_within(t[i].module, t[i].prefix), t[i].want);
	assert_false(uw_module_within(NULL, "os"));
	assert_false(uw_module_within("os", NULL));
}

static void kind_names(void **state)
{
	(void)state;
	assert_string_equal(uw_modkind_name(UW_MOD_STDLIB), "stdlib");
	assert_string_equal(uw_modkind_name(UW_MOD_THIRD_PARTY), "third-party");
	assert_string_equal(uw_modkind_name(UW_MOD_APP), "app");
	assert_string_equal(uw_modkind_name(UW_MOD_MAIN), "main");
	assert_string_equal(uw_modkind_name(UW_MOD_FROZEN), "frozen");
	assert_string_equal(uw_modkind_name(UW_MOD_SYNTHETIC), "synthetic");
	assert_string_equal(uw_modkind_name(UW_MOD_UNKNOWN), "unknown");
	assert_string_equal(uw_modkind_name(UW_MOD_KIND_MAX), "unknown");
	assert_string_equal(uw_modkind_name((enum uw_modkind)-1), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(build_contexts),
		cmocka_unit_test(real_shapes),
		cmocka_unit_test(rules),
		cmocka_unit_test(explicit_lengths),
		cmocka_unit_test(bounds),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(context_is_read_only),
		cmocka_unit_test(builder),
		cmocka_unit_test(within),
		cmocka_unit_test(kind_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
