/* test_dgroup.c - the destroy messages through the receive seam: a dying
 * socket per message, the group says the protocol, ENOBUFS reaches the
 * caller (and becomes a gap in the tracker), hostile datagrams (truncated,
 * wrong group, garbage) are skipped and counted. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <cmocka.h>

#include "dgroup.h"
#include "events.h"

/* A scripted receive: each step is a datagram (len > 0), or an errno. */
struct step {
	uint8_t data[512];
	size_t len;
	unsigned group;
	int err;
};

struct script {
	struct step steps[8];
	size_t n, at;
};

static ssize_t fake_recv(void *ctx, void *buf, size_t len, unsigned *group)
{
	struct script *s = ctx;
	const struct step *st;

	if (s->at >= s->n) {
		errno = EAGAIN;
		return -1;
	}
	st = &s->steps[s->at++];
	if (st->err) {
		errno = st->err;
		return -1;
	}
	memcpy(buf, st->data, st->len < len ? st->len : len);
	*group = st->group;
	return (ssize_t)st->len;
}

/* A destroy message as the kernel sends it. */
static void msg(struct step *st, unsigned group, uint64_t cookie, uint16_t sport)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)st->data;
	struct inet_diag_msg *m = (struct inet_diag_msg *)NLMSG_DATA(nh);

	memset(st, 0, sizeof(*st));
	nh->nlmsg_len = NLMSG_LENGTH(sizeof(*m));
	nh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	m->idiag_family = AF_INET;
	m->idiag_state = 7; /* TCP_CLOSE */
	m->id.idiag_sport = htons(sport);
	m->id.idiag_dport = htons(80);
	m->id.idiag_src[0] = htonl(0x7f000001);
	m->id.idiag_dst[0] = htonl(0x7f000001);
	m->id.idiag_cookie[0] = (uint32_t)cookie;
	m->id.idiag_cookie[1] = (uint32_t)(cookie >> 32);
	st->len = nh->nlmsg_len;
	st->group = group;
}

struct seen {
	struct sock s[8];
	size_t n;
};

static void on_sock(void *ctx, const struct sock *rec)
{
	struct seen *v = ctx;

	assert_true(v->n < 8);
	v->s[v->n++] = *rec;
}

static void test_read(void **state)
{
	struct script sc = { .n = 0 };
	struct seen v = { .n = 0 };
	struct destroy *d;

	(void)state;
	msg(&sc.steps[sc.n++], SKNLGRP_INET_TCP_DESTROY, 11, 1000);
	msg(&sc.steps[sc.n++], SKNLGRP_INET_UDP_DESTROY, 12, 1001);
	/* hostile: a truncated message, an unknown group, garbage */
	msg(&sc.steps[sc.n], SKNLGRP_INET_TCP_DESTROY, 13, 1002);
	sc.steps[sc.n++].len = 30;
	msg(&sc.steps[sc.n++], 77, 14, 1003);
	memset(&sc.steps[sc.n], 0xff, sizeof(sc.steps[sc.n]));
	sc.steps[sc.n].err = 0;
	sc.steps[sc.n].group = SKNLGRP_INET6_TCP_DESTROY;
	sc.steps[sc.n++].len = 200;
	d = destroy_new_fake(fake_recv, &sc);
	assert_int_equal(destroy_fd(d), -1);
	assert_int_equal(destroy_read(d, 100, on_sock, &v), 2);
	assert_int_equal(v.n, 2);
	assert_int_equal(v.s[0].proto, SP_TCP);
	assert_int_equal(v.s[0].cookie, 11);
	assert_int_equal(v.s[0].lport, 1000);
	assert_int_equal(v.s[1].proto, SP_UDP);
	assert_int_equal(v.s[1].key.cookie, 12);
	assert_int_equal(destroy_bad(d), 3);
	destroy_free(d);
}

struct gapctx {
	struct ev_tracker *t;
	size_t gaps, deaths;
};

static void on_event(void *ctx, const struct ev_event *e)
{
	struct gapctx *g = ctx;

	if (e->kind == EV_GAP)
		g->gaps++;
	if (e->kind == EV_GONE)
		g->deaths++;
}

static void on_dying(void *ctx, const struct sock *rec)
{
	struct gapctx *g = ctx;

	ev_tracker_destroyed(g->t, rec, 100);
}

/* ENOBUFS: the messages before it count, the error reaches the caller,
 * which marks a gap; reading goes on afterwards. */
static void test_enobufs_gap(void **state)
{
	struct script sc = { .n = 0 };
	struct gapctx g = { NULL, 0, 0 };
	struct destroy *d;
	int r;

	(void)state;
	g.t = ev_tracker_new(NULL, on_event, &g);
	msg(&sc.steps[sc.n++], SKNLGRP_INET_TCP_DESTROY, 21, 2000);
	sc.steps[sc.n++].err = ENOBUFS;
	msg(&sc.steps[sc.n++], SKNLGRP_INET_TCP_DESTROY, 22, 2001);
	d = destroy_new_fake(fake_recv, &sc);
	r = destroy_read(d, 100, on_dying, &g);
	assert_int_equal(r, -1);
	assert_int_equal(errno, ENOBUFS);
	ev_tracker_gap(g.t, 100); /* what the caller does */
	assert_int_equal(destroy_read(d, 100, on_dying, &g), 1);
	assert_int_equal(g.gaps, 1);
	assert_int_equal(g.deaths, 2); /* nothing invented */
	destroy_free(d);
	ev_tracker_free(g.t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_enobufs_gap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
