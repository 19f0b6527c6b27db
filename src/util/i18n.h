/* i18n.h - gettext shorthands used by every user-visible string. */
#ifndef SOCKVIEW_I18N_H
#define SOCKVIEW_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define P_(s, p, n) ngettext((s), (p), (n))
#else
#define _(s) (s)
#define P_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
/* Marks a string for extraction without translating it at that point. */
#define N_(s) (s)

#endif
