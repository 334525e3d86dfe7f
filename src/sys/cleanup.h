/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cleanup.h: recpack's one owner of signals and of what a signal must not leave behind. A fixed
 * table of temporary paths and of child processes that main() arms with cleanup_install(); on
 * SIGINT, SIGTERM, SIGHUP or SIGQUIT the one handler puts the terminal back, ends the children
 * (SIGTERM, then SIGKILL after a few seconds) and waits for them, removes every registered
 * path with async-signal-safe calls only, and dies of the signal (default action, raise) so a
 * parent shell sees 128 + N. A second signal during that removal ends the process at once. It
 * never follows a symbolic link when removing, and the removal's work is linear in the entries.
 * SIGWINCH only sets a flag (cleanup_resized) for the progress line to redraw at its width. */
#ifndef CLEANUP_H
#define CLEANUP_H

#include <sys/types.h>
#include <termios.h>

#define CLEANUP_SLOTS 64
#define CLEANUP_PATH_MAX 4096

/* Install the one handler for SIGINT/SIGTERM/SIGHUP/SIGQUIT (a signal ignored when recpack
 * started, as under nohup, stays ignored). Called once, from main(). 0, or -1 with errno set. */
int cleanup_install(void);

/* Register a folder (removed with everything inside) or a single file (removed with any
 * "<file>.*" its writer keeps beside it, as libzip does). Returns a handle > 0,
 * or 0 when the table is full or the path too long (the path is then simply not protected).
 * Thread-safe. */
int cleanup_register_dir(const char *path);
int cleanup_register_file(const char *path);
/* mkdtemp(templ) (mode 0700) and register the folder, with the handled signals held back in
 * between so a signal cannot leave it behind unregistered. Returns the handle (> 0, or 0
 * when the table is full), or -1 with errno set when the folder could not be made. */
int cleanup_mkdtemp(char *templ);

/* Forget a handle (0 is ignored): call once the path is removed or is no longer temporary. */
void cleanup_unregister(int handle);

/* Remove path and, for a folder, everything inside it. Never follows symbolic links, makes
 * unwritable folders writable so they can be emptied, uses only async-signal-safe calls and
 * no memory beyond a fixed buffer, and at most two folders open: a folder two levels below path
 * is moved up into path (renamed) and emptied from there, so any depth is removed and the work
 * is linear in the entries; it gives up on entries it cannot remove once those outnumber the
 * ones it still removes. 0 when the path is gone afterwards, -1 otherwise. */
int cleanup_remove_tree(const char *path);

/* While a prompt has the terminal fd in a mode of its own (echo off), a signal first puts
 * back *saved. Forget it once the prompt has restored the terminal itself. */
void cleanup_terminal_save(int fd, const struct termios *saved);
void cleanup_terminal_forget(void);

/* fork() for a child that must not outlive recpack (a batch row's build). In the child: the
 * parent's paths and children are forgotten (they are the parent's to remove), and it dies of
 * SIGTERM when the parent dies, even of SIGKILL (PR_SET_PDEATHSIG). In the parent: the child
 * is registered, so a handled signal ends and reaps it before the parent exits. Signals are
 * held back in between, so no child escapes. Returns fork()'s value. */
pid_t cleanup_fork(void);
/* Forget a child reaped by the caller (call right after waitpid returns its pid). */
void cleanup_child_reaped(pid_t pid);

/* 1 once after each SIGWINCH (the terminal was resized), else 0. Install it with
 * cleanup_watch_resize() (the progress line does, when it draws on a terminal). */
int cleanup_resized(void);
void cleanup_watch_resize(void);

/* Core dumps would write the secrets recpack holds (packet password, bearer token, cookies)
 * to disk: turn them off for the rest of the process (RLIMIT_CORE 0, PR_SET_DUMPABLE 0).
 * 0, or -1 with errno set. */
int cleanup_forbid_core_dumps(void);

#endif
