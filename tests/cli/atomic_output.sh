#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What is at -o is always a pair that checks, whatever kills recpack when: kill -9 aimed at the
# moment build --force replaces a packet leaves the old pair, the new pair, or a packet without
# a sidecar, never a packet beside another packet's checksum; of two builds racing for one -o
# the winner keeps its sidecar; temp files a kill -9 left beside -o are removed by a later
# build once stale, and nothing else is; cache clear never deletes through a symbolic link.
. "$(dirname "$0")/../lib.sh"

make_records "$T/rec" || { notok "fixtures"; exit 1; }
FACTS=(--patient "Jane Doe" --surgery --hospitalized)
mkdir "$T/o"

# ---- 20 kill -9s during build --force, each aimed at the first change at -o ----
# Every round packs a different note, so an old sidecar never matches a new packet. The poller
# watches the packet and its sidecar (inode, mtime) and sends SIGKILL 0-3 ms after the first
# change; then the sidecar, if any, must pass sha256sum -c, and the packet recpack verify.
cat >"$T/kill9.py" <<'PY'
import os, signal, subprocess, sys, time
recpack, outdir, rec = sys.argv[1:4]
facts = ['--patient', 'Jane Doe', '--surgery', '--hospitalized']
out = os.path.join(outdir, 'p.zip'); side = out + '.sha256'
def ident(p):
    try:
        st = os.stat(p); return (st.st_ino, st.st_mtime_ns)
    except FileNotFoundError:
        return None
delays = [0, 0.0002, 0.0005, 0.001, 0.003]
for i in range(20):
    note = os.path.join(outdir, '..', 'note.pdf')
    with open(note, 'wb') as f:
        f.write(b'%%PDF-1.4\n%% hospital note, round %d\n%%%%EOF\n' % i)
    before = (ident(out), ident(side))
    p = subprocess.Popen([recpack, 'build', '-q', '--force', '--level', '1'] + facts +
                         ['-o', out, rec, 'hospital=' + note], stderr=subprocess.DEVNULL)
    while p.poll() is None and (ident(out), ident(side)) == before:
        pass
    time.sleep(delays[i % len(delays)])
    killed = p.poll() is None
    if killed:
        p.send_signal(signal.SIGKILL)
    p.wait()
    state = 'pair' if os.path.exists(side) else 'no-sidecar'
    ok = True
    if os.path.exists(side):
        ok = subprocess.run(['sha256sum', '--quiet', '-c', os.path.basename(side)], cwd=outdir,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    if ok and os.path.exists(out):
        ok = subprocess.run([recpack, 'verify', '-q', out], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode == 0
    print('round %d: %s, %s: %s' % (i, 'killed' if killed else 'finished', state, 'good' if ok else 'MISMATCH'))
PY
expect_exit 0 "a first packet and sidecar" "$RECPACK" build -q "${FACTS[@]}" -o "$T/o/p.zip" "$T/rec"
run python3 "$T/kill9.py" "$RECPACK" "$T/o" "$T/rec"
expect_true "20 rounds ran ($(grep -c killed "$T/out") killed)" test "$(grep -c '^round' "$T/out")" -eq 20
expect_not_in "$T/out" 'MISMATCH' "after each kill -9 the sidecar is absent or matches the packet"
cp "$T/out" "$T/kill9.out"
sed 's/^/# /' "$T/kill9.out"
expect_true "some kills landed between the packet and its sidecar, or before either" \
	grep -q 'killed, no-sidecar' "$T/kill9.out"
expect_true "nothing but the pair and temp files of ours is at -o" \
	sh -c "test -z \"\$(ls -A '$T/o' | grep -Ev '^(p\.zip|p\.zip\.sha256|\.p\.zip(\.sha256)?\.recpack-tmp\..*)$')\""

# ---- two builds racing for one -o without --force: one wins and keeps its sidecar ----
make_records "$T/rec2" || notok "fixtures"
make_pdf "$T/rec2/Second_Opinion_Letter.pdf" "A letter only the second build has"
bad=0
for round in 1 2 3 4 5 6 7 8; do
	rm -rf "$T/r" && mkdir "$T/r"
	"$RECPACK" build -q "${FACTS[@]}" -o "$T/r/p.zip" "$T/rec" 2>"$T/err1" & a=$!
	"$RECPACK" build -q "${FACTS[@]}" --allow-incomplete -o "$T/r/p.zip" "$T/rec2" 2>"$T/err2" & b=$!
	wait $a; ra=$?
	wait $b; rb=$?
	if ! { [ $ra -eq 0 ] || [ $rb -eq 0 ]; } || [ ! -e "$T/r/p.zip.sha256" ] ||
		! (cd "$T/r" && sha256sum --quiet -c p.zip.sha256 >/dev/null 2>&1); then
		bad=$((bad + 1))
		echo "# round $round: exits $ra $rb; $(ls -A "$T/r" | tr '\n' ' ')"
	fi
done
expect_true "8 races: a packet with its matching sidecar every time ($bad bad)" test "$bad" -eq 0

# ---- stale temp files of ours beside -o (a kill -9 left them) are removed, nothing else ----
mkdir "$T/s"
for f in .p.zip.recpack-tmp.Ab3xYz .p.zip.recpack-tmp.Ab3xYz.Qq12Zz .p.zip.sha256.recpack-tmp.K9k9K9 \
	.p.zip.recpack-tmp.short .q.zip.recpack-tmp.Ab3xYz p.zip.recpack-tmp.Ab3xYz .p.zip.recpack-tmp.LockeD; do
	printf 'PK partial' >"$T/s/$f"
done
touch -d '10 minutes ago' "$T"/s/.??* "$T"/s/*
# a live writer holds its temp file's lock: that one stays whatever its age
flock "$T/s/.p.zip.recpack-tmp.LockeD" sleep 30 & holder=$!
sleep 0.3
touch -d '10 minutes ago' "$T/s/.p.zip.recpack-tmp.LockeD"
# and a fresh one (a build that has just started) stays too
printf 'PK' >"$T/s/.p.zip.recpack-tmp.Fresh1"
expect_exit 0 "a build beside leftovers of a killed run" "$RECPACK" build "${FACTS[@]}" -o "$T/s/p.zip" "$T/rec"
expect_in "$T/err" "removed 3 unfinished packet file" "it says it removed the 3 stale files of ours"
for f in .p.zip.recpack-tmp.Ab3xYz .p.zip.recpack-tmp.Ab3xYz.Qq12Zz .p.zip.sha256.recpack-tmp.K9k9K9; do
	expect_true "stale $f is removed" test ! -e "$T/s/$f"
done
for f in .p.zip.recpack-tmp.short .q.zip.recpack-tmp.Ab3xYz p.zip.recpack-tmp.Ab3xYz .p.zip.recpack-tmp.LockeD \
	.p.zip.recpack-tmp.Fresh1; do
	expect_true "$f (not ours to remove) is kept" test -e "$T/s/$f"
done
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# ---- cache clear never deletes through a symbolic link ----
mkdir -p "$T/precious" "$T/xdg"
printf 'tax return\n' >"$T/precious/2025-tax-return.pdf"
printf 'photo\n' >"$T/precious/photo.body"
ln -s "$T/precious" "$T/xdg/recpack"
XDG_CACHE_HOME="$T/xdg" expect_exit 4 "cache clear refuses a cache folder that is a symbolic link" "$RECPACK" cache clear
expect_in "$T/err" "symbolic link" "it says the cache folder is a link"
expect_true "the folder it points to is untouched" test -e "$T/precious/2025-tax-return.pdf" -a -e "$T/precious/photo.body"
rm "$T/xdg/recpack"
mkdir "$T/xdg/recpack"
printf 'cached\n' >"$T/xdg/recpack/abc.body"
ln -s "$T/precious/photo.body" "$T/xdg/recpack/link.body"
XDG_CACHE_HOME="$T/xdg" expect_exit 0 "cache clear empties a real cache folder" "$RECPACK" cache clear
expect_true "the cache folder is gone" test ! -e "$T/xdg/recpack"
expect_true "a link inside it was removed, not what it points to" test -e "$T/precious/photo.body"
