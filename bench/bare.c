/* bare.c - the yardstick: the least work that lists sockets with owners.
 *
 * usage: bare [-t]     (-t: TCP only; default TCP, UDP and Unix)
 *        bare -L SECS  (the dump loop: TCP, UDP and Unix dumped once a
 *                       second for SECS seconds, each record only counted;
 *                       prints "bare-loop CPU_PCT DUMPS RECORDS" -- the
 *                       kernel's own cost of a live view at -d 1)
 *
 * A plain libmnl dump (one request per protocol and family, no extensions
 * asked for) plus a full walk of /proc/PID/fd with readdir + readlinkat,
 * joined through an inode hash sized for the fds found, printing one text
 * line per socket with stdio. No sorting, no escaping, no column widths:
 * what any tool that shows sockets with their processes must at least pay.
 * bench/run.sh times sockview against it. Benchmark tool only: it prints
 * and exits, which library code never does. */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

/* One owner per inode is enough for the yardstick (the first one found). */
struct slot {
	uint32_t inode; /* 0: empty */
	uint32_t proc;  /* index into procs */
};

struct proc {
	int pid;
	char comm[20];
};

struct owners {
	struct slot *tab;
	size_t cap, n; /* cap: power of two */
	struct proc *procs;
	size_t nprocs, procs_cap;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("bare");
		exit(1);
	}
	return p;
}

static size_t hash(uint32_t x, size_t cap)
{
	return (size_t)((x * 2654435769u) & (cap - 1));
}

static void owners_put(struct owners *o, uint32_t inode, uint32_t proc)
{
	size_t i;

	if ((o->n + 1) * 2 > o->cap) {
		struct slot *old = o->tab;
		size_t oc = o->cap;

		o->cap = o->cap ? o->cap * 2 : 1024;
		o->tab = calloc(o->cap, sizeof(*o->tab));
		if (!o->tab)
			exit(1);
		for (size_t k = 0; k < oc; k++)
			if (old[k].inode) {
				i = hash(old[k].inode, o->cap);
				while (o->tab[i].inode)
					i = (i + 1) & (o->cap - 1);
				o->tab[i] = old[k];
			}
		free(old);
	}
	for (i = hash(inode, o->cap); o->tab[i].inode; i = (i + 1) & (o->cap - 1))
		if (o->tab[i].inode == inode)
			return;
	o->tab[i].inode = inode;
	o->tab[i].proc = proc;
	o->n++;
}

static const struct proc *owners_get(const struct owners *o, uint32_t inode)
{
	if (!o->cap || !inode)
		return NULL;
	for (size_t i = hash(inode, o->cap); o->tab[i].inode; i = (i + 1) & (o->cap - 1))
		if (o->tab[i].inode == inode)
			return &o->procs[o->tab[i].proc];
	return NULL;
}

static void read_comm(int pid, char *comm, size_t len)
{
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	comm[0] = '\0';
	if (fd < 0)
		return;
	n = read(fd, comm, len - 1);
	close(fd);
	if (n <= 0)
		n = 0;
	if (n > 0 && comm[n - 1] == '\n')
		n--;
	comm[n] = '\0';
}

/* Every fd of every process: readdir + readlinkat, as simple as it gets. */
static void walk_proc(struct owners *o)
{
	DIR *root = opendir("/proc");
	struct dirent *de;

	if (!root) {
		perror("bare: /proc");
		exit(1);
	}
	while ((de = readdir(root))) {
		char path[64], link[64];
		int pid = atoi(de->d_name), dfd;
		DIR *fds;
		struct dirent *fe;
		bool have = false;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd", pid);
		dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			continue;
		fds = fdopendir(dfd);
		if (!fds) {
			close(dfd);
			continue;
		}
		while ((fe = readdir(fds))) {
			ssize_t n;
			unsigned long ino;

			if (fe->d_name[0] == '.')
				continue;
			n = readlinkat(dfd, fe->d_name, link, sizeof(link) - 1);
			if (n <= 8 || memcmp(link, "socket:[", 8) != 0)
				continue;
			link[n] = '\0';
			ino = strtoul(link + 8, NULL, 10);
			if (!ino || ino > UINT32_MAX)
				continue;
			if (!have) {
				struct proc *p;

				if (o->nprocs == o->procs_cap) {
					o->procs_cap = o->procs_cap ? o->procs_cap * 2 : 256;
					o->procs = xrealloc(o->procs, o->procs_cap * sizeof(*o->procs));
				}
				p = &o->procs[o->nprocs++];
				p->pid = pid;
				read_comm(pid, p->comm, sizeof(p->comm));
				have = true;
			}
			owners_put(o, (uint32_t)ino, (uint32_t)(o->nprocs - 1));
		}
		closedir(fds);
	}
	closedir(root);
}

static const char *const states[] = {
	"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
	"TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
	"NEW-SYN-RECV",
};

struct ctx {
	const struct owners *o;
	const char *proto;
	uint32_t seq;
	unsigned long lines;
	bool quiet; /* -L: count records, print nothing */
};

static const char *state_name(unsigned st)
{
	return st < sizeof(states) / sizeof(states[0]) ? states[st] : "?";
}

static void print_owner(const struct ctx *c, uint32_t inode)
{
	const struct proc *p = owners_get(c->o, inode);

	if (p)
		printf(" users:((\"%s\",pid=%d))\n", p->comm, p->pid);
	else
		putchar('\n');
}

static int inet_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ctx *c = data;
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN];

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return MNL_CB_OK;
	if (c->quiet) {
		c->lines++;
		return MNL_CB_OK;
	}
	inet_ntop(m->idiag_family, m->id.idiag_src, l, sizeof(l));
	inet_ntop(m->idiag_family, m->id.idiag_dst, r, sizeof(r));
	printf("%s %s %u %u %s:%u %s:%u", c->proto, state_name(m->idiag_state),
	       m->idiag_rqueue, m->idiag_wqueue, l, ntohs(m->id.idiag_sport), r,
	       ntohs(m->id.idiag_dport));
	print_owner(c, m->idiag_inode);
	c->lines++;
	return MNL_CB_OK;
}

static int unix_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ctx *c = data;
	const struct unix_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	char name[110] = "*";
	uint32_t peer = 0;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return MNL_CB_OK;
	if (c->quiet) {
		c->lines++;
		return MNL_CB_OK;
	}
	mnl_attr_for_each(a, nlh, sizeof(*m)) {
		size_t len = mnl_attr_get_payload_len(a);

		if (mnl_attr_get_type(a) == UNIX_DIAG_NAME && len && len < sizeof(name)) {
			memcpy(name, mnl_attr_get_payload(a), len);
			name[len] = '\0';
			if (name[0] == '\0')
				name[0] = '@';
		} else if (mnl_attr_get_type(a) == UNIX_DIAG_PEER && len >= 4) {
			peer = mnl_attr_get_u32(a);
		}
	}
	printf("u_%s %s 0 0 %s %u * %u", m->udiag_type == SOCK_STREAM ? "str" : "dgr",
	       state_name(m->udiag_state), name, m->udiag_ino, peer);
	print_owner(c, m->udiag_ino);
	c->lines++;
	return MNL_CB_OK;
}

static void dump(struct mnl_socket *nl, struct ctx *c, int family, int proto)
{
	char buf[32768] __attribute__((aligned(8)));
	static char rx[65536] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	uint32_t portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int r;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++c->seq;
	if (family == AF_UNIX) {
		struct unix_diag_req *u = mnl_nlmsg_put_extra_header(nlh, sizeof(*u));

		u->sdiag_family = AF_UNIX;
		u->udiag_states = ~0u;
		u->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER;
	} else {
		struct inet_diag_req_v2 *q = mnl_nlmsg_put_extra_header(nlh, sizeof(*q));

		q->sdiag_family = (uint8_t)family;
		q->sdiag_protocol = (uint8_t)proto;
		q->idiag_states = ~0u;
	}
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("bare: send");
		exit(1);
	}
	do {
		n = mnl_socket_recvfrom(nl, rx, sizeof(rx));
		if (n <= 0)
			break;
		r = mnl_cb_run(rx, (size_t)n, c->seq, portid,
			       family == AF_UNIX ? unix_cb : inet_cb, c);
	} while (r > 0);
}

static double now_s(int clk)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* -L: what dumping costs at one dump a second, as the live view does. */
static int dump_loop(int secs)
{
	struct ctx c = { .quiet = true };
	struct mnl_socket *nl = mnl_socket_open(NETLINK_SOCK_DIAG);
	double t0, c0;
	unsigned long dumps = 0;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("bare: netlink");
		return 1;
	}
	c.seq = (uint32_t)time(NULL);
	t0 = now_s(CLOCK_MONOTONIC);
	c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	for (int i = 0; i < secs; i++) {
		double due = t0 + i + 1;

		dump(nl, &c, AF_INET, IPPROTO_TCP);
		dump(nl, &c, AF_INET6, IPPROTO_TCP);
		dump(nl, &c, AF_INET, IPPROTO_UDP);
		dump(nl, &c, AF_INET6, IPPROTO_UDP);
		dump(nl, &c, AF_UNIX, 0);
		dumps++;
		while (now_s(CLOCK_MONOTONIC) < due) {
			double left = due - now_s(CLOCK_MONOTONIC);
			struct timespec ts = { (time_t)left, (long)((left - (time_t)left) * 1e9) };

			nanosleep(&ts, NULL);
		}
	}
	printf("bare-loop\t%.2f\t%lu\t%lu\n",
	       100.0 * (now_s(CLOCK_PROCESS_CPUTIME_ID) - c0) / (now_s(CLOCK_MONOTONIC) - t0), dumps,
	       dumps ? c.lines / dumps : 0);
	mnl_socket_close(nl);
	return 0;
}

int main(int argc, char **argv)
{
	struct owners o = { 0 };
	struct ctx c = { .o = &o };
	struct mnl_socket *nl;
	bool tcp_only = argc > 1 && strcmp(argv[1], "-t") == 0;
	static char out[1 << 16];

	if (argc > 2 && strcmp(argv[1], "-L") == 0)
		return dump_loop(atoi(argv[2]));
	setvbuf(stdout, out, _IOFBF, sizeof(out));
	walk_proc(&o);
	nl = mnl_socket_open(NETLINK_SOCK_DIAG);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("bare: netlink");
		return 1;
	}
	c.seq = (uint32_t)time(NULL);
	c.proto = "tcp";
	dump(nl, &c, AF_INET, IPPROTO_TCP);
	dump(nl, &c, AF_INET6, IPPROTO_TCP);
	if (!tcp_only) {
		c.proto = "udp";
		dump(nl, &c, AF_INET, IPPROTO_UDP);
		dump(nl, &c, AF_INET6, IPPROTO_UDP);
		dump(nl, &c, AF_UNIX, 0);
	}
	mnl_socket_close(nl);
	fflush(stdout);
	free(o.tab);
	free(o.procs);
	return 0;
}
