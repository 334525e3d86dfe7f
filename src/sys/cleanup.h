/* cleanup.h: the registry of temporary paths that a signal (SIGINT, SIGTERM, SIGHUP) must not
 * leave behind. It is recpack's one piece of global mutable state: a fixed table that main()
 * arms with cleanup_install(); the handler touches it with async-signal-safe calls only. */
#ifndef CLEANUP_H
#define CLEANUP_H

#define CLEANUP_SLOTS 64
#define CLEANUP_PATH_MAX 4096
#define CLEANUP_DEPTH 48 /* deepest folder the removal descends into */

/* Install the handlers: on SIGINT/SIGTERM/SIGHUP remove every registered path, say so on
 * stderr and _exit(128 + signal). Called once, from main(). 0, or -1 with errno set. */
int cleanup_install(void);

/* Register a folder (removed with everything inside) or a single file. Returns a handle > 0,
 * or 0 when the table is full or the path too long (the path is then simply not protected).
 * Thread-safe. */
int cleanup_register_dir(const char *path);
int cleanup_register_file(const char *path);
/* mkdtemp(templ) (mode 0700) and register the folder, with SIGINT/SIGTERM/SIGHUP held back
 * in between so a signal cannot leave it behind unregistered. Returns the handle (> 0, or 0
 * when the table is full), or -1 with errno set when the folder could not be made. */
int cleanup_mkdtemp(char *templ);

/* Forget a handle (0 is ignored): call once the path is removed or is no longer temporary. */
void cleanup_unregister(int handle);

/* Remove path and, for a folder, everything inside it. Never follows symbolic links, makes
 * unwritable folders writable so they can be emptied, and uses only async-signal-safe calls.
 * 0 when the path is gone afterwards, -1 otherwise. */
int cleanup_remove_tree(const char *path);

#endif
