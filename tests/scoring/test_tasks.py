from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from leads.models import ActivityKind, Lead, Stage
from scoring.models import RescoreRun, RescoreStatus
from scoring.services import rescore_leads
from scoring.tasks import decay_engagement, run_rescore
from scoring.versions import publish
from tests.factories import ActivityFactory, LeadFactory
from tests.scoring.factories import signed_draft

pytestmark = pytest.mark.django_db


def test_the_publish_task_rescores_every_lead_and_can_run_again(make_user, monkeypatch):
    monkeypatch.setattr("core.jobs.async_task", lambda *args: None)
    lead = LeadFactory()
    ActivityFactory(lead=lead, kind=ActivityKind.DEMO_REQUEST)
    author = make_user(Role.MARKETER)
    run = publish(agreement=signed_draft(author, author, make_user(Role.SDR)), user=author)

    run_rescore(run.pk)
    run_rescore(run.pk)

    run.refresh_from_db()
    assert (run.status, run.processed, run.moved_to_mql) == (RescoreStatus.DONE, 1, 1)
    assert Lead.objects.get(pk=lead.pk).stage == Stage.MQL
    assert RescoreRun.objects.count() == 1


def test_the_daily_decay_task_lowers_the_score_of_a_quiet_lead(time_machine):
    lead = LeadFactory()
    ActivityFactory(lead=lead, kind=ActivityKind.DEMO_REQUEST)
    rescore_leads([lead.pk], allow_moves=False)
    time_machine.move_to(timezone.now() + timedelta(days=22))

    decay_engagement()

    assert Lead.objects.get(pk=lead.pk).score == 11
