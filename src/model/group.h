/* group.h - sockets grouped by their owner (model, no I/O).
 *
 * One row per group (today: per process, GROUP_PROCESS; the key is
 * pluggable: a new enum group_by value and its cases in group.c's key and
 * label functions) with its socket count per kind and per state and the
 * sum of its sockets' rx/tx rates (TCP only: the kernel keeps no byte
 * counts for UDP, raw or Unix sockets).
 *
 * Honest owners: a socket held by several processes (fork, SCM_RIGHTS) is
 * counted under each holder, and its rates count in each holder's row, but
 * only once in the totals; a connection waiting in a listener's accept
 * queue counts under the listener's owners (who will get it at accept());
 * a socket with no process (TIME-WAIT, orphans, or not visible to us)
 * under "no process" (key GROUP_NONE). */
#ifndef SOCKVIEW_GROUP_H
#define SOCKVIEW_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmap.h"
#include "sock.h"

enum group_by {
	GROUP_PROCESS,
	GROUP_MAX_
};

#define GROUP_NONE INT64_MAX /* the key of "no process": sorts last */

/* One socket given to the grouping, with its rates if known. */
struct group_input {
	const struct sock *s;
	float rx, tx; /* bytes/s */
	bool rates;   /* rx/tx valid */
};

struct group_row {
	int64_t key;        /* GROUP_PROCESS: the pid; GROUP_NONE */
	uint32_t nsocks;
	uint32_t kind[SP_NPROTO];
	uint32_t state[SS_MAX_];
	double rx, tx;      /* summed rates of its TCP sockets with rates */
	uint32_t nrates;    /* sockets whose rates are known */
	uint32_t first, n;  /* its members: members[first .. first + n) */
};

struct group_set {
	enum group_by by;
	struct group_row *rows; /* by key, GROUP_NONE last */
	size_t n, cap;
	uint32_t *members;      /* indexes into the input, by group then input order */
	size_t nmembers, mcap;
	double total_rx, total_tx; /* each socket once */
	size_t nsocks;          /* sockets given */
	size_t shared;          /* sockets held by more than one group */
	uint64_t *scratch;      /* (key index, input index) pairs */
	size_t scratch_cap;
};

void group_init(struct group_set *g);
void group_free(struct group_set *g);

/* Groups in[0..n) by `by`; pm NULL: every socket has no process. */
void group_build(struct group_set *g, enum group_by by, const struct group_input *in, size_t n,
		 const struct procmap *pm);

/* The group's label into dst ("nginx" for a process, raw bytes, not
 * escaped; "" for GROUP_NONE, which the caller names). Returns its length. */
size_t group_label(const struct group_set *g, const struct group_row *r, const struct procmap *pm,
		   char *dst, size_t len);

/* Parses a --group value ("process"); -1 if unknown. */
int group_by_parse(const char *s);
/* "process". */
const char *group_by_name(enum group_by by);

#endif
