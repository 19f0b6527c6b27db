/* netns.h - entering a named network namespace. */
#ifndef SOCKVIEW_NETNS_H
#define SOCKVIEW_NETNS_H

#include <stddef.h>
#include <stdint.h>

/* Moves the calling thread into /run/netns/NAME (as made by `ip netns add`).
 * Must run before any netlink socket is opened: a dump sees only the
 * namespace its socket was created in. Returns 0, or -1 with errno and a
 * translated one-line reason in err. */
int netns_enter(const char *name, char *err, size_t errlen);

/* ---- every namespace at once (--all-netns) ----
 *
 * A netns_list finds the network namespaces of the machine: the names
 * under /run/netns, and every distinct /proc/PID/ns/net by (device,
 * inode), so that a container's namespace without a name is found too.
 * It keeps one open descriptor per namespace (for setns) between
 * refreshes; a namespace no longer found at a refresh is dropped (its
 * descriptor closed), so holding it never keeps a deleted namespace on
 * the list. Entries that cannot be opened or entered (no CAP_SYS_ADMIN,
 * another user's process) are counted in the table's `denied`.
 *
 * Order of the table: the current namespace first, then named ones by
 * name, then unnamed ones by their lowest pid. Nothing here prints. */
struct nstab;
struct netns_list;

/* roots: "/proc" and "/run/netns" in the program (tests give others). */
struct netns_list *netns_list_new(const char *proc_root, const char *run_dir);
void netns_list_free(struct netns_list *l);
/* Finds the namespaces again. Returns 0, or -1 with errno if the current
 * namespace itself cannot be identified (the table is then empty). */
int netns_list_refresh(struct netns_list *l);
/* The table of the last refresh (valid until the next one). */
const struct nstab *netns_list_table(const struct netns_list *l);
/* The descriptor of entry i of the table (-1 for a denied entry). */
int netns_list_fd(const struct netns_list *l, size_t i);

/* Marks entry i as not entered (setns failed): counted in `denied`. */
void netns_list_deny(struct netns_list *l, size_t i);

/* Runs fn(arg) with the calling thread inside the namespace nsfd, then
 * moves it back to the namespace it was in (always, also when fn fails).
 * nsfd -1: fn runs where the thread is. Returns fn's result, or -1 with
 * errno if the namespace cannot be entered (EPERM without CAP_SYS_ADMIN)
 * or left (then the thread may be elsewhere: the caller must stop). */
int netns_run_in(int nsfd, int (*fn)(void *arg), void *arg);
/* A descriptor of the namespace of entry e (O_CLOEXEC; close it), opened
 * by its name or through its process and checked to be the same inode;
 * -1 with errno (ENOENT: gone, or its name or pid now means another). */
struct nstab_ent;
int netns_open_entry(const struct nstab_ent *e);
/* The (device, inode) of the namespace the thread is in; -1 with errno. */
int netns_current(uint64_t *dev, uint32_t *ino);

#endif
