from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from leads.models import ActivityKind, Lead, Stage, StageChange
from scoring.models import RescoreStatus
from scoring.runs import (
    LEASE,
    advance_rescore_run,
    decay_scores,
    rescore_slice,
    resume_stalled_runs,
)
from scoring.services import rescore_leads
from scoring.versions import edit_draft, publish, sign_off, submit_draft
from tests.factories import ActivityFactory, LeadFactory
from tests.scoring.factories import draft_copy

pytestmark = pytest.mark.django_db


def lead_with(*kinds, **profile):
    lead = LeadFactory(**profile)
    for kind in kinds:
        properties = {"asset_type": "ebook"} if kind == ActivityKind.CONTENT_DOWNLOAD else {}
        ActivityFactory(lead=lead, kind=kind, properties=properties)
    return lead


@pytest.fixture
def funnel(db):
    """Under v1 (threshold 15) only `already` qualifies; with threshold 10 `newly` does too."""
    leads = {
        "already": lead_with(ActivityKind.CONTENT_DOWNLOAD, ActivityKind.CONTACT_REQUEST),
        "newly": lead_with(ActivityKind.CONTACT_REQUEST),
        "never": lead_with(ActivityKind.CONTENT_DOWNLOAD),
        "free_mail": lead_with(ActivityKind.DEMO_REQUEST, email="ana@gmail.com"),
    }
    rescore_leads([lead.pk for lead in leads.values()])
    return leads


@pytest.fixture
def published_run(make_user, monkeypatch):
    """Publishes a copy of v1 with threshold 10; returns its (not yet run) rescoring run."""
    monkeypatch.setattr("core.jobs.async_task", lambda *args: None)
    author, rep = make_user(Role.MARKETER), make_user(Role.SDR)
    draft = draft_copy(author)

    def lower_threshold(agreement):
        agreement.threshold = 10
        agreement.save()

    draft, _ = edit_draft(
        agreement=draft, user=author, revision=draft.revision, change=lower_threshold
    )
    submit_draft(agreement=draft, user=author)
    sign_off(agreement=draft, user=author, side="marketing")
    sign_off(agreement=draft, user=rep, side="sales")
    return publish(agreement=draft, user=author)


def mql_moves():
    return {
        lead_id: count
        for lead_id, count in (
            (lead_id, StageChange.objects.filter(lead_id=lead_id, to_stage=Stage.MQL).count())
            for lead_id in Lead.objects.values_list("pk", flat=True)
        )
        if count
    }


def test_publishing_moves_exactly_the_newly_qualifying_leads(funnel, published_run):
    run = advance_rescore_run(published_run.pk, batch_size=2)

    assert (run.status, run.processed, run.total, run.moved_to_mql) == (RescoreStatus.DONE, 4, 4, 1)
    assert mql_moves() == {funnel["already"].pk: 1, funnel["newly"].pk: 1}
    change = StageChange.objects.get(lead=funnel["newly"], to_stage=Stage.MQL)
    assert change.context["agreement_version"] == 2


def test_running_the_rescoring_twice_moves_nobody_twice(funnel, published_run):
    advance_rescore_run(published_run.pk)
    published_run.status, published_run.last_lead_id = RescoreStatus.QUEUED, 0
    published_run.save()

    advance_rescore_run(published_run.pk)

    assert mql_moves() == {funnel["already"].pk: 1, funnel["newly"].pk: 1}


def test_a_run_interrupted_after_a_batch_resumes_from_its_cursor(funnel, published_run):
    first = advance_rescore_run(published_run.pk, batch_size=1, max_batches=1)
    assert (first.status, first.processed) == (RescoreStatus.RUNNING, 1)
    # The worker dies here; the task is delivered again and starts from the saved cursor.

    resumed = advance_rescore_run(published_run.pk, batch_size=1)

    assert (resumed.status, resumed.processed) == (RescoreStatus.DONE, 4)
    assert mql_moves() == {funnel["already"].pk: 1, funnel["newly"].pk: 1}


def test_a_run_stops_when_a_newer_version_is_published(funnel, published_run):
    published_run.agreement.status = "retired"
    published_run.agreement.save()

    run = advance_rescore_run(published_run.pk)

    assert (run.status, run.processed) == (RescoreStatus.SUPERSEDED, 0)


def test_decay_lowers_scores_and_never_moves_a_lead(funnel, time_machine):
    newly = funnel["newly"]
    assert (Lead.objects.get(pk=newly.pk).score, newly.stage) == (10, Stage.LEAD)
    time_machine.move_to(timezone.now() + timedelta(days=22))

    assert decay_scores() == 4

    newly.refresh_from_db()
    assert (newly.score, newly.stage) == (7, Stage.LEAD)
    assert Lead.objects.get(pk=funnel["already"].pk).score == 11


def test_leads_created_during_the_run_are_scored_and_the_bar_grows_with_them(funnel, published_run):
    first = advance_rescore_run(published_run.pk, batch_size=2, max_batches=1)
    assert (first.processed, first.total, first.percent) == (2, 4, 50)
    lead_with(ActivityKind.DEMO_REQUEST)

    run = advance_rescore_run(published_run.pk, batch_size=2)

    assert (run.status, run.processed, run.total, run.percent) == (RescoreStatus.DONE, 5, 5, 100)


def test_a_run_ends_with_a_full_bar_when_leads_were_deleted_meanwhile(funnel, published_run):
    advance_rescore_run(published_run.pk, batch_size=1, max_batches=1)
    funnel["never"].delete()

    run = advance_rescore_run(published_run.pk, batch_size=1)

    assert (run.status, run.processed, run.total, run.percent) == (RescoreStatus.DONE, 3, 3, 100)


def test_a_batch_reads_its_own_leads_not_every_lead(funnel, published_run):
    with CaptureQueriesContext(connection) as queries:
        advance_rescore_run(published_run.pk, batch_size=2, max_batches=1)

    every_lead = [
        query["sql"]
        for query in queries
        if 'FROM "leads_lead"' in query["sql"] and "WHERE" not in query["sql"]
    ]
    assert every_lead == []


def test_after_the_run_every_lead_holds_its_explanation_under_the_new_version(
    funnel, published_run
):
    advance_rescore_run(published_run.pk)

    stored = Lead.objects.values_list("score_agreement_version", "score_explanation")
    assert {(version, e["version"], e["threshold"]) for version, e in stored} == {(2, 2, 10)}


def test_a_slice_scores_at_least_one_batch_and_queues_the_next_slice(
    funnel, published_run, monkeypatch
):
    """A publish at ten million leads outlasts any worker timeout: each task does a bounded
    slice (here: its deadline has passed after one batch) and queues the next."""
    queued = []
    monkeypatch.setattr("core.jobs.async_task", lambda *args: queued.append(args))
    monkeypatch.setattr(
        "scoring.runs.advance_rescore_run",
        lambda run_id, deadline: advance_rescore_run(run_id, batch_size=1, deadline=deadline),
    )

    run = rescore_slice(published_run.pk, seconds=0)

    assert (run.status, run.processed) == (RescoreStatus.RUNNING, 1)
    assert run.heartbeat_at is not None
    assert queued == [("scoring.tasks.run_rescore", published_run.pk)]
    while run.is_active:
        run = rescore_slice(published_run.pk, seconds=0)
    assert (run.status, run.processed) == (RescoreStatus.DONE, len(funnel))
    assert len(queued) == len(funnel)  # the last slice finds nothing left and queues nothing


def test_the_sweep_resumes_a_run_whose_worker_died_or_whose_task_was_lost(
    funnel, published_run, monkeypatch
):
    queued = []
    monkeypatch.setattr("core.jobs.async_task", lambda *args: queued.append(args))
    running = advance_rescore_run(published_run.pk, batch_size=1, max_batches=1)
    now = timezone.now()

    # Within its lease a run is left to its worker.
    assert resume_stalled_runs(now=running.heartbeat_at + LEASE - timedelta(seconds=1)) == []
    # After it, one sweep takes it over; a second one at the same time finds nothing to take.
    later = now + LEASE + timedelta(seconds=1)
    assert resume_stalled_runs(now=later) == [published_run.pk]
    assert resume_stalled_runs(now=later) == []
    assert queued == [("scoring.tasks.run_rescore", published_run.pk)]
    run = advance_rescore_run(published_run.pk)
    assert (run.status, run.processed) == (RescoreStatus.DONE, len(funnel))


def test_the_sweep_starts_a_run_whose_first_task_was_never_queued(published_run, monkeypatch):
    queued = []
    monkeypatch.setattr("core.jobs.async_task", lambda *args: queued.append(args))

    resumed = resume_stalled_runs(now=published_run.created_at + LEASE + timedelta(seconds=1))

    assert resumed == [published_run.pk]
    assert queued == [("scoring.tasks.run_rescore", published_run.pk)]
