/* procread.h - reading one process of a /proc tree (source layer; the
 * half of procscan that makes system calls).
 *
 * procread_one() reads a process's fd links and, when it holds sockets, its
 * name, uid, network namespace and (if asked) cgroup, into a record. It
 * touches no shared state: what it reads goes into the caller's buffer and
 * record, so several threads may read different processes at once, each
 * with its own struct procread_buf (procscan_full_work). Applying a record
 * to the process map and to the scanner's state (procscan.c) is the other
 * half, done by one thread. */
#ifndef SOCKVIEW_PROCREAD_H
#define SOCKVIEW_PROCREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"
#include "procmap.h"
#include "procscan.h"

/* getdents64 buffer: /proc hands out at most a page of entries per call
 * anyway, and big fd tables need a few calls whatever the size. */
#define PROCREAD_DBUF_LEN 32768

/* Walks a directory with getdents64 into a caller's buffer: no DIR
 * allocation per process, and the entry type comes for free. */
struct dirwalk {
	int fd;
	char *buf;
	size_t cap;
	ssize_t len, off;
	int err; /* errno of a failed read, 0 at a clean end */
};

void dirwalk_init(struct dirwalk *w, int fd, char *buf, size_t cap);
/* The next entry other than "." and "..", with its d_type in *type; NULL at
 * the end or on error (w->err). */
const char *dirwalk_next(struct dirwalk *w, unsigned char *type);
/* Counts the entries of the open directory dfd; -1 with errno on error. */
int64_t procread_count_entries(int dfd);
/* Parses a canonical decimal (no sign, no leading zero) in 1..INT32_MAX. */
bool procread_parse_id(const char *s, int32_t *out);

/* A socket fd found in a process. */
struct procread_fd {
	uint32_t inode;
	int32_t fd;
};

/* One reader's storage: its getdents buffer and the socket fds it found
 * (records point into found by offset; procread_one appends). */
struct procread_buf {
	char *dbuf; /* PROCREAD_DBUF_LEN bytes */
	struct procread_fd *found;
	size_t nfound, found_cap;
};

void procread_buf_init(struct procread_buf *b);
void procread_buf_free(struct procread_buf *b);

/* What the read of one process came to. */
enum procread_outcome {
	PR_SOCKETS, /* read whole; holds sockets: the identity is filled */
	PR_NONE,    /* read whole; no socket: it leaves the map */
	PR_NOFD,    /* fd/ could not be opened: it leaves the map */
	PR_KEEP,    /* an odd error: the map keeps its old entries */
	PR_GONE,    /* it vanished */
};

/* The record of one read. */
struct procread_rec {
	uint8_t outcome;   /* enum procread_outcome */
	int8_t hidden;     /* fd/ unreadable (EACCES): 1, readable: 0,
			    * unknown: -1 (the old flag stays) */
	bool dirty;        /* read it again at the next call */
	bool has_netns;
	bool has_cg;       /* cg is filled (cgroups were asked for) */
	int fd_errno;      /* EMFILE/ENFILE met opening fd/ (0: none) */
	size_t links;      /* fd links read */
	size_t first, nfound; /* PR_SOCKETS: its fds, buf->found[first..] */
	struct procscan_sig sig; /* the signature now (in: the old one) */
	char comm[PROCMAP_COMM_MAX];
	size_t clen;
	long uid;
	uint32_t netns;
	struct cgroup_info cg; /* parsed; the runtime's name is added later */
};

/* How to read (the scanner's settings, read-only while readers run). */
struct procread_opts {
	bool size_probe; /* st_size of fd/ counts open fds */
	bool cgroups;    /* read /proc/PID/cgroup too */
	int32_t self_pid; /* our pid as the root shows it (0: not procfs) */
};

/* Reads process pid under rootfd into *r, whose sig holds the signature of
 * the last read (kept where this read learns nothing new). Socket fds are
 * appended to b->found from r->first on. Returns the work done: 1 + links
 * read. */
size_t procread_one(int rootfd, int32_t pid, const struct procread_opts *o,
		    struct procread_buf *b, struct procread_rec *r);

#endif
