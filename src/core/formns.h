/* formns.h - the new endpoint form's network namespace field (no curses).
 *
 * The choices are the namespaces the N chooser lists (netns.h's order:
 * sockview's own first, then the named ones by name, then the unnamed ones
 * by their lowest pid), copied when the form opens: a namespace that
 * vanishes while the form is open stays on the list and fails, with a
 * one-line reason, only when the endpoint is opened. The default is the
 * namespace the table shows (chosen with N), else sockview's own (which is
 * NAME under -N NAME).
 *
 * Labels are raw (a name under /run/netns or a command name may hold any
 * byte): escape them when shown. */
#ifndef SOCKVIEW_FORMNS_H
#define SOCKVIEW_FORMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nstab.h"

/* Namespaces offered at most; the rest are counted in `more`. */
#define FORMNS_MAX 64
/* Room for a label: a name, "pid N (comm)" or "netns:[INODE]". */
#define FORMNS_LABEL_MAX (NSTAB_NAME_MAX + 32)

struct formns {
	struct nstab_ent v[FORMNS_MAX];
	size_t n;    /* 0: no list (the endpoint opens where sockview is) */
	size_t cur;  /* the choice */
	size_t def;  /* the default (the one shown, else sockview's own) */
	size_t more; /* namespaces left off the list */
};

/* Fills the choices from t (NULL or empty: none) with the default the
 * namespace of inode shown (0, or not on the list: sockview's own). */
void formns_fill(struct formns *f, const struct nstab *t, uint32_t shown);

/* True when there is something to choose (more than one namespace). */
bool formns_offered(const struct formns *f);
/* Moves the choice by dir (wrapping). */
void formns_step(struct formns *f, int dir);
/* The entry chosen, or NULL when there is no list. */
const struct nstab_ent *formns_chosen(const struct formns *f);
/* True when the choice is sockview's own namespace (or there is no list):
 * the endpoint needs no setns(). */
bool formns_is_own(const struct formns *f);

/* The raw label of entry i (nstab_label), with no mark; returns its
 * length. */
size_t formns_label(const struct formns *f, size_t i, char *dst, size_t len);

/* Opens the namespace chosen for the endpoint's sockets: *fd = -1 for
 * sockview's own, else a descriptor (O_CLOEXEC; the caller closes it)
 * that was checked to be entered (setns there and back). Returns 0, or -1
 * with errno (ENOENT: it vanished, or its name or process now means
 * another; EPERM: entering it needs CAP_SYS_ADMIN) and a translated
 * one-line reason naming it in err (raw label: escape it when shown). */
int formns_open(const struct formns *f, int *fd, char *err, size_t errlen);

#endif
