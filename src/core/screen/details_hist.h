/* details_hist.h - the details screen's diagnosis and history sections. */
#ifndef SOCKVIEW_DETAILS_HIST_H
#define SOCKVIEW_DETAILS_HIST_H

#include "app.h"
#include "draw.h"

/* Width of the sparklines in the details (slots shown). */
#define DETAILS_SPARK_W 30

/* Adds the diagnosis of s: a sentence, when a rule fires. */
void details_diagnosis(struct textlines *tl, const struct app *a, const struct sock *s);
/* Adds, when the history has s, a sparkline with min, max and now per
 * series (at the end of the details). */
void details_history(struct textlines *tl, const struct app *a, const struct sock *s, bool gone);

#endif
