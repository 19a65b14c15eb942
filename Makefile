# fo - one GNU makefile, no configure. PREFIX and DESTDIR are honoured.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
RULESDIR ?= $(PREFIX)/share/fo/rules
BUILD ?= build
BENCHROWS ?= 1000000

CC ?= cc
CFLAGS ?= -O2 -g
override CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
	-Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-sign-compare \
	$(SANFLAGS) $(CFLAGS)
override CPPFLAGS := -Ilib -I/usr/include/libxml2 $(CPPFLAGS)
# libonig exports POSIX regcomp/regexec of its own, with another regex_t:
# -lc first binds the profiles' regcomp to the C library's.
# libxml2 and libzip are not linked: lib/ingest/dl.c opens them by
# soname when a camt or xlsx file comes (dlopen is in the C library
# since glibc 2.34); nor is libjq in the tools: lib/rules/jqprog.c opens
# it when a rule needs it (--as-needed drops -ljq from them; the tests
# that call libjq themselves keep it). The sonames are read from the
# libraries the installed -dev packages link to, when dl.o and jqprog.o
# are compiled (after the install step).
LDLIBS = -Wl,--as-needed -lcsv -lyaml -ljq -lxlsxwriter -lc -lonig -lm
SONAME = $(shell objdump -p "$$($(CC) -print-file-name=lib$(1).so)" | \
	sed -n 's/^ *SONAME *//p')
# jsmn's loop switches on each byte it stops at; as a jump table that is
# one indirect branch a token, mispredicted on the turns of keys, strings
# and numbers (84 a record of the bench mix). As compare chains it runs
# 5-7% faster in fo-classify (bench/results-classify.md).
$(BUILD)/lib/record/json.o: override CFLAGS += -fno-jump-tables
$(BUILD)/lib/ingest/dl.o build-fuzz/lib/ingest/dl.o: override CPPFLAGS += \
	-DFO_SONAME_XML='"$(call SONAME,xml2)"' \
	-DFO_SONAME_ZIP='"$(call SONAME,zip)"'
$(BUILD)/lib/rules/jqprog.o build-fuzz/lib/rules/jqprog.o: \
	override CPPFLAGS += -DFO_SONAME_JQ='"$(call SONAME,jq)"'

# Debian packages a build (the -dev ones), the tests and the demo need;
# one a line. APT_GET is the installer (a dry run: APT_GET='echo apt-get').
PKGS = \
	jq \
	libcsv-dev \
	libjq-dev \
	libjsmn-dev \
	libonig-dev \
	libxlsxwriter-dev \
	libxml2-dev \
	libyaml-dev \
	libzip-dev \
	mandoc \
	parallel \
	perl \
	python3-openpyxl
APT_GET ?= apt-get

TOOLS = fo-ingest fo-match fo-classify fo-score fo-route fo-age
# lib/ in folders by layer (lib/README): core, value, record, rules,
# ingest, stage; one public header, lib/fo.h.
LIBSRC = $(wildcard lib/*/*.c)
# the private headers beside their layer (lib/ingest/ingest.h, ...)
LIBHDR = lib/fo.h $(wildcard lib/*/*.h)
LIBOBJ = $(LIBSRC:%.c=$(BUILD)/%.o)
UNITSRC = $(wildcard tests/unit/t-*.c)
UNITS = $(UNITSRC:tests/unit/%.c=$(BUILD)/%)
BINS = $(TOOLS:%=$(BUILD)/%)
MANS = $(wildcard man/*.[157])

all: $(BINS)

# Profile-guided build. With PGO=1, the default where CC is GCC 11 or
# later, the tools are first built instrumented in $(BUILD)/pgo, run on
# a night's work (bench/train.sh: generated exports of every profile
# through fo-ingest ... fo-age, the sample exports, fo-match), and then
# compiled again with the counts that run wrote: hot paths laid out
# straight, cold ones moved aside. Same code, same bytes out, about 10%
# less CPU time in fo-classify, fo-score and fo-route
# (bench/results-classify.md). Every object of lib/ and cmd/ waits for
# the training. PGO=0 builds in one pass, as a quick edit-compile loop
# wants; check-asan and the fuzz targets are never built this way. The
# aux name (-dumpdir, -dumpbase) is the same in both passes, whatever
# the object's directory: GCC keys a static function's counts by it.
GCCMAJOR := $(shell $(CC) -v 2>&1 | sed -n 's/^gcc version \([0-9]*\).*/\1/p')
PGO ?= $(if $(GCCMAJOR),$(shell [ $(GCCMAJOR) -ge 11 ] && echo 1 || echo 0),0)
PGODATA ?= $(abspath $(BUILD))/pgo-data
PGOAUX ?= $(abspath $(BUILD))/pgo-aux/
pgoaux = -dumpdir $(PGOAUX) -dumpbase $(subst /,-,$(1)).c
ifeq ($(PGO),1)
PGOWAIT = $(BUILD)/pgo.ok
pgoflags = -fprofile-use=$(PGODATA) -fprofile-partial-training \
	-Wno-missing-profile $(call pgoaux,$(1))
else ifeq ($(PGO),gen)
pgoflags = -fprofile-generate=$(PGODATA) $(call pgoaux,$(1))
override LDFLAGS += -fprofile-generate
endif

# Link-time optimisation, with GCC (LTO=1, the default there): the
# tools are compiled whole at link time, so that a call from one file of
# lib/ to another (fo-classify's rules into the record layer, the stage
# into the rules) is inlined as a call within a file is; about 4% less
# CPU time in fo-classify (bench/results-classify.md). The objects are
# fat (-ffat-lto-objects): the unit tests link their ordinary code
# without the whole-program step (-fno-lto). LTO=0 builds as before; check-asan and
# the fuzz targets never use it. gcc-ar writes the archive, with the
# plugin that reads the objects' LTO sections.
LTO ?= $(if $(GCCMAJOR),1,0)
ifeq ($(LTO),1)
ltoflags = -flto=auto -ffat-lto-objects
LTOLINK = -flto=auto
# GCC's linker plugin would run the LTO step on any link of fat objects:
# the tests and tools link their ordinary code
NOLTO = -fno-lto
AR = gcc-ar
endif

# Any source of a tool changes the counts. The rules are not among the
# prerequisites: counts taken with older rules still fit the code.
$(BUILD)/pgo.ok: $(LIBSRC) $(LIBHDR) $(wildcard cmd/*.c) bench/train.sh \
    bench/gen.awk bench/lib.sh | $(BUILD)/deps.ok
	rm -rf $(PGODATA) $(PGOAUX)
	$(MAKE) --no-print-directory BUILD=$(BUILD)/pgo PGO=gen LTO=0 \
	    PGODATA=$(PGODATA) PGOAUX=$(PGOAUX) all
	sh bench/train.sh $(BUILD)/pgo || echo 'fo: the training run' \
	    'failed: the tools are built without its counts' >&2
	touch $@

$(BUILD)/lib/%.o: lib/%.c $(LIBHDR) $(PGOWAIT) | $(BUILD)/deps.ok $(BUILD)/lib
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(ltoflags) $(call pgoflags,lib/$*) \
	    -c -o $@ $<

# The rules directory is compiled into the tools: rebuild them when it
# changes (a stamp rewritten only when its text does).
$(BUILD)/rulesdir: FORCE | $(BUILD)/cmd
	@echo '$(RULESDIR)' | cmp -s - $@ || echo '$(RULESDIR)' >$@

$(BUILD)/cmd/%.o: cmd/%.c lib/fo.h $(BUILD)/rulesdir $(PGOWAIT) | \
    $(BUILD)/deps.ok $(BUILD)/cmd
	$(CC) $(CPPFLAGS) -DFO_RULESDIR='"$(RULESDIR)"' $(CFLAGS) \
	    $(ltoflags) $(call pgoflags,cmd/$*) -c -o $@ $<

$(BUILD)/libfo.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

# The shipped rules files, read ahead: tools/yamlc loads them at build
# time and writes their bytes and trees as C, and each tool is linked
# with those it reads by default (AHEAD_tool). A load of the same bytes
# takes the tree instead of parsing them again with libyaml (0.6 ms of
# fo-classify's start, bench/results-classify.md); other bytes, an
# edited copy too, are parsed as before. Where no table is linked,
# lib/rules/ahead.c's empty one is.
AHEADALL = $(sort $(wildcard rules/*.yaml rules/ingest/*.yaml))
AHEAD_fo-ingest = rules/currencies.yaml $(sort $(wildcard rules/ingest/*.yaml))
AHEAD_fo-match = rules/match.yaml
AHEAD_fo-classify = rules/classify.yaml
AHEAD_fo-score = rules/score.yaml rules/route.yaml
AHEAD_fo-route = rules/route.yaml
AHEAD_fo-age = rules/age.yaml
AHEAD_t-yaml = $(AHEADALL)

# yamlc is compiled from the sources it needs, plainly: never
# instrumented for the profile-guided build, nor waiting for it.
YAMLCSRC = tools/yamlc.c lib/rules/yaml.c lib/rules/ahead.c lib/core/buf.c \
	lib/core/err.c lib/core/utf8.c
$(BUILD)/yamlc: $(YAMLCSRC) $(LIBHDR) | $(BUILD)/deps.ok $(BUILD)/lib
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $(YAMLCSRC) -lyaml

$(BUILD)/ahead/%.c: $(BUILD)/yamlc $(AHEADALL)
	@mkdir -p $(@D)
	$(BUILD)/yamlc $(AHEAD_$*) >$@.tmp
	mv $@.tmp $@

.PRECIOUS: $(BUILD)/ahead/%.c
$(BUILD)/ahead/%.o: $(BUILD)/ahead/%.c lib/fo.h
	$(CC) $(CPPFLAGS) $(CFLAGS) $(ltoflags) -c -o $@ $<

$(BINS): $(BUILD)/%: $(BUILD)/cmd/%.o $(BUILD)/ahead/%.o $(BUILD)/libfo.a
	$(CC) $(CFLAGS) $(LTOLINK) $(LDFLAGS) -o $@ $< $(BUILD)/ahead/$*.o \
	    $(BUILD)/libfo.a $(LDLIBS)

$(BUILD)/t-yaml: $(BUILD)/ahead/t-yaml.o
$(UNITS): $(BUILD)/%: tests/unit/%.c tests/unit/tap.h $(BUILD)/libfo.a \
    | $(BUILD)/deps.ok
	$(CC) $(CPPFLAGS) $(CFLAGS) $(NOLTO) $(LDFLAGS) -o $@ $< \
	    $(filter $(BUILD)/ahead/%.o,$^) $(BUILD)/libfo.a $(LDLIBS)

$(BUILD)/lib $(BUILD)/cmd:
	mkdir -p $@

# Install what is missing, in one step that every compile waits for
# (order-only) and that runs once, whatever -j: two apt-get at once fail
# on apt's lock, and a compile before the install finds no csv.h. As
# root, one apt-get for everything missing, without the recommended
# packages (parallel's would bring systemd); else say what to install.
# Without root, a build alone needs only the -dev packages: the rest is
# named, and checked again next time, not held against 'make'.
DEPS_ALL = $(filter deps check check-asan demo bench bench-mem bench-allocs soak,\
	$(or $(MAKECMDGOALS),all))
$(BUILD)/deps.ok: Makefile
	@missing=""; \
	for p in $(PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
		    grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && \
	    command -v $(firstword $(APT_GET)) >/dev/null; then \
		echo "fo: installing$$missing"; \
		$(APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive \
		    $(APT_GET) install -y -qq --no-install-recommends \
		    $$missing >/dev/null || exit 1; \
	elif [ -n "$$missing" ]; then \
		echo "fo: missing Debian packages:$$missing" >&2; \
		echo "fo: run: sudo apt-get install$$missing" >&2; \
		case "$$missing " in *-dev\ *) exit 1;; esac; \
		[ -z "$(DEPS_ALL)" ] && exit 0; exit 1; \
	fi; \
	mkdir -p $(@D) && touch $@
deps: $(BUILD)/deps.ok

# Then the golden tests again, the tools in another time zone (+14) and
# locale, under umask 077, reading their input in random short chunks
# (tests/lib.sh): the same bytes must come out. Not the C unit tests,
# which run no tool, nor the tests that kill, time or starve the tools,
# the browser's, or 0903, which tries environments of its own.
NOVARIANT = tests/0702-age-html.t tests/0800-kill.t tests/0801-parallel.t \
	tests/0906-edges.t tests/0907-kill-sets.t \
	tests/0901-outputs.t tests/0903-determinism.t \
	$(shell grep -l '^exec "$$FO_BIN/t-' tests/*.t)
# Both passes run, each tee'd to a log with its exit status beside it;
# the last line totals both from prove's summaries (CI reads it), and
# make check fails when either prove did.
# make check TESTS='tests/0101-*.t' runs only those.
TESTS = $(wildcard tests/*.t)
CHUNKSEED ?= 1
CHECKLOG = $(BUILD)/check
check: $(BUILD)/deps.ok all $(UNITS) $(BUILD)/shortread.so $(BUILD)/xlsxdump \
    $(BUILD)/slowrename.so
	@rm -f $(CHECKLOG)-plain.* $(CHECKLOG)-variant.*
	{ FO_BIN=$(abspath $(BUILD)) FO_RULES=$(CURDIR)/rules \
	    FO_TESTDATA=$(CURDIR)/testdata \
	    prove $(TESTS); echo $$? >$(CHECKLOG)-plain.rc; } | \
	    tee $(CHECKLOG)-plain.log
	{ FO_BIN=$(abspath $(BUILD)) FO_RULES=$(CURDIR)/rules \
	    FO_TESTDATA=$(CURDIR)/testdata \
	    FO_TEST_TZ='<+14>-14' FO_TEST_LC=C.UTF-8 FO_TEST_UMASK=077 \
	    FO_TEST_CHUNK=$(CHUNKSEED) \
	    $(if $(filter-out $(NOVARIANT),$(TESTS)),prove \
	    $(filter-out $(NOVARIANT),$(TESTS)),echo 'no test for this pass'; \
	    echo 'Files=0, Tests=0, 0 wallclock secs'); \
	    echo $$? >$(CHECKLOG)-variant.rc; } | tee $(CHECKLOG)-variant.log
	@awk -f tests/tools/check-total.awk $(CHECKLOG)-plain.log \
	    $(CHECKLOG)-variant.log; \
	    [ "$$(cat $(CHECKLOG)-plain.rc $(CHECKLOG)-variant.rc)" = "$$(printf '0\n0')" ]

# Not built with the sanitizers: it only shortens reads.
$(BUILD)/shortread.so: tests/tools/shortread.c | $(BUILD)/deps.ok $(BUILD)/lib
	$(CC) -O2 -Wall -Wextra -fPIC -shared -o $@ $<

# What lib/ingest/xlsx.c reads of a workbook, cell by cell (tests/0110).
$(BUILD)/xlsxdump: tests/tools/xlsxdump.c $(BUILD)/libfo.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(NOLTO) $(LDFLAGS) -o $@ $< $(BUILD)/libfo.a $(LDLIBS)

# Not built with the sanitizers either: it only slows renames (the kill
# battery, tests/0907).
$(BUILD)/slowrename.so: tests/tools/slowrename.c | $(BUILD)/deps.ok $(BUILD)/lib
	$(CC) -O2 -Wall -Wextra -fPIC -shared -o $@ $<

check-asan:
	$(MAKE) BUILD=build-asan CFLAGS='-O1 -g' PGO=0 LTO=0 \
	    SANFLAGS='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    check

# libFuzzer (clang): each target FUZZTIME seconds from its corpus in
# fuzz/corpus/NAME; what it finds new goes to build-fuzz, not the tree.
FUZZ = camt csv dec date dup expr json mt940 pipeline regex rules xlsx yaml
FUZZTIME ?= 60
FUZZCC ?= clang
FUZZFLAGS = -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -fno-sanitize-recover=all
FUZZOBJ = $(LIBSRC:lib/%.c=build-fuzz/lib/%.o)
# The library is compiled once for every target (CI's time is counted).
build-fuzz/lib/%.o: lib/%.c $(LIBHDR) | $(BUILD)/deps.ok
	@mkdir -p $(@D)
	$(FUZZCC) $(FUZZFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
	    $(CPPFLAGS) -c -o $@ $<
build-fuzz/libfo.a: $(FUZZOBJ)
	rm -f $@
	ar rcs $@ $(FUZZOBJ)
# the targets themselves as strictly as the tools: a call to a function
# the library no longer has is an error here, not a link failure in CI
FUZZWARN = -Wall -Wextra -Werror -Wno-sign-compare
fuzz: build-fuzz/libfo.a
	@for t in $(FUZZ); do \
		$(FUZZCC) $(FUZZFLAGS) $(FUZZWARN) \
		    -fsanitize=fuzzer,address,undefined \
		    $(CPPFLAGS) -DFO_FUZZ_DIR='"$(CURDIR)"' \
		    fuzz/fuzz-$$t.c build-fuzz/libfo.a $(LDLIBS) \
		    -o build-fuzz/fuzz-$$t || exit 1; \
		mkdir -p build-fuzz/corpus-$$t; \
		echo "fuzz-$$t: $(FUZZTIME) s"; \
		build-fuzz/fuzz-$$t -max_total_time=$(FUZZTIME) -timeout=10 \
		    -print_final_stats=1 build-fuzz/corpus-$$t \
		    fuzz/corpus/$$t 2>build-fuzz/fuzz-$$t.log || \
		    { tail -n 40 build-fuzz/fuzz-$$t.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units' \
		    build-fuzz/fuzz-$$t.log; \
	done

# Never part of check: timing belongs to a benchmark, not a test.
# make bench [BENCHROWS=100000] [BENCHRUNS=5] [BENCHSLOWROWS=10000]: fo
# against mlr and generated jq programs (bench/run.sh, bench/results.md);
# make bench-mem: peak RSS at 100k and BENCHMEMROWS records (bench/mem.sh);
# make bench-allocs: mallocs per record under valgrind (bench/allocs.sh);
# make soak [SOAKROWS=100000]: 10M records through the whole pipeline,
# counts and sums reconciled, RSS sampled (bench/soak.sh). Not in CI.
BENCHRUNS ?= 5
BENCHSLOWROWS ?= 10000
BENCHMEMROWS ?= 10000000
SOAKROWS ?= 10000000
BENCHSPEEDROWS ?= 200000
BENCHBINS = $(BUILD)/yaml2json $(BUILD)/rss
$(BUILD)/yaml2json: bench/yaml2json.c lib/fo.h $(BUILD)/libfo.a | $(BUILD)/deps.ok
	$(CC) $(CPPFLAGS) $(CFLAGS) $(NOLTO) $(LDFLAGS) -o $@ $< $(BUILD)/libfo.a $(LDLIBS)
$(BUILD)/rss: bench/rss.c
	$(CC) $(CFLAGS) -D_DEFAULT_SOURCE $(LDFLAGS) -o $@ $<
bench: all $(BENCHBINS)
	@if [ -f tests/unit/t-exprdiff.c ]; then $(MAKE) --no-print-directory \
	    $(BUILD)/t-exprdiff >/dev/null 2>&1 || echo "bench: t-exprdiff does not build"; fi
	BENCHRUNS=$(BENCHRUNS) BENCHSLOWROWS=$(BENCHSLOWROWS) \
	    sh bench/run.sh $(abspath $(BUILD)) $(BENCHROWS) >bench/results.md.tmp
	mv bench/results.md.tmp bench/results.md
	@cat bench/results.md
bench-speed: all
	sh bench/speed.sh $(BUILD) $(BENCHSPEEDROWS) | tee bench/results-speed.md

bench-mem: all $(BENCHBINS)
	sh bench/mem.sh $(abspath $(BUILD)) $(BENCHMEMROWS) | tee bench/results-mem.md
bench-allocs: all $(BENCHBINS)
	sh bench/allocs.sh $(abspath $(BUILD)) | tee bench/results-allocs.md
soak: all $(BENCHBINS)
	sh bench/soak.sh $(abspath $(BUILD)) $(SOAKROWS)
.PHONY: bench-mem bench-allocs bench-speed soak

lint-man:
	mandoc -Tlint -Wwarning $(MANS)

demo: $(BUILD)/deps.ok all
	@sh testdata/demo.sh $(abspath $(BUILD))

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(RULESDIR)/ingest
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	for m in $(MANS); do \
		s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s; \
	done
	install -m 644 rules/*.yaml $(DESTDIR)$(RULESDIR)
	install -m 644 rules/ingest/*.yaml $(DESTDIR)$(RULESDIR)/ingest

clean:
	rm -rf build build-asan build-fuzz

.PHONY: FORCE all bench deps check check-asan fuzz lint-man demo install clean
.DELETE_ON_ERROR:
