/* details_hist.c - the details screen's diagnosis and history sections:
 * one sentence in plain words, then a sparkline per series. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "cell.h"
#include "details_hist.h"
#include "i18n.h"
#include "spark.h"
#include "traffic.h"

enum unit { U_RATE, U_USEC, U_COUNT, U_BYTES };

static void fmt_val(double v, enum unit u, char *dst, size_t len)
{
	char tmp[16];

	if (isnan(v)) {
		snprintf(dst, len, "-");
		return;
	}
	switch (u) {
	case U_RATE:
		cell_rate(v, tmp, sizeof(tmp));
		snprintf(dst, len, "%sB/s", tmp);
		break;
	case U_USEC:
		cell_usec((uint32_t)(v < 4e9 ? v : 4e9), dst, len);
		break;
	case U_BYTES:
		cell_rate(v, tmp, sizeof(tmp));
		snprintf(dst, len, "%sB", tmp);
		break;
	case U_COUNT:
	default:
		snprintf(dst, len, "%.0f", v);
		break;
	}
}

/* One series: label, sparkline, min, max, now. */
static void series_line(struct textlines *tl, const struct app *a, const struct hist_entry *e,
			enum hist_series hs, const char *label, enum unit u, double now)
{
	double v[HIST_SLOTS], lo, hi, known[HIST_SLOTS];
	size_t n = hist_series(e, hs, v, DETAILS_SPARK_W), k = 0;
	struct buf sp = BUF_INIT;
	char smin[32], smax[32], snow[32];

	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			known[k++] = v[i];
	if (!k)
		return;
	spark_range(known, k, &lo, &hi);
	/* rates and queues from zero; gauges (rtt, cwnd, window) from their
	 * minimum, so a change shows */
	spark_render(&sp, v, n, DETAILS_SPARK_W,
		     u == U_RATE || hs == HS_SENDQ || hs == HS_RECVQ || hs == HS_LOSS ? 0 : lo * 0.9,
		     hi, a->cs == ESC_UTF8);
	fmt_val(lo, u, smin, sizeof(smin));
	fmt_val(hi, u, smax, sizeof(smax));
	fmt_val(now, u, snow, sizeof(snow));
	tl_kv(tl, label, _("%.*s  min %s, max %s, now %s"), (int)sp.len, sp.data ? sp.data : "",
	      smin, smax, snow);
	buf_free(&sp);
}

void details_diagnosis(struct textlines *tl, const struct app *a, const struct sock *s)
{
	enum diag_rule r = traffic_diagnose(&a->table, s);

	if (r != DR_NONE)
		tl_kv(tl, _("Diagnosis"), "%s", diag_sentence(r));
}

void details_history(struct textlines *tl, const struct app *a, const struct sock *s, bool gone)
{
	const struct hist_entry *e = gone ? NULL : traffic_history(&a->table, s);
	const struct diff_entry *d = gone ? NULL : app_diff_of(a, s);
	bool tcp = s->proto == SP_TCP && (s->has & SOCK_HAS_TCP);
	double rx = NAN, tx = NAN;

	if (!e)
		return;
	tl_section(tl, _("History"));
	tl_kv(tl, "", P_("the last %zu minute, one mark per %d seconds, oldest on the left",
			 "the last %zu minutes, one mark per %d seconds, oldest on the left",
			 (size_t)(DETAILS_SPARK_W * HIST_SLOT_MS / 60000)),
	      (size_t)(DETAILS_SPARK_W * HIST_SLOT_MS / 60000), HIST_SLOT_MS / 1000);
	if (d && (d->flags & DIFF_RATES)) {
		rx = (double)d->rx_rate;
		tx = (double)d->tx_rate;
	}
	if (s->proto == SP_TCP && s->state != SS_LISTEN) {
		series_line(tl, a, e, HS_RX, _("Receiving"), U_RATE, rx);
		series_line(tl, a, e, HS_TX, _("Sending"), U_RATE, tx);
		series_line(tl, a, e, HS_RTT, _("RTT"), U_USEC, tcp ? sock_x(s)->tcp.rtt_us : NAN);
		series_line(tl, a, e, HS_CWND, _("Cwnd"), U_COUNT, tcp ? sock_x(s)->tcp.snd_cwnd : NAN);
		series_line(tl, a, e, HS_WND, _("Peer window"), U_BYTES, tcp ? sock_x(s)->tcp.snd_wnd : NAN);
		series_line(tl, a, e, HS_LOSS, _("Retransmits"), U_COUNT, NAN);
	}
	if (s->state == SS_LISTEN) {
		series_line(tl, a, e, HS_RECVQ, _("Accept queue"), U_COUNT, s->recv_q);
		return;
	}
	series_line(tl, a, e, HS_SENDQ, _("Send-Q"), U_BYTES, s->send_q);
	series_line(tl, a, e, HS_RECVQ, _("Recv-Q"), U_BYTES, s->recv_q);
	if (s->proto != SP_TCP)
		series_line(tl, a, e, HS_LOSS, _("Drops"), U_COUNT, NAN);
	if (s->proto != SP_TCP)
		tl_kv(tl, "", "%s", _("the kernel keeps no byte counts for UDP, raw or Unix sockets: "
				      "only their queues have a history"));
}
