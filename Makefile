# sisup - see README.md. `make` builds ./sisup; `make test` runs everything.
CC ?= cc
CSTD := -std=gnu17
WARN := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wundef -Wwrite-strings
HARDEN := -fstack-protector-strong -D_FORTIFY_SOURCE=3
OPT ?= -O2 -g
WERROR ?= 0
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifeq ($(SANITIZE),1)
# ASan/UBSan build; _FORTIFY_SOURCE is incompatible with ASan's interceptors.
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
HARDEN := -fstack-protector-strong
LDSAN := -fsanitize=address,undefined
BUILD := build/asan
else
BUILD := build/release
endif
CFLAGS += $(CSTD) $(WARN) $(HARDEN) $(OPT) -D_GNU_SOURCE -Isupervisor -Iunwinder -Ipolicy -MMD -MP
# libseccomp, libyaml and libelf (with its zlib) are linked from their
# archives, which the same -dev packages ship: on these VMs each shared
# library cost every start about 0.3 ms of mapping, relocation and page
# faults (`sisup --version` 3.9 -> 2.4 ms with all four static). libc stays
# shared.
LDLIBS += -Wl,-Bstatic -lseccomp -lyaml -lelf -lz -Wl,-Bdynamic
# libunwind's remote interface (unwinder/native.c): its header only. The
# library (libunwind-x86_64.so.8) is loaded with dlopen at the first native
# walk: linked, it cost every start ~0.6 ms (three libraries to map).
CFLAGS += $(shell pkg-config --cflags libunwind-generic 2>/dev/null)
LDFLAGS += $(LDSAN)

SV_SRC := $(wildcard supervisor/*.c)
SV_OBJ := $(SV_SRC:%.c=$(BUILD)/%.o)
# unwinder/ and policy/ are libraries: they never include supervisor/ headers.
UW_SRC := $(wildcard unwinder/*.c)
UW_OBJ := $(UW_SRC:%.c=$(BUILD)/%.o)
POL_SRC := $(wildcard policy/*.c)
POL_OBJ := $(POL_SRC:%.c=$(BUILD)/%.o)
LIB_OBJ := $(filter-out $(BUILD)/supervisor/main.o,$(SV_OBJ)) $(UW_OBJ) $(POL_OBJ)

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HELPER_SRC := $(wildcard tests/helpers/*.c)
HELPER_BIN := $(HELPER_SRC:tests/helpers/%.c=tests/helpers/bin/%)

.PHONY: all test check unit e2e helpers deps demo clean
# Keep objects between runs (they are prerequisites of several pattern rules).
.SECONDARY:
all: sisup

sisup: $(BUILD)/sisup
	cp $< $@

$(BUILD)/sisup: $(SV_OBJ) $(UW_OBJ) $(POL_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# Attack and probe programs used by the end-to-end tests (plain, no sanitizer:
# some of them execute raw int 0x80 or x32 system calls on purpose).
tests/helpers/bin/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu17 -O1 -g -Wall -Wextra -D_GNU_SOURCE -o $@ $< -lpthread

helpers: $(HELPER_BIN)

deps:
	./tests/install-deps.sh

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

e2e: sisup helpers
	SISUP=$(CURDIR)/sisup ./tests/run-e2e.sh

test: deps
	$(MAKE) sisup
	$(MAKE) unit
	$(MAKE) e2e

check: test

# Install, build and show sisup on a real Python program (README, command 1).
demo:
	SISUP_NO_EXTRA_PYTHONS=1 ./tests/install-deps.sh
	$(MAKE) sisup
	./examples/demo.sh

# Benchmarks (bench/README.md): install gnuplot and strace when missing, build
# sisup, the notification floor and the design's skeleton, run every workload
# with its peers.
.PHONY: bench
bench:
	SISUP_NO_EXTRA_PYTHONS=1 ./tests/install-deps.sh
	./bench/install-deps.sh
	$(MAKE) sisup
	@mkdir -p build/bench
	$(CC) -std=gnu17 -O2 -g -Wall -Wextra -D_GNU_SOURCE -o build/bench/notify_floor \
		bench/notify_floor.c -lpthread
	$(CC) -std=gnu17 -O2 -g -Wall -Wextra -D_GNU_SOURCE -o build/bench/skeleton \
		bench/skeleton.c -lseccomp -lpthread
	/usr/bin/python3 bench/run.py

# CPython's own regression tests bare, under sisup (audit) and under a permissive
# policy, outcomes compared test by test (issue 8; tests/cpython/run.py).
# check-cpython-ci is the subset CI runs (about 5 minutes).
.PHONY: check-cpython check-cpython-ci cpython-testsuite
cpython-testsuite:
	dpkg -s libpython3.11-testsuite >/dev/null 2>&1 || \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libpython3.11-testsuite
check-cpython: sisup cpython-testsuite
	/usr/bin/python3 tests/cpython/run.py
check-cpython-ci: sisup cpython-testsuite
	/usr/bin/python3 tests/cpython/run.py --ci

# No leak or descriptor leak in the supervisor over 1,000 children (tests/leaks/run.sh says why not valgrind).
.PHONY: leaks
leaks:
	$(MAKE) SANITIZE=1 build/asan/sisup
	./tests/leaks/run.sh

clean:
	rm -rf build sisup tests/helpers/bin

-include $(SV_OBJ:.o=.d) $(UW_OBJ:.o=.d) $(POL_OBJ:.o=.d)

# ---------------------------------------------------------------------------
# Fuzzing (clang + libFuzzer, see fuzz/README.md). `make fuzz` builds every
# target into build/fuzz/; `make fuzz-smoke` replays fuzz/crashes/, checks the
# walker seeds, then runs each target on a copy of its corpus for FUZZ_SECONDS
# (the committed corpus never grows), failing on any crash.
FUZZ_CC ?= clang
FUZZ_OUT := build/fuzz
FUZZ_SECONDS ?= 20
FUZZ_NAMES := walker maps elf json pyoffsets modname policy
FUZZ_BIN := $(FUZZ_NAMES:%=$(FUZZ_OUT)/fuzz_%)
FUZZ_CFLAGS := $(CSTD) $(WARN) -O1 -g -fno-omit-frame-pointer -D_GNU_SOURCE \
	-Isupervisor -Iunwinder -Ipolicy -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_HDRS := $(wildcard fuzz/*.h unwinder/*.h supervisor/*.h policy/*.h)
# What the targets reach: the unwinder, and the event writer with what it
# calls. Warnings only clang gives are not errors here (gcc's build decides).
FUZZ_LIB_SRC := $(UW_SRC) supervisor/evlog.c supervisor/decode.c supervisor/syscalls.c $(POL_SRC)
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_OUT)/obj/%.o)
# Extra objects of a target: the walker is compiled into its harness; the
# real debug-offsets blobs are embedded with .incbin.
FUZZ_BLOBS := $(FUZZ_OUT)/obj/fuzz/debug_blobs.o
FUZZ_EXTRA_walker := $(FUZZ_OUT)/obj/fuzz/walker_harness.o $(FUZZ_BLOBS)
FUZZ_EXTRA_pyoffsets := $(FUZZ_BLOBS)

.PHONY: fuzz fuzz-smoke fuzz-campaign
fuzz: $(FUZZ_BIN) $(FUZZ_OUT)/gen_walker_corpus

$(FUZZ_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(filter-out -Werror,$(FUZZ_CFLAGS)) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_BLOBS): $(wildcard tests/unit/data/debug_offsets_*.bin)

# An archive: a target only pulls the objects it needs (fuzz_walker defines
# the walker's symbols itself, so walker.o stays out).
$(FUZZ_OUT)/libsisup-fuzz.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

.SECONDEXPANSION:
$(FUZZ_OUT)/fuzz_%: fuzz/fuzz_%.c $$(FUZZ_EXTRA_$$*) $(FUZZ_HDRS) $(FUZZ_OUT)/libsisup-fuzz.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_EXTRA_$*) \
		$(FUZZ_OUT)/libsisup-fuzz.a $(LDLIBS)

# The seed generator for the walker runs natively (no sanitizer needed).
$(FUZZ_OUT)/gen_walker_corpus: fuzz/gen_walker_corpus.c unwinder/pyoffsets.c unwinder/pylines.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -g -D_GNU_SOURCE -Isupervisor -Iunwinder -o $@ $^

# Issue 7's long run: every target for FUZZ_CAMPAIGN_SECONDS (600) in turn,
# new coverage merged into fuzz/corpus/ (fuzz/campaign.sh).
fuzz-campaign: fuzz
	FUZZ_OUT=$(FUZZ_OUT) ./fuzz/campaign.sh $(FUZZ_NAMES)

fuzz-smoke: fuzz
	FUZZ_OUT=$(FUZZ_OUT) FUZZ_SECONDS=$(FUZZ_SECONDS) ./fuzz/smoke.sh $(FUZZ_NAMES)

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_OUT)/obj/fuzz/walker_harness.d $(FUZZ_BLOBS:.o=.d)
