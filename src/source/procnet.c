/* procnet.c - raw sockets from /proc/net/raw{,6} (no raw_diag). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "procnet.h"
#include "xalloc.h"

#define MAX_FIELDS 16

struct field {
	const char *p;
	size_t n;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly n hex digits at p. */
static bool hex_n(const char *p, size_t n, uint32_t *out)
{
	uint32_t v = 0;

	if (n == 0 || n > 8)
		return false;
	for (size_t i = 0; i < n; i++) {
		int d = hexval(p[i]);

		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

/* A decimal number that fits 32 bits (a leading '-' allowed if neg_ok:
 * the timeout column can be negative; its value is not used). */
static bool dec_u32(const struct field *f, uint32_t *out, bool neg_ok)
{
	uint64_t v = 0;
	size_t i = 0;

	if (neg_ok && f->n > 1 && f->p[0] == '-')
		i = 1;
	if (i >= f->n || f->n - i > 10)
		return false;
	for (; i < f->n; i++) {
		if (f->p[i] < '0' || f->p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(f->p[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* "ADDR:PORT": the address as words of 8 hex digits each (1 for IPv4, 4
 * for IPv6), each the kernel's u32 printed in host order, then 4 hex digits
 * of port. */
static bool addr_port(const struct field *f, int family, uint8_t addr[16], uint16_t *port)
{
	size_t words = family == AF_INET ? 1 : 4;
	uint32_t v;

	if (f->n != words * 8 + 1 + 4 || f->p[words * 8] != ':')
		return false;
	for (size_t i = 0; i < words; i++) {
		if (!hex_n(f->p + i * 8, 8, &v))
			return false;
		memcpy(addr + i * 4, &v, 4);
	}
	if (!hex_n(f->p + words * 8 + 1, 4, &v))
		return false;
	*port = (uint16_t)v;
	return true;
}

/* "HEX:HEX" with 8 digits each side (tx_queue:rx_queue). */
static bool hex_pair(const struct field *f, uint32_t *a, uint32_t *b)
{
	return f->n == 17 && f->p[8] == ':' && hex_n(f->p, 8, a) && hex_n(f->p + 9, 8, b);
}

/* Splits a line at spaces; any other byte below 0x21 or above 0x7e makes
 * it no kernel line. Returns the number of fields, or -1. */
static int split(const char *p, size_t n, struct field *fs)
{
	int nf = 0;
	size_t i = 0;

	while (i < n) {
		size_t s;

		if (p[i] == ' ') {
			i++;
			continue;
		}
		if ((unsigned char)p[i] < 0x21 || (unsigned char)p[i] > 0x7e)
			return -1;
		if (nf == MAX_FIELDS)
			return -1;
		s = i;
		while (i < n && p[i] != ' ') {
			if ((unsigned char)p[i] < 0x21 || (unsigned char)p[i] > 0x7e)
				return -1;
			i++;
		}
		fs[nf].p = p + s;
		fs[nf].n = i - s;
		nf++;
	}
	return nf;
}

/* One line: true if it was a socket (appended). *header: it was the
 * header line (no socket, not malformed either). */
static bool parse_line(const char *p, size_t n, int family, struct snapshot *snap,
		       bool *header)
{
	struct field fs[MAX_FIELDS];
	uint8_t laddr[16] = { 0 }, raddr[16] = { 0 };
	uint16_t lport, rport;
	uint32_t st, tx, rx, uid, timeout, inode, drops = 0, v;
	int nf = split(p, n, fs);
	struct sock *s;

	*header = false;
	if (nf > 0 && fs[0].n == 2 && !memcmp(fs[0].p, "sl", 2)) {
		*header = true;
		return false;
	}
	/* sl: local rem st tx:rx tr:when retrnsmt uid timeout inode [ref ptr drops] */
	if (nf < 10)
		return false;
	if (fs[0].n < 2 || fs[0].p[fs[0].n - 1] != ':')
		return false;
	{
		struct field sl = { fs[0].p, fs[0].n - 1 };

		if (!dec_u32(&sl, &v, false))
			return false;
	}
	if (!addr_port(&fs[1], family, laddr, &lport) || !addr_port(&fs[2], family, raddr, &rport))
		return false;
	if (!hex_n(fs[3].p, fs[3].n, &st) || fs[3].n != 2 || st == 0 || st >= SS_MAX_)
		return false;
	if (!hex_pair(&fs[4], &tx, &rx))
		return false;
	if (!dec_u32(&fs[7], &uid, false) || !dec_u32(&fs[8], &timeout, true) ||
	    !dec_u32(&fs[9], &inode, false))
		return false;
	if (nf >= 13 && !dec_u32(&fs[12], &drops, false))
		return false;
	s = snapshot_add(snap);
	s->proto = SP_RAW;
	s->family = (uint8_t)family;
	s->type = SOCK_RAW;
	s->state = (uint8_t)st;
	s->source = SOCK_SRC_PROC;
	memcpy(s->laddr, laddr, sizeof(laddr));
	memcpy(s->raddr, raddr, sizeof(raddr));
	s->lport = lport; /* the protocol number, as ss shows it */
	s->rport = rport;
	s->send_q = tx;
	s->recv_q = rx;
	s->uid = uid;
	s->inode = inode;
	s->has = SOCK_HAS_QUEUE | SOCK_HAS_UID;
	if (nf >= 13) {
		snapshot_ext(snap, s)->drops = drops;
		s->has |= SOCK_HAS_DROPS;
	}
	s->key.inode = inode;
	s->key.proto = SP_RAW;
	s->key.family = (uint8_t)family;
	return true;
}

size_t procnet_raw_parse(const char *buf, size_t len, int family, struct snapshot *snap,
			 struct procnet_stats *st)
{
	size_t off = 0, added = 0, skipped = 0;

	if (family != AF_INET && family != AF_INET6)
		return 0;
	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;
		bool header;

		if (n > PROCNET_LINE_MAX)
			skipped++;
		else if (parse_line(buf + off, n, family, snap, &header))
			added++;
		else if (!header && n)
			skipped++;
		off += n + (nl ? 1 : 0);
	}
	if (st) {
		st->records += added;
		st->skipped += skipped;
	}
	return added;
}

int procnet_raw_read(const char *path, int family, struct snapshot *snap,
		     struct procnet_stats *st)
{
	size_t cap = 16384, len = 0;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -1;
	buf = xmalloc(cap);
	for (;;) {
		ssize_t r;

		if (len == cap) {
			if (cap >= PROCNET_READ_MAX) {
				err = EFBIG;
				break;
			}
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = errno;
			break;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (err && err != EFBIG) {
		free(buf);
		errno = err;
		return -1;
	}
	if (err == EFBIG) {
		/* keep whole lines only */
		while (len && buf[len - 1] != '\n')
			len--;
	}
	procnet_raw_parse(buf, len, family, snap, st);
	free(buf);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
