/* fuzz_filter.c - fuzz target: the filter language (src/filter.h) and the
 * kernel prefilter derived from it (src/filter_bc.h).
 *
 * The input is the expression text. Properties:
 *  - a rejected expression gets a message that is NUL-terminated, safe to
 *    print (valid UTF-8, no control), and a position inside the text;
 *  - an accepted one keeps its text, and for a set of sample sockets
 *    (hostile names and process names among them) every socket it matches
 *    is within filter_protos(), filter_families() and the kernel states
 *    bitmap, and the bytecode is a whole number of instructions within
 *    FILTER_BC_MAX. Name lookups are fakes: no I/O while fuzzing. */
#include "config.h"

#include <arpa/inet.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "filter.h"
#include "filter_bc.h"
#include "fuzz.h"
#include "procmap.h"
#include "sock.h"
#include "xalloc.h"
#include "utext.h"

/* Longer inputs only test the length check again and again. */
#define FUZZ_FILTER_MAX (FILTER_MAX_LEN + 64)

static int fake_service(const char *name, void *ctx)
{
	(void)ctx;
	if (!strcmp(name, "ssh"))
		return 22;
	if (!strcmp(name, "http"))
		return 80;
	return -1;
}

static long fake_user(const char *name, void *ctx)
{
	(void)ctx;
	if (!strcmp(name, "root"))
		return 0;
	if (!strcmp(name, "nobody"))
		return 65534;
	return -1;
}

/* Host names, interfaces, cgroups and the port range: fixed answers, no
 * I/O (a DNS query per input would stall the fuzzer). */
static int fake_host(const char *name, int family, struct filter_addr *out, size_t max,
		     void *ctx)
{
	(void)ctx;
	if (strcmp(name, "localhost") || max < 2)
		return -1;
	memset(out, 0, 2 * sizeof(*out));
	out[0].family = AF_INET;
	out[0].addr[0] = 127;
	out[0].addr[3] = 1;
	out[1].family = AF_INET6;
	out[1].addr[15] = 1;
	if (family == AF_INET6)
		out[0] = out[1];
	return family ? 1 : 2;
}

static long fake_ifindex(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "lo") ? 1 : -1;
}

static int fake_cgroup(const char *path, uint64_t *id, void *ctx)
{
	(void)ctx;
	*id = 1 + strlen(path);
	return path[0] == '/' ? 0 : -1;
}

static int fake_ephemeral(unsigned *lo, unsigned *hi, void *ctx)
{
	(void)ctx;
	*lo = 32768;
	*hi = 60999;
	return 0;
}

static const struct filter_names names = {
	.service = fake_service, .user = fake_user, .host = fake_host,
	.ifindex = fake_ifindex, .cgroup = fake_cgroup, .ephemeral = fake_ephemeral,
};

#define NSAMPLES 9
static struct sock samples[NSAMPLES];
static struct procmap *pm;

static void inet(struct sock *s, unsigned proto, int family, const char *la, unsigned lp,
		 const char *ra, unsigned rp, unsigned state, uint32_t inode)
{
	memset(s, 0, sizeof(*s));
	s->proto = s->key.proto = (uint8_t)proto;
	s->family = s->key.family = (uint8_t)family;
	s->type = proto == SP_TCP ? SOCK_STREAM : proto == SP_UDP ? SOCK_DGRAM : SOCK_RAW;
	s->state = (uint8_t)state;
	if (inet_pton(family, la, s->laddr) != 1 || inet_pton(family, ra, s->raddr) != 1)
		fuzz_fail("bad sample address", la, strlen(la));
	s->lport = (uint16_t)lp;
	s->rport = (uint16_t)rp;
	s->inode = s->key.inode = inode;
	s->cookie = s->key.cookie = inode + 1000u;
	if (inode) {
		s->has = SOCK_HAS_UID;
		s->uid = inode % 2 ? 1000 : 0;
	}
}

static void unix_sock(struct sock *s, const char *name, size_t len, unsigned type,
		      unsigned state, uint32_t inode)
{
	memset(s, 0, sizeof(*s));
	s->proto = s->key.proto = SP_UNIX;
	s->family = s->key.family = AF_UNIX;
	s->type = (uint8_t)type;
	s->state = (uint8_t)state;
	s->has = SOCK_HAS_NAME | SOCK_HAS_UID | SOCK_HAS_PEER;
	memcpy(ut_ext(s)->name, name, len);
	ut_ext(s)->name_len = (uint8_t)len;
	s->inode = s->key.inode = inode;
	s->cookie = s->key.cookie = inode + 1000u;
	s->uid = 65534;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* NOLINTNEXTLINE(misc-misleading-bidirectional): a bidi override on purpose */
	static const char evil_abstract[] = "\0ev\x1b]0;x\x07il\xe2\x80\xae\xff";
	static const char evil_comm[] = "w) S 1 1 (\x1b[2J";

	(void)argc;
	(void)argv;
	setlocale(LC_CTYPE, "C.UTF-8");
	inet(&samples[0], SP_TCP, AF_INET, "127.0.0.1", 22, "0.0.0.0", 0, SS_LISTEN, 100);
	inet(&samples[1], SP_TCP, AF_INET6, "::1", 8080, "::1", 40000, SS_ESTABLISHED, 101);
	inet(&samples[2], SP_UDP, AF_INET, "0.0.0.0", 53, "0.0.0.0", 0, SS_CLOSE, 102);
	inet(&samples[3], SP_TCP, AF_INET, "10.1.2.3", 443, "192.168.1.9", 51000,
	     SS_TIME_WAIT, 0);
	inet(&samples[4], SP_UDP, AF_INET6, "::ffff:10.1.2.3", 5000, "::ffff:127.0.0.1", 80,
	     SS_ESTABLISHED, 105);
	inet(&samples[5], SP_RAW, AF_INET6, "fe80::1", 58, "::", 0, SS_CLOSE, 106);
	unix_sock(&samples[6], "/run/x.sock", 11, SOCK_STREAM, SS_LISTEN, 103);
	unix_sock(&samples[7], evil_abstract, sizeof(evil_abstract) - 1, SOCK_DGRAM, SS_CLOSE,
		  104);
	unix_sock(&samples[8], "", 0, SOCK_STREAM, SS_ESTABLISHED, 107);
	pm = procmap_new();
	procmap_set_proc(pm, 1, "nginx", 5, 0);
	procmap_set_proc(pm, 4242, evil_comm, sizeof(evil_comm) - 1, 1000);
	procmap_add_owner(pm, 100, 1, 3);
	procmap_add_owner(pm, 103, 1, 4);
	procmap_add_owner(pm, 101, 4242, 5);
	procmap_add_owner(pm, 104, 4242, 6);
	procmap_add_owner(pm, 104, 1, 9);
	return 0;
}

static void check_error(const char *text, size_t len, const struct filter_error *e)
{
	size_t n = strnlen(e->msg, sizeof(e->msg));

	if (n == sizeof(e->msg) || !n)
		fuzz_fail("error message empty or not NUL-terminated", e->msg, n);
	fuzz_check_safe("filter error message", e->msg, n, false, false);
	if (strnlen(e->token, sizeof(e->token)) == sizeof(e->token))
		fuzz_fail("error token not NUL-terminated", e->token, sizeof(e->token));
	if (e->offset > len || e->length > len - e->offset || e->column < 1 ||
	    e->column > e->offset + 1)
		fuzz_fail("error position outside the text", text, len);
}

/* The bytecode is whole instructions (4-byte units) within the limit. */
static void check_bytecode(const char *text, size_t len, const void *bc, size_t bclen)
{
	if ((bc == NULL) != (bclen == 0) || bclen % 4 || bclen > FILTER_BC_MAX)
		fuzz_fail("kernel bytecode of a bad size", text, len);
}

static void check_filter(const struct filter *f, const char *text, size_t len)
{
	unsigned protos = filter_protos(f);
	uint32_t states;
	void *bc;
	size_t bclen;

	if (strcmp(filter_text(f), text))
		fuzz_fail("filter_text() differs from the expression", text, len);
	if (protos & ~SP_MASK_ALL)
		fuzz_fail("filter_protos() outside SP_MASK_ALL", text, len);
	filter_uses_processes(f);
	filter_is_empty(f);
	if (filter_kernel(f, &states, &bc, &bclen) < 0)
		fuzz_fail("filter_kernel() failed", text, len);
	check_bytecode(text, len, bc, bclen);
	free(bc);

	for (size_t i = 0; i < NSAMPLES; i++) {
		const struct sock *s = &samples[i];
		bool inet = s->family != AF_UNIX;
		unsigned fam = s->family == AF_INET ? SF_INET : SF_INET6;
		bool exact;

		for (int with_pm = 0; with_pm < 2; with_pm++) {
			if (!filter_matches(f, s, with_pm ? pm : NULL))
				continue;
			if (!(protos & SP_MASK(s->proto)))
				fuzz_fail("a match outside filter_protos()", text, len);
			if (inet && !(filter_families(f, s->proto) & fam))
				fuzz_fail("a match outside filter_families()", text, len);
			if (!inet && !filter_families(f, SP_UNIX))
				fuzz_fail("a Unix match but filter_families(unix) is 0", text, len);
			if (filter_kernel(f, &states, &bc, &bclen) < 0)
				fuzz_fail("filter_kernel() failed", text, len);
			free(bc);
			if (!(states & (1u << s->state)))
				fuzz_fail("a match the kernel states bitmap would drop", text, len);
			if (filter_kernel_for(f, SP_MASK(s->proto), inet ? s->family : 0, &states,
					      &bc, &bclen, &exact) < 0)
				fuzz_fail("filter_kernel_for() failed", text, len);
			check_bytecode(text, len, bc, bclen);
			free(bc);
			if (!(states & (1u << s->state)))
				fuzz_fail("a match the per-request states bitmap would drop", text,
					  len);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filter_error err;
	struct filter *f;
	char *text;
	size_t len;

	if (size > FUZZ_FILTER_MAX)
		size = FUZZ_FILTER_MAX;
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	len = strlen(text);
	memset(&err, 0x5a, sizeof(err)); /* whatever is not filled stays visible */
	f = filter_parse_with(text, &names, &err);
	if (!f)
		check_error(text, len, &err);
	else
		check_filter(f, text, len);
	filter_free(f);
	free(text);
	return 0;
}
