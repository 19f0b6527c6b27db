/* tour.c - the guided tour's steps and their checks against the live
 * state (tour.h). */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "epman.h"
#include "i18n.h"
#include "tour.h"

enum tour_check {
	TC_TCP_LISTEN,     /* one of our TCP sockets listens */
	TC_ECHO_BACK,      /* our TCP client is ESTABLISHED and got bytes back */
	TC_UNIX_LISTEN,    /* one of our Unix stream sockets listens */
	TC_UDP,            /* one of our UDP sockets */
	TC_CHAT,           /* a chat server of ours had a client */
	TC_GREETING,       /* a greeting server of ours greeted a client */
	TC_LISTENING,      /* the table shows listening sockets only */
	TC_LAB,            /* a state lab preset finished */
};

static const struct {
	const char *title, *text, *todo, *confirm;
	enum tour_check check;
} steps[] = {
	{ N_("What a socket is"),
	  N_("A socket is one end of a conversation between programs. A server makes one "
	     "with socket(), gives it an address with bind() and waits for clients with "
	     "listen(). Every row of the table is a socket of this machine."),
	  N_("Open a TCP echo server: n, then 1, then Enter (the defaults are fine)."),
	  N_("Your server is in the table: a LISTEN row marked as sockview's."),
	  TC_TCP_LISTEN },
	{ N_("The echo server and its client"),
	  N_("A client connect()s to the server; the server accept()s: each side gets a "
	     "socket, two ESTAB (established) rows. The echo server sends back what it receives."),
	  N_("Open a client: n, then 5, Enter; type hello and Enter in its pane."),
	  N_("Connected, and the echo came back: see the two ESTAB rows."),
	  TC_ECHO_BACK },
	{ N_("Network sockets and Unix sockets"),
	  N_("Network sockets have an IP address and a port (127.0.0.1:5000, [::1]:5000). "
	     "Unix sockets are files (/run/...) or @names, for programs on this machine "
	     "only: Proto u_str, u_dgr, u_seq."),
	  N_("Open an echo server on a Unix socket: n, 1, Right until Transport says Unix "
	     "stream, Enter."),
	  N_("A u_str LISTEN row: its address is a path, not a port."),
	  TC_UNIX_LISTEN },
	{ N_("TCP and UDP"),
	  N_("TCP is a connection: a handshake, then a stream of bytes, states from "
	     "LISTEN to TIME-WAIT. UDP sends separate datagrams with no connection: its "
	     "sockets show UNCONN."),
	  N_("Open a UDP echo server: n, 1, Right until Transport says UDP, Enter."),
	  N_("A udp row: no connection, so no LISTEN and no ESTAB."),
	  TC_UDP },
	{ N_("The chat"),
	  N_("A chat server relays what each client says to the others; in the tutorial a "
	     "client talks until it types \"bye\"."),
	  N_("Open a chat server (n, 2, Enter) and a client (n, 5, Enter); talk, then type "
	     "bye."),
	  N_("The chat server has had a client."),
	  TC_CHAT },
	{ N_("The greeting server"),
	  N_("A greeting server says \"Thank you for connecting\" to each client and closes "
	     "the connection: the client sees the end of the stream."),
	  N_("Open a greeting server (n, 3, Enter), then a client to it (n, 5, Enter)."),
	  N_("The greeting went out."),
	  TC_GREETING },
	{ N_("Finding sockets"),
	  N_("ss -l and netstat -l list the listening sockets (netstat -xl the Unix ones): "
	     "the servers of this machine. sockview does the same with a key."),
	  N_("Press l: only listening sockets (x and t show or hide Unix and TCP)."),
	  N_("Listening sockets only: these are the servers waiting for clients."),
	  TC_LISTENING },
	{ N_("The states tutorials only mention"),
	  N_("CLOSE-WAIT, TIME-WAIT, a full accept queue, a zero window: the state lab "
	     "makes them on the loopback and explains each step."),
	  N_("Press l again for all sockets, then n, 6 and a preset (1 is CLOSE-WAIT)."),
	  N_("The preset made its state: read its pane, look at the selected row."),
	  TC_LAB },
};

#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

size_t tour_count(void)
{
	return NSTEPS;
}

void tour_step(size_t i, struct tour_step *out)
{
	memset(out, 0, sizeof(*out));
	if (i >= NSTEPS)
		return;
	out->title = _(steps[i].title);
	out->text = _(steps[i].text);
	out->todo = _(steps[i].todo);
	out->confirm = _(steps[i].confirm);
}

/* True if the snapshot has a socket of ours of proto in state (-1: any). */
static bool have_own(const struct app *a, unsigned proto, int state, int type)
{
	const struct snapshot *s;

	if (!a->table.have_snap)
		return false;
	s = app_snapshot(a);
	for (size_t i = 0; i < s->n; i++) {
		const struct sock *k = &s->socks[i];

		if (k->proto != proto || (state >= 0 && k->state != state) ||
		    (type >= 0 && k->type != type))
			continue;
		if (k->inode && ownset_find(&a->table.own, k->inode, NULL))
			return true;
	}
	return false;
}

/* True if one of the panes' endpoints is of kind with stats passing. */
static bool have_endpoint(const struct app *a, enum ep_kind kind, bool need_in, bool lab)
{
	size_t n = a->panes.em ? epman_count(a->panes.em) : 0;

	for (size_t i = 0; i < n; i++) {
		struct pane *p = epman_pane(a->panes.em, i);
		const struct endpoint_stats *st;

		if (!p)
			continue;
		if (lab) {
			if (endpoint_lab_done(p->ep))
				return true;
			continue;
		}
		if (endpoint_kind(p->ep) != kind || endpoint_lab(p->ep) != EP_LAB_NONE)
			continue;
		st = endpoint_stats(p->ep);
		if (kind == EP_CLIENT ? st->bytes_in > 0 || !need_in
				      : st->clients_total > 0 && (!need_in || st->bytes_out > 0))
			return true;
	}
	return false;
}

bool tour_step_done(const struct app *a, size_t i)
{
	if (i >= NSTEPS)
		return false;
	switch (steps[i].check) {
	case TC_TCP_LISTEN:
		return have_own(a, SP_TCP, SS_LISTEN, -1);
	case TC_ECHO_BACK:
		return have_own(a, SP_TCP, SS_ESTABLISHED, -1) &&
		       have_endpoint(a, EP_CLIENT, true, false);
	case TC_UNIX_LISTEN:
		return have_own(a, SP_UNIX, SS_LISTEN, SOCK_STREAM);
	case TC_UDP:
		return have_own(a, SP_UDP, -1, -1);
	case TC_CHAT:
		return have_endpoint(a, EP_CHAT, false, false);
	case TC_GREETING:
		return have_endpoint(a, EP_GREETING, true, false);
	case TC_LISTENING:
		return a->table.listening;
	case TC_LAB:
		return have_endpoint(a, EP_CLIENT, false, true);
	}
	return false;
}

bool tour_update(struct app *a)
{
	bool moved = false;

	if (!a->tour.active)
		return false;
	while (a->tour.step < NSTEPS && tour_step_done(a, a->tour.step)) {
		a->tour.step++;
		a->tour.last_done = a->tour.step;
		moved = true;
	}
	return moved;
}

void tour_start(struct app *a)
{
	a->tour.active = true;
	if (a->tour.step >= NSTEPS) {
		a->tour.step = 0;
		a->tour.last_done = 0;
	}
}
