"""Measurements of the MQL agreement at scale: the draft's impact preview, and rescoring every
lead after a publish.

Both start the way a marketer does: a draft copied from the version in force with one visible
change (its first action rule is worth a point more). The preview is timed as the editor page
asks for it; the publish goes through sign-off and `publish`, and its rescoring run is driven to
the end in this process by the function the background task calls.
"""

import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.base import Bench, Result, median, timed
from leads.models import Activity, Lead, StageChange
from scoring.models import Agreement, AgreementStatus, SignoffSide
from scoring.preview import enough_memory_to_sort_and_group, preview_draft
from scoring.runs import advance_rescore_run
from scoring.versions import create_draft, edit_draft, publish, sign_off, submit_draft


def _one_more_point(agreement: Agreement) -> None:
    rule = agreement.actionrules.order_by("position", "id").first()
    rule.points += 1
    rule.save(update_fields=["points"])


def _changed_draft(marketer) -> Agreement:
    published = Agreement.objects.get(status=AgreementStatus.PUBLISHED)
    draft = create_draft(user=marketer, copy_of=published)
    draft, _ = edit_draft(
        agreement=draft, user=marketer, revision=draft.revision, change=_one_more_point
    )
    return draft


def _main_sql(draft: Agreement) -> list[str]:
    """The statements of a preview that read leads, their activities and their stage moves."""
    with CaptureQueriesContext(connection) as queries:
        preview_draft(draft=draft)
    tables = [model._meta.db_table for model in (Lead, Activity, StageChange)]
    return [
        query["sql"]
        for query in queries.captured_queries
        if any(f'FROM "{table}"' in query["sql"] for table in tables)
    ]


def _raw_seconds(statements: list[str]) -> float:
    """Seconds to run the statements raw and fetch every row, as the preview runs them."""

    def run():
        with enough_memory_to_sort_and_group(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    return timed(run)[0]


def draft_preview(bench: Bench) -> Result:
    """Seconds the editor waits for the impact preview; the baseline is its SQL alone."""
    marketer = get_user_model().objects.get(pk=bench.data.marketer_id)
    draft = _changed_draft(marketer)
    try:
        timings, preview = [], None
        for _run in range(bench.runs):
            elapsed, preview = timed(lambda: preview_draft(draft=draft))
            timings.append(elapsed)
        statements = _main_sql(draft)
        baseline = [_raw_seconds(statements) for _run in range(bench.runs)]
    finally:
        draft.delete()
    scope = (
        f"estimated from a sample of {preview.sampled:,} of {preview.leads:,} leads"
        if preview.is_estimate
        else f"all {preview.leads:,} leads"
    )
    bench.log(f"MQL {preview.mql_under_published:,} -> {preview.mql_under_draft:,} ({scope})")
    return Result(
        "draft_preview",
        median(timings),
        "s",
        target=2,
        better="lower",
        baseline=median(baseline),
        baseline_label="its SQL alone",
        notes=f"{scope}; median of {len(timings)}",
        extra={"leads": preview.leads, "sampled": preview.sampled},
    )


def full_rescore(bench: Bench) -> Result:
    """Leads/s of the rescoring run a publish starts, from the publish to the last batch."""
    User = get_user_model()
    marketer = User.objects.get(pk=bench.data.marketer_id)
    draft = _changed_draft(marketer)
    submit_draft(agreement=draft, user=marketer)
    sign_off(agreement=draft, user=marketer, side=SignoffSide.MARKETING)
    manager = User.objects.get(pk=bench.data.manager_id)
    sign_off(agreement=draft, user=manager, side=SignoffSide.SALES)
    started = time.perf_counter()
    run = publish(agreement=draft, user=marketer)
    reported = 0
    while run.is_active:
        run = advance_rescore_run(run.pk, max_batches=1)
        if run.percent >= reported + 10:
            reported = run.percent // 10 * 10
            seconds = time.perf_counter() - started
            bench.log(f"{reported}%: {run.processed:,} leads in {seconds:,.0f} s")
    seconds = time.perf_counter() - started
    return Result(
        "full_rescore",
        run.processed / seconds,
        "leads/s",
        target=5000,
        notes=f"{run.processed:,} leads in {seconds:,.0f} s, {run.moved_to_mql:,} moved to MQL",
        extra={"leads": run.processed, "seconds": seconds, "moved_to_mql": run.moved_to_mql},
    )


# Publishing rewrites every lead's stored score: measured after everything that reads them.
full_rescore.changes_data = 2

MEASUREMENTS = [draft_preview, full_rescore]
