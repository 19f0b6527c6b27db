/* form.h - the "new endpoint" form (no curses): transport, IP version,
 * address and port or Unix path, greeting text; defaults, validation, and
 * the explanation of a port that is taken.
 *
 * Defaults are safe: the loopback address (127.0.0.1 or ::1) unless the
 * user types another one, a port that is free right now (servers), a path
 * in sockview's private directory (Unix servers), and for a client the
 * newest server of ours still open. The port is a number or a service
 * name ("http"), looked up as the filter does (filter_service_port). A field the user edited keeps their text when the
 * transport or IP version changes; untouched ones follow the change.
 *
 * The form turns its fields into an endpoint_config (form_config) or a
 * translated one-line error naming the field, which it keeps for display
 * with the field to fix focused. An existing stale Unix socket file is
 * reported (ESTALE from endpoint_new); the user may then confirm (Enter
 * again) to replace it. */
#ifndef SOCKVIEW_FORM_H
#define SOCKVIEW_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "endpoint.h"
#include "epaddr.h"
#include "formns.h"
#include "lineedit.h"
#include "ownset.h"
#include "procmap.h"
#include "snapshot.h"

enum form_field {
	FF_TRANSPORT, /* choice: TCP, UDP, Unix stream, Unix datagram */
	FF_FAMILY,    /* choice: IPv4, IPv6 (TCP and UDP) */
	FF_ADDR,      /* text: IP address, "localhost", "*" (TCP and UDP) */
	FF_PORT,      /* text: number or service name (TCP and UDP) */
	FF_PATH,      /* text: path or @name (Unix) */
	FF_GREETING,  /* text: greeting server only */
	FF_EOL,       /* choice: LF, CRLF, none (stream client) */
	FF_INPUT,     /* choice: typed text as is, or with escapes (client) */
	FF_KEEP,      /* choice: close, or stay open, when the server closes
		       * (stream client) */
	FF_NETNS,     /* choice: the network namespace (formns.h; shown when
		       * there is more than one) */
	FF_MAX_
};

/* Where the defaults come from (the endpoint manager, or a test). */
struct form_env {
	/* The private directory for Unix socket files, made on first use;
	 * NULL with a reason in err if it cannot be made. */
	const char *(*private_dir)(void *ctx, char *err, size_t errlen);
	void *ctx;
	/* The newest server still open (the client's default target). */
	bool have_last;
	enum ep_transport last_transport;
	struct epaddr last_addr;
	/* Port of a service name, or -1 if unknown; NULL: the system's
	 * (filter_service_port), which reads /etc/services. */
	int (*service)(const char *name, void *ctx);
	/* The namespaces to offer (read by form_open only; NULL: none, the
	 * endpoint opens where sockview is) and the inode of the one the
	 * table shows (0: sockview's own), the default. */
	const struct nstab *netns;
	uint32_t netns_shown;
};

/* First port tried for a server's suggestion. */
#define FORM_PORT_BASE 5000
/* form.port_service when the Port is not a name / is an unknown name. */
#define FORM_PORT_NUMBER (-2)
#define FORM_PORT_UNKNOWN (-1)

struct form {
	enum ep_kind kind;
	enum ep_transport transport;
	int family;                  /* AF_INET or AF_INET6 */
	enum form_field focus;
	struct lineedit field[FF_MAX_]; /* the text fields (by enum index) */
	bool edited[FF_MAX_];        /* the user typed into this field */
	struct form_env env;
	char err[512];               /* raw message ("" when none) */
	enum form_field err_field;
	bool stale_offer;            /* err says the path is a stale socket */
	char stale_path[EPADDR_UNIX_PATH_MAX + 1];
	char note[256];              /* a hint under the fields ("" none) */
	/* What the Port field's text is, looked up after each edit (the
	 * draw path reads no files): FORM_PORT_NUMBER, FORM_PORT_UNKNOWN or
	 * the port of the service name typed. */
	int port_service;
	char greeting[LINEEDIT_MAX + 1]; /* what cfg->greeting points to */
	enum ep_eol eol;             /* FF_EOL */
	bool escapes;                /* FF_INPUT */
	bool keep_open;              /* FF_KEEP */
	struct formns ns;            /* FF_NETNS */
};

/* Opens the form for kind with its defaults (a client's from env's last
 * server). */
void form_open(struct form *f, enum ep_kind kind, const struct form_env *env);

/* True if field is shown for the form's transport and kind. */
bool form_field_shown(const struct form *f, enum form_field field);
/* True for the choice fields (transport, IP version). */
bool form_field_is_choice(enum form_field field);
/* The translated label of a field ("Transport", "Port"...). */
const char *form_field_label(enum form_field field);

/* True if field (the address or the path) holds the client's default
 * target, the newest server still open (the user has not typed there). */
bool form_targets_last(const struct form *f, enum form_field field);
/* What an empty field shows, dimmed, as an example (not its value), or
 * NULL: a Unix datagram client's path is the tutorial's /dev/log (the
 * system logger's socket) where that socket exists. */
#define FORM_PLACEHOLDER_DGRAM "/dev/log"
const char *form_placeholder(const struct form *f, enum form_field field);

/* Number of choices of a choice field, and the translated name of choice
 * i; the current one is form_choice_current(). FF_NETNS has choices of its
 * own (f->ns, formns.h): 0 here. */
size_t form_choices(enum form_field field);
const char *form_choice_name(enum form_field field, size_t i);
size_t form_choice_current(const struct form *f, enum form_field field);

/* Results of form_key. */
enum form_result {
	FORM_IGNORED, /* not a key of the form */
	FORM_CHANGED, /* redraw */
	FORM_SUBMIT,  /* Enter: call form_config, then open the endpoint */
	FORM_CANCEL,  /* Esc */
};

/* Handles a key: Up/Down/Tab/Shift-Tab move between the fields shown,
 * Left/Right (and Space) change a choice, editing keys edit a text field,
 * Enter submits, Esc cancels. */
enum form_result form_key(struct form *f, int key);

/* Validates the fields and fills cfg (endpoint_config_init, address,
 * greeting, replace_stale when the user confirmed it; a client's
 * fail_at_once, so a connection known to fail keeps the form). A service
 * name in Port is looked up (the field keeps the name; the form shows the
 * number beside it). Returns 0, or -1 with the error kept in the form
 * (f->err, the field focused). */
int form_config(struct form *f, struct endpoint_config *cfg);

/* After EADDRINUSE: if the port is the form's own suggestion (a server's,
 * not edited), suggests another one that is free now and returns true
 * (the caller tries again); false otherwise. */
bool form_retry_port(struct form *f);

/* Shows an error from opening the endpoint (e.g. from endpoint_new) under
 * the fields. e is its errno: ESTALE (a stale socket file at the path)
 * makes the form offer to replace it on the next Enter; EADDRINUSE, EEXIST
 * and a client's connect errors focus the port, path or address field.
 * Nothing is probed here (no check connection of its own). */
void form_set_error(struct form *f, int e, const char *msg);

/* Shows an error about the namespace chosen (formns_open's) under the
 * fields, the Namespace field focused. */
void form_netns_error(struct form *f, const char *msg);

/* Appends to out a translated sentence naming what holds the address want
 * (transport t: its port, or its Unix path) according to the socket table:
 * "held by python3 (pid 4242)", "held by sockview itself (pane [2])",
 * "held by a socket of uid 0 whose process is not visible (run as root to
 * see it)". RAW: a command name may hold any byte, so escape before
 * display. Returns FORM_HOLDER_NONE (and appends nothing) if the table
 * shows no socket there, FORM_HOLDER_SOCKET when it shows the socket but
 * not its process (the process scan may not have caught up yet), else
 * FORM_HOLDER_NAMED. */
enum form_holder {
	FORM_HOLDER_NONE,
	FORM_HOLDER_SOCKET,
	FORM_HOLDER_NAMED,
};
enum form_holder form_describe_holder(const struct snapshot *snap, const struct procmap *pm,
			  const struct ownset *own, enum ep_transport t,
			  const struct epaddr *want, struct buf *out);

/* A translated one-line description of an endpoint kind, for the menu. */
const char *form_kind_help(enum ep_kind kind);

#endif
