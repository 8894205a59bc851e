# helpdex - one non-recursive GNU Makefile.
#
#   make run     install missing packages, build, index corpus/, serve :8080
#   make test    install missing packages, build, run every test suite
#                (unit + end-to-end, then again under ASan+UBSan)
#   make bench   benchmarks against Xapian Omega and SQLite FTS5
#                (QUICK=1: under 3 minutes; SCALE="4 16": larger corpora)
#   make scale-test  two read replicas behind HAProxy on loopback, under
#                load (docs/scaling.md; a short run is in make check)
#   make fuzz    the libFuzzer harnesses of tests/fuzz/, FUZZ_SECONDS each
#   make install the programs, web assets, man pages, example config and
#                systemd units under $(DESTDIR)$(PREFIX) (default /usr/local;
#                PREFIX=/usr puts the config in /etc); `make uninstall`
#   make deb     the Debian package (debian/) into build/deb/; `make
#                deb-check` lists it, runs lintian and tests/e2e/test_deb.py
#
# Objects go to $(BUILD) (default build/); `make SAN=1 BUILD=build-asan`
# builds the sanitizer variant that `make test` also runs, and
# `make SAN=fuzz BUILD=build-fuzz CC=clang CXX=clang++` the fuzzing one.

BUILD    ?= build
SAN      ?= 0
PORT     ?= 8080
CORPUS   ?= corpus
DB       ?= $(BUILD)/index
PYTHON   ?= /usr/bin/python3

PKGS     := xapian-core libcmark-gfm libmicrohttpd libutf8proc yaml-0.1 jansson zlib
CC       ?= cc
CXX      ?= c++
OPT      ?= -O2 -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes
CFLAGS   := -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -Iinclude -I. -MMD -MP \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CXXFLAGS := -std=c++17 $(OPT) -Wall -Wextra -Werror -Iinclude -MMD -MP \
            -fvisibility=hidden $(shell pkg-config --cflags xapian-core 2>/dev/null)
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
# The analytics session id's HMAC-SHA256 (analytics/session_id.c).
NETTLE_LIBS := $(shell pkg-config --libs nettle 2>/dev/null)
ifeq ($(SAN),1)
  SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined
  CFLAGS   += $(SANFLAGS)
  CXXFLAGS += $(SANFLAGS)
  LDFLAGS  += $(SANFLAGS)
endif
# The libFuzzer build (clang): every object instrumented for coverage.
ifeq ($(SAN),fuzz)
  FUZZFLAGS := -fsanitize=fuzzer-no-link,address,undefined \
               -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  CFLAGS    += $(FUZZFLAGS)
  CXXFLAGS  += $(FUZZFLAGS)
  LDFLAGS   += $(FUZZFLAGS)
endif

LIB_C    := $(wildcard lib/*.c)
LIB_CXX  := $(wildcard lib/xapian/*.cc)
LIB_OBJ  := $(LIB_C:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o)
IDX_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(wildcard indexer/*.c))
SRV_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(wildcard server/*.c))
# The analytics store and its reports (analytics/): linked into the
# server (which records) and helpdex-report (which reads).
ANA_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(wildcard analytics/*.c))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps run test check check-unit check-e2e check-browser asan \
        valgrind bench relevance clean lint fuzz fuzz-build fuzz-bins \
        fuzz-check
all: $(BUILD)/helpdex-index $(BUILD)/helpdex-serve $(BUILD)/helpdex-report \
     $(BUILD)/tests/gen_month $(UNIT_BIN)

# ---- packages ----------------------------------------------------------
DEB_PKGS := libxapian-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libmicrohttpd-dev libutf8proc-dev \
            libyaml-dev libjansson-dev libcmocka-dev python3-pytest \
            python3-prometheus-client \
            pkg-config build-essential libsqlite3-dev zlib1g-dev nettle-dev chromium \
            xapian-tools clang libclang-rt-dev nginx openssl haproxy wrk
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; done; \
	command -v node >/dev/null && command -v npm >/dev/null \
	  || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# ---- build -------------------------------------------------------------
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@
$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -c $< -o $@
$(BUILD)/libhelpdex.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^
$(BUILD)/helpdex-index: $(IDX_OBJ) $(BUILD)/libhelpdex.a
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/helpdex-serve: $(SRV_OBJ) $(ANA_OBJ) $(BUILD)/libhelpdex.a
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lsqlite3 $(NETTLE_LIBS)
# helpdex-report reads the analytics store (report/, analytics/).
$(BUILD)/helpdex-report: $(BUILD)/report/main.o $(ANA_OBJ) $(BUILD)/libhelpdex.a
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lsqlite3 $(NETTLE_LIBS)
# The month of seeded sessions the report tests read (tests/analytics/).
$(BUILD)/tests/gen_month: $(BUILD)/tests/analytics/gen_month.o \
                          $(BUILD)/analytics/schema.o $(BUILD)/libhelpdex.a
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lsqlite3
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libhelpdex.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(BUILD)/libhelpdex.a $(LDLIBS) \
	  $(shell pkg-config --libs cmocka)

# Unit tests of a server module (tests/unit/test_<module>.c for a
# server/<module>.c) link every server object but main.o.
SRV_TEST_OBJ := $(filter-out $(BUILD)/server/main.o,$(SRV_OBJ)) $(ANA_OBJ)
SRV_TEST_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(foreach m,\
                  $(basename $(notdir $(wildcard server/*.c))),\
                  $(wildcard tests/unit/test_$(m).c)))
$(SRV_TEST_BIN): $(BUILD)/tests/%: tests/unit/%.c $(SRV_TEST_OBJ) \
                 $(BUILD)/libhelpdex.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Iserver $(shell pkg-config --cflags cmocka) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(SRV_TEST_OBJ) $(BUILD)/libhelpdex.a \
	  $(LDLIBS) -lsqlite3 $(NETTLE_LIBS) $(shell pkg-config --libs cmocka)

# Unit tests of an analytics module (tests/unit/test_<module>.c for an
# analytics/<module>.c) link the analytics objects and SQLite.
ANA_TEST_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(foreach m,\
                  $(basename $(notdir $(wildcard analytics/*.c))),\
                  $(wildcard tests/unit/test_$(m).c)))
$(ANA_TEST_BIN): $(BUILD)/tests/%: tests/unit/%.c $(ANA_OBJ) \
                 $(BUILD)/libhelpdex.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(ANA_OBJ) $(BUILD)/libhelpdex.a \
	  $(LDLIBS) -lsqlite3 $(NETTLE_LIBS) $(shell pkg-config --libs cmocka)

# libFuzzer harnesses (tests/fuzz/fuzz_<target>.c), built with SAN=fuzz:
# each links common.o, the server and indexer objects it uses (from an
# archive, so only those) and libhelpdex.a.
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_LIB := $(BUILD)/tests/fuzz/common.o $(BUILD)/fuzz-objs.a \
            $(BUILD)/libhelpdex.a
$(BUILD)/tests/fuzz/%.o: CFLAGS += -Iserver -DHDX_SOURCE_ROOT='"$(CURDIR)"'
$(BUILD)/fuzz-objs.a: $(SRV_TEST_OBJ) $(BUILD)/indexer/synonyms.o \
                      $(BUILD)/indexer/walk.o
	rm -f $@
	ar rcs $@ $^
$(BUILD)/fuzz/%: $(BUILD)/tests/fuzz/%.o $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(LDLIBS) \
	  -lsqlite3 $(NETTLE_LIBS)
fuzz-bins: $(FUZZ_BIN)
.SECONDARY: $(FUZZ_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/fuzz/common.o

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- run ---------------------------------------------------------------
run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/helpdex-index --corpus $(CORPUS) --db $(DB)
	@echo "helpdex: serving $(CORPUS) on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(BUILD)/helpdex-serve --db $(DB) --listen 127.0.0.1:$(PORT) \
	  --assets web --corpus $(CORPUS) --feedback-db $(BUILD)/feedback.sqlite

# ---- install -----------------------------------------------------------
# GNU/Debian layout: PREFIX=/usr gives /usr/bin, /usr/share/helpdex/web,
# /etc/helpdex and /etc/default/helpdex.  The units (dist/systemd/*.in) get
# the installed paths; their state is always /var/lib/helpdex
# (StateDirectory=helpdex), so STATEDIR only changes what they say.
# Config files already in place are kept, and `make uninstall` removes
# one only while it is still the shipped text.  See docs/install.md.
PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
DOCDIR     ?= $(DATADIR)/doc/helpdex
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
UNITDIR    ?= $(PREFIX)/lib/systemd/system
STATEDIR   ?= /var/lib/helpdex
.PHONY: install uninstall deb deb-check deb-deps FORCE

WEB_FILES  := $(wildcard web/*)
MAN1       := $(wildcard man/*.1)
MAN5       := $(wildcard man/*.5)
UNITS      := helpdex-serve.service helpdex-index.service \
              helpdex-index.path helpdex-index.timer
ETC_FILES  := helpdex/helpdex.conf helpdex/branding.conf default/helpdex
EXAMPLES   := helpdex.conf branding.conf default.helpdex tokens.example \
              nginx-helpdex.conf
INSTALLED  := $(addprefix $(BINDIR)/,helpdex-index helpdex-serve \
                helpdex-report) \
              $(WEB_FILES:web/%=$(DATADIR)/helpdex/web/%) \
              $(MAN1:man/%=$(MANDIR)/man1/%) \
              $(MAN5:man/%=$(MANDIR)/man5/%) \
              $(addprefix $(UNITDIR)/,$(UNITS)) \
              $(addprefix $(DOCDIR)/examples/,$(EXAMPLES))
OWN_DIRS   := $(DATADIR)/helpdex/web $(DATADIR)/helpdex \
              $(DOCDIR)/examples $(DOCDIR) $(SYSCONFDIR)/helpdex

DIST_OUT := $(BUILD)/dist
# The substituted paths live in the outputs, so they are redone on every
# install (FORCE): a PREFIX change never installs stale paths.
$(addprefix $(DIST_OUT)/,$(UNITS)): $(DIST_OUT)/%: dist/systemd/%.in FORCE
	@mkdir -p $(dir $@)
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' \
	    -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@STATEDIR@|$(STATEDIR)|g' \
	    -e 's|@DOCDIR@|$(DOCDIR)|g' $< >$@
$(DIST_OUT)/default.helpdex $(DIST_OUT)/tokens.example \
$(DIST_OUT)/helpdex.conf: $(DIST_OUT)/%: dist/etc/%.in FORCE
	@mkdir -p $(dir $@)
	sed -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' \
	    -e 's|@STATEDIR@|$(STATEDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' \
	    $< >$@
$(DIST_OUT)/branding.conf: dist/etc/branding.conf
	@mkdir -p $(dir $@)
	cp $< $@
$(DIST_OUT)/nginx-helpdex.conf: dist/nginx/helpdex.conf
	@mkdir -p $(dir $@)
	cp $< $@
FORCE:

install: $(BUILD)/helpdex-index $(BUILD)/helpdex-serve \
         $(BUILD)/helpdex-report $(addprefix $(DIST_OUT)/,$(UNITS) $(EXAMPLES))
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/helpdex/web \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(UNITDIR) \
	  $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(SYSCONFDIR)/helpdex \
	  $(DESTDIR)$(SYSCONFDIR)/default
	install -m 755 $(BUILD)/helpdex-index $(BUILD)/helpdex-serve \
	  $(BUILD)/helpdex-report $(DESTDIR)$(BINDIR)
	install -m 644 $(WEB_FILES) $(DESTDIR)$(DATADIR)/helpdex/web
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(addprefix $(DIST_OUT)/,$(UNITS)) $(DESTDIR)$(UNITDIR)
	install -m 644 $(addprefix $(DIST_OUT)/,$(EXAMPLES)) \
	  $(DESTDIR)$(DOCDIR)/examples
	@set -e; for f in $(ETC_FILES); do \
	  src=$(DIST_OUT)/$$(basename $$f); \
	  [ $$f = default/helpdex ] && src=$(DIST_OUT)/default.helpdex; \
	  dst=$(DESTDIR)$(SYSCONFDIR)/$$f; \
	  if [ -e $$dst ]; then echo "install: keeping $$dst"; \
	  else echo "install -m 644 $$src $$dst"; install -m 644 $$src $$dst; fi; \
	done

uninstall: $(addprefix $(DIST_OUT)/,$(EXAMPLES))
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	@for f in $(ETC_FILES); do \
	  src=$(DIST_OUT)/$$(basename $$f); \
	  [ $$f = default/helpdex ] && src=$(DIST_OUT)/default.helpdex; \
	  dst=$(DESTDIR)$(SYSCONFDIR)/$$f; \
	  [ -e $$dst ] || continue; \
	  if cmp -s $$src $$dst; then echo "rm -f $$dst"; rm -f $$dst; \
	  else echo "uninstall: keeping $$dst (edited)"; fi; \
	done
	@for d in $(addprefix $(DESTDIR),$(OWN_DIRS)); do \
	  rmdir $$d 2>/dev/null || true; done

# ---- Debian package ----------------------------------------------------
# `make deb`: dpkg-buildpackage -us -uc -b (debian/, debhelper 13) on a copy
# of the tree's files in $(DEB_OUT)/helpdex, so the .deb, .buildinfo and
# .changes land in $(DEB_OUT) and nothing is written outside $(BUILD).
# `make deb-check` also lists the package and runs lintian.  Not part of
# `make test`: it rebuilds everything (docs/install.md).
DEB_OUT       := $(BUILD)/deb
DEB_DEV_PKGS  := debhelper dpkg-dev lintian
# deb-deps: those, then debian/control's Build-Depends (apt-get build-dep).
deb-deps:
	@missing=""; for p in $(DEB_DEV_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	if [ -n "$$missing" ]; then \
	  echo "deb-deps: installing$$missing"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi; \
	dpkg-checkbuilddeps 2>/dev/null || \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get build-dep -y -qq ./

deb: deb-deps
	rm -rf $(DEB_OUT)
	mkdir -p $(DEB_OUT)/helpdex
	git ls-files -z -c -o --exclude-standard | \
	  tar --null -T - -cf - | tar -xf - -C $(DEB_OUT)/helpdex
	cd $(DEB_OUT)/helpdex && dpkg-buildpackage -us -uc -b
	rm -rf $(DEB_OUT)/helpdex
	@ls $(DEB_OUT)/*.deb

deb-check: deb
	dpkg-deb -c $(DEB_OUT)/helpdex_*.deb
	lintian --fail-on error,warning $(DEB_OUT)/helpdex_*.deb
	cd tests/e2e && HDX_DEB=$(abspath $(DEB_OUT)) HDX_BUILD=$(abspath $(BUILD)) \
	  $(PYTHON) -m pytest -q -p no:cacheprovider test_deb.py

# ---- tests -------------------------------------------------------------
ASAN_ENV := ASAN_OPTIONS=detect_container_overflow=0:detect_leaks=1 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

check-unit: all
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $(SANENV) $$t; done

check-e2e: all
	cd tests/e2e && $(SANENV) HDX_BUILD=$(abspath $(BUILD)) \
	  $(PYTHON) -m pytest -q -p no:cacheprovider .

check-browser: all
	HDX_BUILD=$(abspath $(BUILD)) $(SANENV) tests/browser/run.sh

.PHONY: check-meili
check-meili: all
	HDX_BUILD=$(abspath $(BUILD)) $(SANENV) tests/meili/run.sh

# The scale test (tests/scale/run.py, docs/scaling.md): two read replicas
# behind HAProxy on 127.0.0.1; 30 s loads in scale-test, 5 s in check.
.PHONY: scale-test check-scale
scale-test: deps all
	cd tests/scale && HDX_BUILD=$(abspath $(BUILD)) $(PYTHON) run.py \
	  --seconds 30 --repeats 7 --rounds 3 --report $(abspath $(BUILD))/scale-report.json

check-scale: all
	cd tests/scale && $(SANENV) HDX_BUILD=$(abspath $(BUILD)) $(PYTHON) \
	  run.py --seconds 5 --repeats 3 --rounds 1


# Sharded mode over xapian-tcpsrv (docs/scaling-shards.md), 30 to 60 s;
# skipped without the bench corpus or xapian-tools.
.PHONY: check-shards
check-shards: all
	cd tests/scale && $(SANENV) HDX_BUILD=$(abspath $(BUILD)) \
	  $(PYTHON) -m pytest -q -p no:cacheprovider test_shards.py

check: check-unit check-e2e check-browser check-meili check-scale \
       check-shards

# `make asan` runs ASAN_CHECKS (default: all of check) under ASan+UBSan.
ASAN_CHECKS ?= check
asan:
	$(MAKE) --no-print-directory BUILD=build-asan SAN=1 OPT="-O1 -g" \
	  SANENV="$(ASAN_ENV)" $(ASAN_CHECKS)

# make test runs the unit and end-to-end suites in both builds, and each
# heavier suite once, where it adds most (docs/testing.md): the browser and
# Meilisearch-client suites on the plain build (their server routes run
# under ASan in the end-to-end suite), the scale and shard checks under
# ASan (their assertions are about failures, which ASan makes stricter).
# That keeps make test under 15 minutes on 2 cores.
TEST_PLAIN := check-unit check-e2e check-browser check-meili
TEST_ASAN  := check-unit check-e2e check-scale check-shards
test: deps
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory $(TEST_PLAIN)
	@$(MAKE) --no-print-directory ASAN_CHECKS="$(TEST_ASAN)" asan
	@$(MAKE) --no-print-directory fuzz-check
	@echo "make test: all suites passed (plain, ASan+UBSan and fuzzing)"

# Fuzzing: FUZZ_SECONDS per target for `make fuzz`, FUZZ_TEST_SECONDS in
# `make test`; both replay tests/fuzz/regressions/ first (docs/testing.md).
FUZZ_BUILD        ?= build-fuzz
FUZZ_SECONDS      ?= 60
FUZZ_TEST_SECONDS ?= 10
FUZZ_TARGETS      ?=
fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) SAN=fuzz CC=clang \
	  CXX=clang++ OPT="-O1 -g" fuzz-bins

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	$(PYTHON) tests/fuzz/run.py --build $(FUZZ_BUILD) \
	  --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-check: fuzz-build
	$(PYTHON) tests/fuzz/run.py --build $(FUZZ_BUILD) \
	  --seconds $(FUZZ_TEST_SECONDS) $(FUZZ_TARGETS)

valgrind: all
	@set -e; for t in $(UNIT_BIN); do \
	  valgrind -q --error-exitcode=1 --leak-check=full $$t; done

# The sample-corpus suite, then the bench-corpus suite (helpdex, FTS5 and
# plain Xapian side by side; RELEVANCE_ARGS="--class fragment --misses").
BENCH_CORPUS ?= /work/shared/bench-corpus
relevance: all
	$(PYTHON) tests/relevance/run.py --build $(BUILD)
	$(PYTHON) tests/relevance/bench/run.py --build $(BUILD) \
	  --corpus $(BENCH_CORPUS) $(RELEVANCE_ARGS)

bench: deps all
	bench/run.sh $(if $(QUICK),--quick) $(foreach k,$(SCALE),--scale $(k))

LINT_DIRS := lib include indexer server analytics tests bench
lint:
	@! grep -rnE 'Xapian::|#include <xapian|hdxi_' include/ \
	  || (echo "lint: C++ or private names in include/"; exit 1)
	@! find $(LINT_DIRS) -regex '.*\.\(cc\|cpp\|cxx\|C\|hh\|hpp\|hxx\)' \
	  -not -path 'lib/xapian/*' | grep . \
	  || (echo "lint: C++ only under lib/xapian/"; exit 1)
	@! grep -rlE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<xapian' \
	  $(LINT_DIRS) | grep -v '^lib/xapian/' \
	  || (echo "lint: <xapian.h> only under lib/xapian/"; exit 1)
	@for f in lib/xapian/*.cc; do \
	  test "$$(grep -m1 '^#include' $$f)" = '#include "hdx/xapian.h"' \
	  || { echo "lint: $$f must include \"hdx/xapian.h\" first"; exit 1; }; \
	done
	@tests/lint/prefix-literals.sh
	@tests/lint/sizes.sh

clean:
	rm -rf build build-asan build-fuzz
