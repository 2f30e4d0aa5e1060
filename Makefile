# sisup - see README.md. `make` builds ./sisup; `make test` runs everything.
CC ?= cc
PKGS := libseccomp
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
CFLAGS += $(CSTD) $(WARN) $(HARDEN) $(OPT) -D_GNU_SOURCE -Isupervisor -Iunwinder -MMD -MP
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lseccomp) -lelf
LDFLAGS += $(LDSAN)

SV_SRC := $(wildcard supervisor/*.c)
SV_OBJ := $(SV_SRC:%.c=$(BUILD)/%.o)
# unwinder/ and policy/ are libraries: they never include supervisor/ headers.
UW_SRC := $(wildcard unwinder/*.c)
UW_OBJ := $(UW_SRC:%.c=$(BUILD)/%.o)
LIB_OBJ := $(filter-out $(BUILD)/supervisor/main.o,$(SV_OBJ)) $(UW_OBJ)

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

$(BUILD)/sisup: $(SV_OBJ) $(UW_OBJ)
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

clean:
	rm -rf build sisup tests/helpers/bin

-include $(SV_OBJ:.o=.d) $(UW_OBJ:.o=.d)
