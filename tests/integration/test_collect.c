/* test_collect.c - collection cycles against the real kernel and /proc. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "clock.h"
#include "collect.h"
#include "options.h"
#include "snapshot.h"

static void opts(struct collect_config *cfg, bool once, enum out_format fmt)
{
	struct options o;

	memset(&o, 0, sizeof(o));
	o.protos = SP_MASK(SP_TCP);
	o.families = SF_INET;
	o.delay_ms = 1000;
	o.once = once;
	o.format = fmt;
	options_collect_config(&o, cfg);
}

/* A TCP listener on 127.0.0.1 and its inode. */
static int listener(uint32_t *inode)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct stat st;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(fstat(fd, &st), 0);
	*inode = (uint32_t)st.st_ino;
	return fd;
}

static const struct sock *find_inode(const struct snapshot *s, uint32_t inode)
{
	const struct sock *r = snapshot_find_inode(s, inode);

	assert_non_null(r);
	return r;
}

static bool owned_by_us(const struct procmap *pm, uint32_t inode)
{
	struct proc_owner own[8];
	size_t n = procmap_owners(pm, inode, own, 8);

	for (size_t i = 0; i < n && i < 8; i++)
		if (own[i].pid == getpid())
			return true;
	return false;
}

/* Runs one live cycle to its end the way the UI loop does (poll the fd
 * collect_fd() names, step when readable). Returns how many steps found
 * the process phase's fd (readable at once, not the netlink socket). */
static unsigned live_cycle(struct collect *c, struct snapshot *snap)
{
	int64_t deadline = clock_now_ms() + 20000;
	int nl_fd = collect_fd(c);
	unsigned proc_steps = 0;
	int r = 1;

	assert_int_equal(collect_start(c, snap), 0);
	while (r == 1) {
		struct pollfd p = { .fd = collect_fd(c), .events = POLLIN };

		assert_true(clock_now_ms() < deadline);
		assert_true(collect_busy(c));
		assert_true(p.fd >= 0);
		if (p.fd != nl_fd) {
			/* process phase: the fd is readable right away */
			assert_int_equal(poll(&p, 1, 0), 1);
			proc_steps++;
		} else {
			assert_true(poll(&p, 1, 5000) >= 0);
		}
		r = collect_step(c);
	}
	assert_int_equal(r, 0);
	assert_false(collect_busy(c));
	return proc_steps;
}

/* The live view: the dump, then the process map in bounded steps; our own
 * listener is found and mapped to us, in the first cycle and after. */
static void test_live_cycles(void **state)
{
	struct collect_config o;
	char err[256];
	struct collect *c;
	struct snapshot snap;
	uint32_t ino, ino2;
	int l = listener(&ino), l2;

	(void)state;
	opts(&o, false, FMT_TABLE);
	c = collect_new(&o, err, sizeof(err));
	assert_non_null(c);
	snapshot_init(&snap);
	live_cycle(c, &snap);
	find_inode(&snap, ino);
	/* the first refresh scans within its budget: a small machine whole */
	for (int i = 0; i < 20 && !owned_by_us(collect_procmap(c), ino); i++)
		live_cycle(c, &snap);
	assert_true(owned_by_us(collect_procmap(c), ino));
	/* the live view keeps tcp_info */
	assert_true(find_inode(&snap, ino)->has & SOCK_HAS_TCP);

	/* a new socket is found by the next cycles (changed process) */
	l2 = listener(&ino2);
	for (int i = 0; i < 20 && !owned_by_us(collect_procmap(c), ino2); i++)
		live_cycle(c, &snap);
	find_inode(&snap, ino2);
	assert_true(owned_by_us(collect_procmap(c), ino2));

	/* cancelled in the middle: the next cycle starts cleanly */
	assert_int_equal(collect_start(c, &snap), 0);
	collect_cancel(c);
	assert_false(collect_busy(c));
	live_cycle(c, &snap);
	find_inode(&snap, ino2);

	close(l);
	close(l2);
	snapshot_free(&snap);
	collect_free(c);
}

/* Batch mode asks for tcp_info only where it is printed (JSON). */
static void test_batch_tcp_info(void **state)
{
	struct collect_config o;
	char err[256];
	struct collect *c;
	struct snapshot snap;
	uint32_t ino;
	int l = listener(&ino);

	(void)state;
	snapshot_init(&snap);
	opts(&o, true, FMT_TABLE);
	c = collect_new(&o, err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(collect_once(c, &snap), 0);
	assert_false(find_inode(&snap, ino)->has & (SOCK_HAS_TCP | SOCK_HAS_CONG | SOCK_HAS_MEM));
	assert_true(owned_by_us(collect_procmap(c), ino));
	/* the caller can still ask for it */
	collect_set_tcp_info(c, true);
	assert_int_equal(collect_once(c, &snap), 0);
	assert_true(find_inode(&snap, ino)->has & SOCK_HAS_TCP);
	collect_free(c);

	opts(&o, true, FMT_JSON);
	c = collect_new(&o, err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(collect_once(c, &snap), 0);
	assert_true(find_inode(&snap, ino)->has & SOCK_HAS_TCP);
	collect_free(c);

	close(l);
	snapshot_free(&snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_cycles),
		cmocka_unit_test(test_batch_tcp_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
