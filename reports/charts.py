"""Chart.js data for each report, handed to static/js/reports-charts.js through json_script.

Only the data lives here; the tables under each chart carry the same figures for screen readers
and for copying.
"""

from django.utils.translation import gettext as _

from reports.economics import EconomicsReport
from reports.funnel import STEP_LABELS, STEPS
from reports.selectors import FunnelReport, ReturnsReport


def chart(chart_id, title, labels, datasets, *, horizontal=False, money=False) -> dict:
    return {
        "id": chart_id,
        "title": title,
        "labels": [str(label) for label in labels],
        "datasets": [{"label": str(label), "data": data} for label, data in datasets],
        "horizontal": horizontal,
        "money": money,
    }


def funnel_charts(report: FunnelReport) -> list[dict]:
    step_labels = [STEP_LABELS[step] for step in STEPS]
    return [
        chart(
            "funnel-total",
            _("Leads reaching each step"),
            step_labels,
            [(_("Leads"), [report.total.counts[step] for step in STEPS])],
        ),
        chart(
            "funnel-by-channel",
            _("Funnel by channel"),
            [row.label for row in report.by_channel],
            [
                (label, [row.counts[step] for row in report.by_channel])
                for step, label in zip(STEPS, step_labels, strict=True)
            ],
        ),
    ]


def returns_charts(report: ReturnsReport) -> list[dict]:
    return [
        chart(
            "returns-by-reason",
            _("Returns and disqualifications by reason"),
            [reason.heading for reason in report.reasons],
            [(_("Returns"), [reason.count for reason in report.reasons])],
            horizontal=True,
        )
    ]


def economics_charts(report: EconomicsReport) -> list[dict]:
    priced = [row for row in report.rows if row.costs["mql"] is not None]
    return [
        chart(
            "cost-per-mql",
            _("Cost per MQL (%(currency)s)") % {"currency": report.currency or "—"},
            [row.label for row in priced],
            [(_("Cost per MQL"), [float(row.costs["mql"]) for row in priced])],
            horizontal=True,
            money=True,
        )
    ]
