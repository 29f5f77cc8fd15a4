import pytest
from django.apps import apps
from django.core.management import call_command

from leads.models import Lead, Stage, StageChange
from scoring.convert import spec_from_rows
from scoring.models import Agreement
from scoring.services import current_agreement_spec
from scoring.starter import install_starter_agreement, starter_agreement
from scoring.versions import publish
from tests.scoring.factories import published_agreement, signed_draft

pytestmark = pytest.mark.django_db


def test_the_installed_version_1_is_exactly_the_starter_agreement():
    assert spec_from_rows(published_agreement()) == starter_agreement()


def test_installing_the_starter_again_changes_nothing():
    assert install_starter_agreement(apps) is False
    assert Agreement.objects.count() == 1


def test_the_published_spec_follows_a_new_publish(make_user, monkeypatch):
    monkeypatch.setattr("core.jobs.async_task", lambda *args: None)
    author = make_user("marketer")
    assert current_agreement_spec().version == 1

    publish(agreement=signed_draft(author, author, make_user("sdr")), user=author)

    assert current_agreement_spec().version == 2


def test_the_demo_has_mqls_and_seeding_again_moves_nobody(db):
    call_command("seed_demo", leads=60, force=True)
    moves = StageChange.objects.filter(to_stage=Stage.MQL, context__agreement_version=1)
    first = moves.count()

    call_command("seed_demo", leads=60, force=True)

    assert first > 0
    assert moves.count() == first
    assert not Lead.objects.filter(score_agreement_version__isnull=True).exists()
