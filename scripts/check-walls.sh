#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# scripts/check-walls.sh [SRC_DIR]: checks the walls between recpack's folders that
# ../shared/DESIGN.md draws, on the sources with comments, strings and attributes taken out
# (a comment that says "printf" is not a call). Prints one "ok - walls: RULE" or
# "not ok - walls: RULE" line per rule, with "#   file:line: what" under a failure, and
# exits 1 when a wall is broken. Run by `make check` (tests/cli/walls.sh).
#
# The walls:
#   print    only src/cli/ (and src/main.c) write to stdout or stderr, or take a stream
#            (FILE *) from a caller to write to
#   argv     only src/cli/ and src/main.c read the command line (argv, getopt, optarg)
#   exit     only src/main.c ends the process (exit, _exit, abort, err, ...)
#   include  src/read/ includes only read/ and sys/; src/rules/ only rules/, read/ and sys/;
#            src/sys/ only sys/; src/sources/ and src/read/ never packet/; nothing outside
#            src/cli/ and src/main.c includes cli/
#   library  each third-party library's headers are included only by the files that own it
#   circle   no two modules (.c files) use each other, directly or round a loop
#
# An exception that must stay is listed in EXCEPTIONS below with its reason; one that no
# longer matches anything is itself reported, so the list cannot go stale.
exec python3 - "${1:-src}" <<'PY'
import os, re, sys

SRC = sys.argv[1]

# ---- which third-party library belongs to which files (globs, relative to src/) ----
LIBRARIES = [
    # (library, header pattern, owners, why those)
    ("libcurl", r"curl/", ["sources/source_url.c"], "downloads are one source kind"),
    ("libarchive", r"archive(_entry)?\.h$", ["sources/source_archive.c", "packet/bagtar.c"],
     "archives and disc images are one source kind; verify reads a bag serialized as tar "
     "through packet/bagtar.c alone (tar formats only)"),
    ("libzip", r"zip\.h$", ["packet/*", "read/office.c"],
     "the packet's container: zipout and zipsink write it; packetread, verify, extract read it; "
     "and a DOCX/ODT document is a ZIP that read/office.c opens in memory"),
    ("OpenSSL", r"openssl/", ["sys/sha256.c"],
     "every SHA-256, and every BagIt manifest digest (md5 ... sha512), goes through sys/sha256"),
    ("jansson", r"jansson\.h$", ["cli/*", "packet/*", "read/fhir.c"],
     "JSON is printed by cli/, carried inside the packet (packet.json) by packet/, and read from "
     "FHIR documents by read/fhir.c"),
    ("inih", r"ini\.h$", ["rules/manifest.c"], "manifests are the only INI files"),
    ("libunistring", r"uni(str|norm|case|conv|ctype|name|types|width|wbrk|lbrk|gbrk|stdio)\.h$",
     ["packet/safename.c", "rules/identity.c", "packet/bagit.c"],
     "NFC file names in the packet; names compared with accents and case folded away; a bag's "
     "manifest paths that differ only in case or normalisation (packet/bagit.c)"),
    ("libdeflate", r"libdeflate\.h$", ["packet/zipout.c", "packet/zipchunk.c", "packet/extract.c", "packet/rawpool.c", "packet/crc32.c", "sources/scan.c"],
     "zipout compresses the payload (zipchunk: a big document, in chunks); extract and rawpool.c (verify, extract) inflate it; crc32.c answers libzip's CRC-32; scan.c fingerprints a "
     "document's first bytes with the same CRC-32 as it reads them"),
    ("poppler", r"poppler", ["read/pdf.c", "read/pdfscan.c"],
     "PDF text is one reader (pdfscan.c: a scanned PDF's pages, for OCR)"),
    ("glib", r"^(glib|gio|gobject)", ["read/pdf.c", "read/pdfscan.c"], "poppler-glib's types, in the PDF readers"),
    ("cairo", r"^cairo", ["read/pdfscan.c"], "a scanned PDF page rendered for OCR"),
    ("libxml2", r"libxml/", ["read/xmlsafe.[ch]", "read/ccda.c", "read/xdm.c", "read/office.c",
                            "read/text.c"],
     "XML and HTML documents: one locked-down parser setup (xmlsafe) and the C-CDA, XDM, "
     "DOCX/ODT and HTML readers"),
    ("tesseract", r"tesseract/|leptonica/", ["read/ocr.c"], "OCR is one reader"),
    ("iconv", r"^iconv\.h$", ["read/charset.c", "read/dicom_text.c", "read/text.c", "packet/bagit.c", "cli/roster.c"],
     "character sets of DICOM and text documents, of a BagIt bag's Tag-File-Character-Encoding, "
     "and of rosters saved by Windows spreadsheets"),
]

# ---- exceptions that must stay: (file glob, rule, pattern on the stripped line, reason) ----
EXCEPTIONS = [
    ("sys/util.c", "exit", r"\babort\s*\(",
     "xmalloc: out of memory cannot flow up as a value from every allocation"),
    ("sys/util.c", "print", r"\bstderr\b",
     "xmalloc says 'out of memory' just before it aborts; nothing else can"),
    ("sys/cleanup.c", "print", r"\bSTDERR_FILENO\b",
     "the signal handler says which signal ended recpack with write(2), async-signal-safe"),
    ("sys/cleanup.c", "exit", r"\b_exit\s*\(",
     "the signal handler ends the process after removing temp files"),
    ("cli/readchild_loop.c", "exit", r"\babort\s*\(",
     "the PDF reader child crashes on a test's request, to prove recpack outlives a reader that dies"),
    ("cli/batch.c", "exit", r"\b_exit\s*\(",
     "a forked batch row ends with _exit, so the parent's atexit and stdio are not run twice"),
]

def glob_match(path, pattern):
    return re.fullmatch(re.escape(pattern).replace(r"\*", "[^/]*").replace(r"\[ch\]", "[ch]"), path)

# ---- reading the sources ----
TOKENS = re.compile(r'/\*.*?(?:\*/|\Z)|//[^\n]*|"(?:\\.|[^"\\\n])*"?|\'(?:\\.|[^\'\\\n])*\'?', re.S)

def blank(m):
    t = m.group(0)
    if t[0] in "\"'":  # keep the quotes, blank what is between them
        return t[0] + re.sub(r"[^\n]", " ", t[1:-1]) + t[-1] if len(t) > 1 else t
    return re.sub(r"[^\n]", " ", t)

def strip(text):
    """Comments, string and character literals and __attribute__((...)) blanked out, newlines
    kept so line numbers stay right."""
    s = TOKENS.sub(blank, text)
    # __attribute__((format(printf, 2, 3))) names printf without calling it
    return re.sub(r"__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)",
                  lambda m: re.sub(r"[^\n]", " ", m.group(0)), s)

files = {}
for root, _, names in os.walk(SRC):
    for name in names:
        if name.endswith((".c", ".h")):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, SRC).replace(os.sep, "/")
            with open(path, encoding="utf-8", errors="replace") as f:
                raw = f.read()
            files[rel] = (raw.split("\n"), strip(raw).split("\n"))

def folder(rel):
    return rel.split("/")[0] if "/" in rel else ""

def includes(rel):
    """(line number, header, quoted) for each #include of rel."""
    for no, line in enumerate(files[rel][0], 1):
        m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
        if m:
            yield no, m.group(2), m.group(1) == '"'

used = set()
def excepted(rel, rule, line):
    for k, (pat, r, linepat, _) in enumerate(EXCEPTIONS):
        if r == rule and glob_match(rel, pat) and re.search(linepat, line):
            used.add(k)
            return True
    return False

found = {r: [] for r in ("print", "argv", "exit", "include", "library", "circle")}
def breach(rule, rel, no, what, line=""):
    if not excepted(rel, rule, line):
        found[rule].append("%s/%s:%d: %s" % (SRC, rel, no, what))

MAINS = ("main.c", "readhelper.c", "ocrhelper.c")  # recpack, its PDF helper recpack-read and OCR helper recpack-ocr
CLI = lambda rel: folder(rel) == "cli" or rel in MAINS

PRINT_CALLS = r"\b(printf|vprintf|puts|putchar|perror|psignal|psiginfo|dprintf|vdprintf|warn|warnx|vwarn|vwarnx)\s*\("
STREAMS = r"\b(stdout|stderr|STDOUT_FILENO|STDERR_FILENO)\b"
FD12 = r"\b(write|send)\s*\(\s*[12]\s*,"
STREAM_PARAM = r"[(,]\s*(const\s+)?FILE\s*\*\s*\w*\s*[,)]"
ARGV = r"\b(argv|optarg|optind|optopt|opterr|getopt|getopt_long|getopt_long_only)\b"
EXITS = r"\b(exit|_exit|_Exit|quick_exit|abort|err|errx|verr|verrx)\s*\("

for rel, (raw, code) in sorted(files.items()):
    for no, line in enumerate(code, 1):
        if not CLI(rel):
            for pat, what in ((PRINT_CALLS, "prints"), (STREAMS, "writes to standard output or error"),
                              (FD12, "writes to fd 1 or 2"),
                              (STREAM_PARAM, "takes a stream to write to from its caller")):
                m = re.search(pat, line)
                if m:
                    breach("print", rel, no, "%s (%s)" % (what, m.group(0).strip("(, ")), line)
            m = re.search(ARGV, line)
            if m:
                breach("argv", rel, no, "reads the command line (%s)" % m.group(1), line)
        m = re.search(EXITS, line)
        if m and rel not in MAINS:
            breach("exit", rel, no, "ends the process (%s)" % m.group(1), line)

    here = folder(rel)
    for no, hdr, quoted in includes(rel):
        line = raw[no - 1]
        if quoted:
            there = folder(hdr)
            allowed = {"read": {"read", "sys"}, "rules": {"rules", "read", "sys"}, "sys": {"sys"}}
            if here in allowed and there not in allowed[here]:
                breach("include", rel, no, "%s/ includes %s" % (here, hdr), line)
            elif here in ("sources", "read") and there == "packet":
                breach("include", rel, no, "%s/ includes %s" % (here, hdr), line)
            elif there == "cli" and not CLI(rel):
                breach("include", rel, no, "%s/ includes %s (pass values or callbacks instead)" % (here, hdr), line)
            continue
        for lib, pat, owners, _ in LIBRARIES:
            if re.search(pat, hdr) and not any(glob_match(rel, o) for o in owners):
                breach("library", rel, no, "includes <%s>, which only %s may (%s)" % (hdr, ", ".join(owners), lib), line)

# ---- circles: modules (.c files) that use each other, directly or round a loop ----
# A module uses another when it names a function or object the other defines without
# `static` (a call, or a callback or table handed on).
defs = {}
for rel, (raw, code) in files.items():
    if not rel.endswith(".c"):
        continue
    text = "\n".join(code)
    for m in re.finditer(r"^(?!static\b|typedef\b|extern\b|struct\s+\w+\s*\{|enum\b|union\b)"
                         r"[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*(\([^;{]*\)\s*\{|(\[[^\]]*\])?\s*=)",
                         text, re.M):
        defs.setdefault(m.group(1), rel)
uses = {}
for rel, (raw, code) in files.items():
    if not rel.endswith(".c"):
        continue
    for no, line in enumerate(code, 1):
        for name in re.findall(r"\b([A-Za-z_]\w*)\b", line):
            there = defs.get(name)
            if there and there != rel:
                uses.setdefault(rel, {}).setdefault(there, (no, name))
# strongly connected components (Tarjan), each of two or more modules is a circle
index, low, stack, on, comps = {}, {}, [], set(), []
def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on.add(v)
    for w in sorted(uses.get(v, {})):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            comps.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in sorted(uses):
    if v not in index:
        visit(v)
for comp in comps:
    edges = ["%s -> %s (%s, line %d)" % (a, b, uses[a][b][1], uses[a][b][0])
             for a in comp for b in sorted(uses.get(a, {})) if b in comp]
    breach("circle", comp[0], 0, "modules that use each other: " + "; ".join(edges))

# ---- report ----
WHAT = {
    "print": "only src/cli/ and src/main.c print or take a stream to print to",
    "argv": "only src/cli/ and src/main.c read the command line",
    "exit": "only src/main.c ends the process",
    "include": "read/, rules/ and sys/ include only what is below them; nothing includes cli/ from below",
    "library": "each third-party library is included only by the files that own it",
    "circle": "no two modules use each other, directly or round a loop",
}
bad = 0
for rule, lines in found.items():
    if lines:
        bad += 1
        print("not ok - walls: %s" % WHAT[rule])
        for l in lines:
            print("#   " + l)
    else:
        print("ok - walls: %s" % WHAT[rule])
stale = [e for k, e in enumerate(EXCEPTIONS) if k not in used]
if stale:
    bad += 1
    print("not ok - walls: every listed exception is still needed")
    for pat, rule, linepat, _ in stale:
        print("#   %s (%s, /%s/) matches nothing: remove it" % (pat, rule, linepat))
else:
    print("ok - walls: every listed exception is still needed")
sys.exit(1 if bad else 0)
PY
