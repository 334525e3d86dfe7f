# recpack — build, test, demo, install.  `make demo` and `make check` are all a new user needs.
PREFIX ?= /usr/local
CC ?= cc
PKGS = libzip libcurl libarchive jansson libcrypto libdeflate inih
OPT ?= -O2 -g
WARN = -Wall -Wextra $(if $(WERROR),-Werror)
# Recursive (=) so pkg-config runs after `deps` has installed the libraries.
CFLAGS_ALL = -std=c17 $(OPT) $(WARN) -D_GNU_SOURCE -pthread -Isrc -Ibuild $(shell pkg-config --cflags $(PKGS)) $(CFLAGS)
LIBS = $(shell pkg-config --libs $(PKGS)) -pthread $(LDLIBS)

SRC = $(sort $(wildcard src/*.c))
OBJ = $(SRC:src/%.c=build/%.o) build/manifests_gen.o
LIBOBJ = $(filter-out build/main.o,$(OBJ))
MANIFESTS = $(sort $(wildcard manifests/*.ini))
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=build/tests/%)

.PHONY: all deps test-deps check unit cli demo install clean asan bench fuzz
all: recpack

deps:
	@sh scripts/install-deps.sh

test-deps:
	@sh scripts/install-deps.sh --test

recpack: $(OBJ)
	$(CC) $(CFLAGS_ALL) -o $@ $(OBJ) $(LIBS) $(LDFLAGS)

build/%.o: src/%.c $(wildcard src/*.h) | deps build
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

build/manifests_gen.c: $(MANIFESTS) scripts/embed-manifests.sh | build
	sh scripts/embed-manifests.sh $(MANIFESTS) > $@.tmp && mv $@.tmp $@

build/manifests_gen.o: build/manifests_gen.c | deps
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

build:
	@mkdir -p build/tests

build/tests/test_%: tests/unit/test_%.c $(LIBOBJ) | test-deps build
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LIBOBJ) $(LIBS) $(shell pkg-config --libs cmocka) $(LDFLAGS)

unit: $(UNIT_BIN)

check: test-deps recpack $(UNIT_BIN)
	@sh tests/run.sh $(UNIT_BIN)

demo: recpack
	@sh samples/demo.sh

# Times recpack against zip, 7z, bsdtar, sha256sum and curl on a generated corpus (minutes; not
# part of `check`). BENCH_SIZE=large uses a corpus 4x larger. See docs/benchmarks.md.
BENCH_SIZE ?= normal
bench: test-deps recpack
	@BENCH_SIZE=$(BENCH_SIZE) bash scripts/bench.sh

install: recpack
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 recpack $(DESTDIR)$(PREFIX)/bin/recpack
	install -m 644 man/recpack.1 $(DESTDIR)$(PREFIX)/share/man/man1/recpack.1
	install -m 644 completions/recpack.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/recpack
	install -m 644 completions/_recpack $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_recpack
	install -m 644 completions/recpack.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/recpack.fish

clean:
	rm -rf build recpack recpack-asan tests/out
