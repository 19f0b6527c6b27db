/* ownset.h - the sockets that belong to sockview's own test endpoints, by
 * inode (model, no I/O).
 *
 * The table marks these rows and names sockview as their process, so a user
 * can watch the sockets of the echo server they just opened. Each inode
 * carries a tag: the number of the pane whose endpoint holds it. The set is
 * refilled from the endpoints (endpoint_inodes) whenever it may have
 * changed; lookups are a binary search, cheap enough for every table cell. */
#ifndef SOCKVIEW_OWNSET_H
#define SOCKVIEW_OWNSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct own_mark {
	uint32_t inode;
	unsigned tag; /* pane number */
};

struct ownset {
	struct own_mark *m;
	size_t n, cap;
	bool sorted;
};

/* An empty set; ownset_free releases it. */
void ownset_init(struct ownset *s);
void ownset_free(struct ownset *s);
/* Empties the set, keeping its storage. */
void ownset_clear(struct ownset *s);
/* Adds inode with tag (inode 0, which no process holds, is ignored). Call
 * ownset_finish after the last add. */
void ownset_add(struct ownset *s, uint32_t inode, unsigned tag);
/* Sorts and removes duplicate inodes (the smallest tag wins). */
void ownset_finish(struct ownset *s);
/* True if inode is in the (finished) set; its tag goes to *tag if not NULL. */
bool ownset_find(const struct ownset *s, uint32_t inode, unsigned *tag);
/* True if both finished sets hold the same inodes with the same tags. */
bool ownset_equal(const struct ownset *a, const struct ownset *b);
/* Makes dst a copy of the finished set src. */
void ownset_copy(struct ownset *dst, const struct ownset *src);

#endif
