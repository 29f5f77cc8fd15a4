"""Consequential actions ask before they are sent: publish, sign, return to marketing,
disqualify, remove a rep from a team, deactivate a policy or a form key. htmx forms carry
`hx-confirm`; plain forms carry `data-confirm`, which static/js/accord.js answers (the browser
test in tests/e2e/test_confirmations.py proves that saying no sends nothing)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.roles import Role
from handoff import services
from intake import capture
from leads.models import ActivityKind
from scoring.versions import submit_draft
from sla.models import SlaPolicy
from tests.factories import ChannelFactory
from tests.handoff.factories import mql_handoff
from tests.scoring.factories import draft_copy
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}


class Forms(HTMLParser):
    """The attributes of each form on a page, by its action."""

    def __init__(self):
        super().__init__()
        self.by_action = {}

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            attributes = dict(attrs)
            self.by_action.setdefault(attributes.get("action"), []).append(attributes)


def question_asked(response, action: str) -> str:
    """The confirmation question of the form posting to `action` (one form, one question)."""
    assert response.status_code == 200
    parser = Forms()
    parser.feed(response.content.decode())
    forms = parser.by_action.get(action)
    assert forms, f"no form posts to {action}"
    questions = {form.get("hx-confirm") or form.get("data-confirm") for form in forms}
    assert len(questions) == 1, questions
    question = questions.pop()
    assert question, f"the form posting to {action} sends without asking"
    if "hx-post" not in forms[0]:
        assert "data-confirm" in forms[0], "a plain form asks through data-confirm"
    return question


def test_publishing_and_signing_ask_first(client, make_user):
    author, signer = make_user(Role.MARKETER), make_user(Role.MARKETER)
    draft = draft_copy(author)
    submit_draft(agreement=draft, user=author)
    client.force_login(signer)

    page = client.get(reverse("scoring:detail", args=[draft.pk]))

    assert "replaces the agreement in force" in question_asked(
        page, reverse("scoring:publish", args=[draft.pk])
    )
    assert "Sign this version for Marketing" in question_asked(
        page, reverse("scoring:sign", args=[draft.pk])
    )


def test_returning_and_disqualifying_from_the_work_panel_ask_first(client, manager):
    handoff = mql_handoff()
    client.force_login(manager)

    panel = client.get(reverse("handoff:work", args=[handoff.pk]))

    assert "Return this lead to marketing?" in question_asked(
        panel, reverse("handoff:return", args=[handoff.pk])
    )
    assert "Disqualify this lead?" in question_asked(
        panel, reverse("handoff:disqualify", args=[handoff.pk])
    )


def test_returning_an_accepted_lead_asks_first(client, sdr):
    TeamMemberFactory(team=TeamFactory(is_default=True), user=sdr)
    handoff = mql_handoff()
    services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
    client.force_login(sdr)

    page = client.get(reverse("leads:detail", args=[handoff.lead_id]))

    assert "Your acceptance ends" in question_asked(
        page, reverse("handoff:return_sal", args=[handoff.lead_id])
    )


def test_removing_a_rep_from_a_team_asks_first_and_names_them(client, manager, make_user):
    rep = make_user(Role.SDR)
    rep.first_name, rep.last_name = "Nadia", "Petrova"
    rep.save()
    team = TeamFactory(name="Inbound")
    member = TeamMemberFactory(team=team, user=rep)
    client.force_login(manager)

    page = client.get(reverse("handoff:team", args=[team.pk]))

    parser = Forms()
    parser.feed(page.content.decode())
    member_forms = parser.by_action[reverse("handoff:member", args=[member.pk])]
    questions = [form["data-confirm"] for form in member_forms if "data-confirm" in form]
    # Only removing asks: saving a weight or marking a rep away is undone as easily as done.
    assert questions == [
        "Remove Nadia Petrova from Inbound? New leads stop coming to them from "
        "this team; the leads they hold stay theirs."
    ]


def test_deactivating_a_policy_asks_first(client, manager):
    policy = SlaPolicy.objects.filter(is_active=True).first()
    client.force_login(manager)

    page = client.get(reverse("sla:policies"))

    assert "Deactivate this SLA policy?" in question_asked(
        page, reverse("sla:policy_deactivate", args=[policy.pk])
    )


def test_deactivating_a_form_key_asks_first_and_activating_it_does_not(client, marketer):
    key = capture.new_form_key(
        name="Pricing guide",
        channel=ChannelFactory(slug="ebook"),
        allowed_origins=[],
        activity_kind=ActivityKind.CONTENT_DOWNLOAD,
        properties={},
    )
    client.force_login(marketer)
    toggle = reverse("intake:form-key-toggle", args=[key.pk])

    assert "Deactivate this form key?" in question_asked(
        client.get(reverse("intake:form-keys")), toggle
    )

    key.is_active = False
    key.save()
    parser = Forms()
    parser.feed(client.get(reverse("intake:form-keys")).content.decode())
    assert "hx-confirm" not in parser.by_action[toggle][0]
