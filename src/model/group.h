/* group.h - sockets grouped by their owner (model, no I/O).
 *
 * One row per group (per process, GROUP_PROCESS; per service or
 * container, GROUP_SERVICE, service.h's rule; the key is pluggable: a new
 * enum group_by value and its cases in group.c's key and label functions) with its socket count per kind and per state and the
 * sum of its sockets' rx/tx rates (TCP only: the kernel keeps no byte
 * counts for UDP, raw or Unix sockets).
 *
 * Honest owners: a socket held by several processes (fork, SCM_RIGHTS) is
 * counted under each holder, and its rates count in each holder's row, but
 * only once in the totals; a connection waiting in a listener's accept
 * queue counts under the listener's owners (who will get it at accept());
 * a socket with no process (TIME-WAIT, orphans, or not visible to us)
 * under "no process" (key GROUP_NONE).
 *
 * By service: a socket whose own cgroup is known (service.h) counts under
 * that service only; else under each distinct service of its holders, and
 * under "no service" (key GROUP_NOSERVICE) for holders without one (the
 * root cgroup, cgroups not read, /proc/PID/cgroup unreadable); a socket
 * without a process or own cgroup under "no process" (GROUP_NONE). A
 * service's key is a hash of its label, the same from one build to the
 * next (the live view keeps its cursor on it). */
#ifndef SOCKVIEW_GROUP_H
#define SOCKVIEW_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmap.h"
#include "sock.h"

enum group_by {
	GROUP_PROCESS,
	GROUP_SERVICE,
	GROUP_MAX_
};

#define GROUP_NONE INT64_MAX /* the key of "no process": sorts last */
#define GROUP_NOSERVICE (INT64_MAX - 1) /* GROUP_SERVICE: holders without one */
/* True for the keys that name no group of their own (the caller names them
 * "no process", "no service"); they sort after the others. */
#define GROUP_IS_SPECIAL(key) ((key) >= GROUP_NOSERVICE)
/* The longest service label a group keeps. */
#define GROUP_LABEL_MAX 96

struct group_svc; /* GROUP_SERVICE's labels (group.c) */

/* One socket given to the grouping, with its rates if known. */
struct group_input {
	const struct sock *s;
	float rx, tx; /* bytes/s */
	bool rates;   /* rx/tx valid */
};

struct group_row {
	int64_t key;        /* GROUP_PROCESS: the pid; GROUP_SERVICE: a hash of the
			     * label; GROUP_NONE, GROUP_NOSERVICE */
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
	struct group_svc *svc;  /* GROUP_SERVICE: key -> label */
};

void group_init(struct group_set *g);
void group_free(struct group_set *g);

/* Groups in[0..n) by `by`; pm NULL: every socket has no process. */
void group_build(struct group_set *g, enum group_by by, const struct group_input *in, size_t n,
		 const struct procmap *pm);

/* The group's label into dst ("nginx" for a process, "nginx.service" for
 * a service; raw bytes, not escaped; "" for GROUP_NONE and
 * GROUP_NOSERVICE, which the caller names). Returns its length. */
size_t group_label(const struct group_set *g, const struct group_row *r, const struct procmap *pm,
		   char *dst, size_t len);

/* GROUP_SERVICE: the group's enum cgroup_kind (cgroup.h), 0 otherwise. */
unsigned group_kind(const struct group_set *g, const struct group_row *r);

/* Parses a --group value ("process", "service"); -1 if unknown. */
int group_by_parse(const char *s);
/* "process", "service". */
const char *group_by_name(enum group_by by);

#endif
