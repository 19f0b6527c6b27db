/* nstab.h - the network namespaces of a snapshot (model, no I/O).
 *
 * With --all-netns each socket record carries the nsfs inode of the
 * namespace it was dumped in (sock_key.netns); this table, kept beside the
 * snapshot by the collector, says what to call each: its name under
 * /run/netns, or "pid N (comm)" of a process in it. The source
 * (netns.h) fills it on every refresh; namespaces come and go between
 * refreshes, so a record may name an inode the table no longer has
 * (nstab_find returns NULL: show the inode).
 *
 * Names and command names are raw bytes (a file name or a comm may hold
 * control bytes): escape them when shown. */
#ifndef SOCKVIEW_NSTAB_H
#define SOCKVIEW_NSTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NSTAB_NAME_MAX 64 /* longer names are cut */
#define NSTAB_COMM_MAX 16

struct nstab_ent {
	uint64_t dev;  /* nsfs device: (dev, ino) is the namespace */
	uint32_t ino;
	uint8_t name_len;       /* 0: no name under /run/netns */
	char name[NSTAB_NAME_MAX];
	int32_t pid;            /* a process in it (the lowest pid), 0: none */
	uint8_t comm_len;
	char comm[NSTAB_COMM_MAX];
	bool current;           /* the namespace sockview runs in */
	bool denied;            /* found but not entered (no CAP_SYS_ADMIN) */
	size_t nsocks;          /* sockets of the last dump in it */
};

struct nstab {
	struct nstab_ent *v; /* owned */
	size_t n, cap;
	size_t denied;       /* entries with denied set */
};

void nstab_init(struct nstab *t);
void nstab_free(struct nstab *t);
void nstab_clear(struct nstab *t);
/* Appends a zeroed entry and returns it (valid until the next add). */
struct nstab_ent *nstab_add(struct nstab *t);
/* The entry of inode ino (the first with it), or NULL. Linear: the table
 * holds a few namespaces, not thousands. */
const struct nstab_ent *nstab_find(const struct nstab *t, uint32_t ino);
/* The entry whose name is the name_len bytes of name, or NULL. */
const struct nstab_ent *nstab_find_name(const struct nstab *t, const char *name, size_t len);
/* What to call e, raw (escape it when shown): its name, else
 * "pid N (comm)", else "netns:[INODE]". Returns the length written
 * (truncated to len - 1, always NUL-terminated for len > 0). */
size_t nstab_label(const struct nstab_ent *e, char *dst, size_t len);

#endif
