# recpack — build, test, demo, install.  `make demo` and `make check` are all a new user needs.
PREFIX ?= /usr/local
CC ?= cc
PKGS_MAIN = libzip libcurl libarchive jansson libcrypto libdeflate inih zlib libxml-2.0
# Only the helper programs link poppler (recpack-read, src/readhelper.c: PDFs' text) and
# Tesseract (recpack-ocr, src/ocrhelper.c: scans and photos); see src/read/pdf.h and ocr.h.
PKGS_HELPER = poppler-glib
PKGS_OCR = poppler-glib tesseract lept
PKGS = $(PKGS_MAIN) $(PKGS_OCR)
LIBEXECDIR ?= $(PREFIX)/libexec/recpack
OPT ?= -O2 -g
WARN = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wvla -Wformat=2 -Wconversion \
	$(if $(WERROR),-Werror)
# Recursive (=) so pkg-config runs after `deps` has installed the libraries.
CFLAGS_ALL = -std=c17 $(OPT) $(WARN) $(DEFS) -D_GNU_SOURCE -pthread -Isrc -Ibuild $(shell pkg-config --cflags $(PKGS)) $(CFLAGS)
# libunistring (NFC file names) ships no pkg-config file on Debian.
LIBS = $(shell pkg-config --libs $(PKGS)) -lunistring -pthread $(LDLIBS)
LIBS_MAIN = $(shell pkg-config --libs $(PKGS_MAIN)) -lunistring -pthread $(LDLIBS)
LIBS_HELPER = $(shell pkg-config --libs $(PKGS_HELPER)) -pthread $(LDLIBS)
LIBS_OCR = $(shell pkg-config --libs $(PKGS_OCR)) -pthread $(LDLIBS)

SRC = $(sort $(wildcard src/*.c src/*/*.c))
HDR = $(wildcard src/*.h src/*/*.h)
OBJ = $(SRC:src/%.c=build/%.o) build/manifests_gen.o
LIBOBJ = $(filter-out build/main.o build/readhelper.o build/ocrhelper.o,$(OBJ))
# The helpers' own objects: their loop, the PDF (and OCR) readers and what they use; recpack
# has the rest.
HELPER_COMMON = build/cli/readchild_loop.o build/read/pdf.o build/read/textfacts.o \
	build/read/factsput.o build/sys/util.o build/sys/fdio.o
HELPER_OBJ = build/readhelper.o $(HELPER_COMMON)
OCR_OBJ = build/ocrhelper.o build/read/pdfscan.o build/read/ocr.o $(HELPER_COMMON)
MAIN_OBJ = $(filter-out build/readhelper.o build/ocrhelper.o build/cli/readchild_loop.o build/read/pdf.o \
	build/read/pdfscan.o build/read/ocr.o,$(OBJ))
MANIFESTS = $(sort $(wildcard manifests/*.ini))
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=build/tests/%)

.PHONY: all deps test-deps check unit cli demo install uninstall clean asan bench fuzz walls
all: recpack recpack-read recpack-ocr

deps:
	@sh scripts/install-deps.sh

test-deps:
	@sh scripts/install-deps.sh --test

recpack: $(MAIN_OBJ) recpack-read recpack-ocr
	$(CC) $(CFLAGS_ALL) -o $@ $(MAIN_OBJ) $(LIBS_MAIN) $(LDFLAGS)

recpack-read: $(HELPER_OBJ)
	$(CC) $(CFLAGS_ALL) -o $@ $(HELPER_OBJ) $(LIBS_HELPER) $(LDFLAGS)

recpack-ocr: $(OCR_OBJ)
	$(CC) $(CFLAGS_ALL) -o $@ $(OCR_OBJ) $(LIBS_OCR) $(LDFLAGS)

# Where an installed recpack looks for its helper when it is not beside it.
build/cli/readchild.o build/asan/cli/readchild.o: DEFS = -DRP_LIBEXECDIR='"$(LIBEXECDIR)"'

build/%.o: src/%.c $(HDR) | deps build
	@mkdir -p $(@D)
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

# Sanitizer build: AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer on), its own
# objects in build/asan/. `make check` runs the command-line suite against it as well.
ASAN_FLAGS = -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# recpack-asan starts recpack-read-asan and recpack-ocr-asan, its own sanitized helpers.
ASAN_FLAGS += -DREADCHILD_HELPER='"recpack-read-asan"' -DREADCHILD_OCR_HELPER='"recpack-ocr-asan"'
ASAN_OBJ = $(OBJ:build/%.o=build/asan/%.o)
ASAN_LIBOBJ = $(filter-out build/asan/main.o build/asan/readhelper.o build/asan/ocrhelper.o,$(ASAN_OBJ))
ASAN_MAIN_OBJ = $(MAIN_OBJ:build/%.o=build/asan/%.o)
ASAN_HELPER_OBJ = $(HELPER_OBJ:build/%.o=build/asan/%.o)
ASAN_OCR_OBJ = $(OCR_OBJ:build/%.o=build/asan/%.o)

asan: recpack-asan

recpack-asan: $(ASAN_MAIN_OBJ) recpack-read-asan recpack-ocr-asan
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -o $@ $(ASAN_MAIN_OBJ) $(LIBS_MAIN) $(LDFLAGS)

recpack-read-asan: $(ASAN_HELPER_OBJ)
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -o $@ $(ASAN_HELPER_OBJ) $(LIBS_HELPER) $(LDFLAGS)

recpack-ocr-asan: $(ASAN_OCR_OBJ)
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -o $@ $(ASAN_OCR_OBJ) $(LIBS_OCR) $(LDFLAGS)

build/asan/%.o: src/%.c $(HDR) | deps build
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -c -o $@ $<

build/asan/tests/test_%: tests/unit/test_%.c $(ASAN_LIBOBJ) | test-deps build
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -o $@ $< $(ASAN_LIBOBJ) $(LIBS) $(shell pkg-config --libs cmocka) $(LDFLAGS)

build/asan/manifests_gen.o: build/manifests_gen.c | deps build
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -c -o $@ $<

# Fuzzing: libFuzzer targets fuzz/fuzz_NAME.c, built with clang into build/fuzz/. `make fuzz`
# runs each for FUZZ_SECONDS and fails on any crash (saved in build/fuzz/crashes/). `make check`
# replays every committed corpus, fuzz/corpus/NAME/, through the same targets built with the
# sanitizers as plain programs (fuzz/replay.c), so a crash once found stays fixed.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_FLAGS = -Ifuzz -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_NAMES = $(sort $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c)))
FUZZ_OBJ = $(LIBOBJ:build/%.o=build/fuzz/%.o)
FUZZ_BIN = $(FUZZ_NAMES:%=build/fuzz/fuzz_%)
REPLAY_BIN = $(FUZZ_NAMES:%=build/asan/replay_%)

build/fuzz/%.o: src/%.c $(HDR) | deps build
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CFLAGS_ALL) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/manifests_gen.o: build/manifests_gen.c | deps build
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CFLAGS_ALL) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(FUZZ_OBJ) | test-deps
	$(FUZZ_CC) $(CFLAGS_ALL) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LIBS) $(LDFLAGS)

build/asan/replay_%: fuzz/fuzz_%.c fuzz/replay.c fuzz/fuzz.h $(ASAN_LIBOBJ)
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -Ifuzz -o $@ $< fuzz/replay.c $(ASAN_LIBOBJ) $(LIBS) $(LDFLAGS)

# Objects reached only through pattern rules are intermediate: keep them between runs.
.SECONDARY: $(ASAN_OBJ) $(FUZZ_OBJ) build/fuzz/manifests_gen.o

fuzz: $(FUZZ_BIN)
	@sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

ASAN_UNIT_BIN = $(UNIT_BIN:build/tests/%=build/asan/tests/%)

check: test-deps recpack recpack-read recpack-ocr recpack-asan recpack-read-asan recpack-ocr-asan $(UNIT_BIN) $(ASAN_UNIT_BIN) $(REPLAY_BIN)
	@ASAN_UNIT="$(ASAN_UNIT_BIN)" REPLAY="$(REPLAY_BIN)" sh tests/run.sh $(UNIT_BIN)

demo: recpack
	@sh samples/demo.sh

# The walls between src/'s folders (also checked by `make check`, tests/cli/walls.sh).
walls:
	@sh scripts/check-walls.sh src

# Times recpack against zip, 7z, bsdtar, sha256sum and curl on a generated corpus (minutes; not
# part of `check`). BENCH_SIZE=large uses a corpus 4x larger. See docs/benchmarks.md.
BENCH_SIZE ?= normal
bench: test-deps recpack
	@BENCH_SIZE=$(BENCH_SIZE) bash scripts/bench.sh

install: recpack recpack-read recpack-ocr
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 recpack $(DESTDIR)$(PREFIX)/bin/recpack
	install -m 755 recpack-read $(DESTDIR)$(LIBEXECDIR)/recpack-read
	install -m 755 recpack-ocr $(DESTDIR)$(LIBEXECDIR)/recpack-ocr
	install -m 644 man/recpack.1 $(DESTDIR)$(PREFIX)/share/man/man1/recpack.1
	install -m 644 completions/recpack.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/recpack
	install -m 644 completions/_recpack $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_recpack
	install -m 644 completions/recpack.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/recpack.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/recpack $(DESTDIR)$(LIBEXECDIR)/recpack-read \
		$(DESTDIR)$(LIBEXECDIR)/recpack-ocr \
		$(DESTDIR)$(PREFIX)/share/man/man1/recpack.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/recpack \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_recpack \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/recpack.fish
	-rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null

clean:
	rm -rf build recpack recpack-read recpack-ocr recpack-asan recpack-read-asan recpack-ocr-asan \
		tests/out demo
