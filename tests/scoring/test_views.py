import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from leads.models import Lead
from scoring.convert import engine_rule
from scoring.engine import AgreementSpec, LeadFacts, evaluate
from scoring.models import (
    ActionRule,
    Agreement,
    AgreementStatus,
    NegativeRule,
    ProfileRule,
    RescoreRun,
    RescoreStatus,
    Signoff,
)
from scoring.versions import submit_draft
from tests.factories import LeadFactory
from tests.scoring.factories import draft_copy, published_agreement

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(marketer):
    return draft_copy(marketer)


def add_action(client, draft, **fields):
    data = {"revision": draft.revision, **{f"add-action-{k}": v for k, v in fields.items()}}
    return client.post(reverse("scoring:add-rule", args=[draft.pk, "action"]), data, **HTMX)


@pytest.mark.parametrize("role", list(Role))
def test_everyone_with_a_role_reads_the_agreement(client_as, role):
    client = client_as(role)
    published = published_agreement()

    response = client.get(reverse("scoring:current"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("scoring:detail", args=[published.pk])
    content = response.content.decode()
    assert "Title must be present" in content
    assert "+5 for each content download where asset type is ebook, at most 3" in content
    assert "Disqualify: email domain is one of gmail.com" in content
    assert client.get(reverse("scoring:history")).status_code == 200


def test_a_user_without_a_role_is_refused(client_as):
    client = client_as()

    assert client.get(reverse("scoring:history")).status_code == 403
    assert client.get(reverse("scoring:detail", args=[published_agreement().pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("scoring:history"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("role", [Role.SDR, Role.MANAGER, Role.ACCOUNT_EXECUTIVE, Role.ADMIN])
def test_only_marketers_open_the_editor_and_change_rules(client_as, draft, role):
    client = client_as(role)

    assert client.get(reverse("scoring:edit", args=[draft.pk])).status_code == 403
    assert add_action(client, draft, kind="demo_request", points=5).status_code == 403
    assert client.post(reverse("scoring:create")).status_code == 403


def test_a_marketer_starts_a_draft_from_the_version_in_force(client, marketer):
    client.force_login(marketer)

    response = client.post(reverse("scoring:create"), {"copy_of": published_agreement().pk})

    draft = Agreement.objects.get(status=AgreementStatus.DRAFT)
    assert response["Location"] == reverse("scoring:edit", args=[draft.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Impact preview" in page.content.decode()


def test_an_htmx_add_rule_returns_the_section_partial_only(client, marketer, draft):
    client.force_login(marketer)

    response = add_action(client, draft, kind="page_view", points=2, cap=5, window_days=30)

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content and "<nav" not in content
    assert "+2 for each page view, at most 5, in the last 30 days" in content
    assert response["HX-Trigger"] == '{"rules-changed": true}'
    assert f'value="{draft.revision + 1}" hx-swap-oob="true"' in content
    assert ActionRule.objects.filter(agreement=draft, kind="page_view").count() == 1


@pytest.mark.parametrize(
    ("kind", "fields", "field", "message"),
    [
        ("action", {"kind": "page_view", "points": 2, "cap": -1}, "cap", "greater than or equal"),
        (
            "profile",
            {"field": "shoe_size", "operator": "present", "mode": "gate"},
            "field",
            "Unknown field",
        ),
        (
            "profile",
            {"field": "title", "operator": "matches", "value_text": "([a-z", "mode": "gate"},
            "value_text",
            "Not a valid pattern",
        ),
        (
            "profile",
            {"field": "title", "operator": "matches", "value_text": "(?!ceo)", "mode": "gate"},
            "value_text",
            "no look-arounds",
        ),
        (
            "profile",
            {"field": "title", "operator": "matches", "value_text": "a" * 301, "mode": "gate"},
            "value_text",
            "at most 300 characters",
        ),
        (
            "profile",
            {"field": "title", "operator": "matches", "value_text": "ceo$x", "mode": "gate"},
            "value_text",
            "cannot match any text",
        ),
        (
            "profile",
            {"field": "industry", "operator": "one_of", "value_text": " , ", "mode": "gate"},
            "value_text",
            "List at least one value",
        ),
        (
            "negative",
            {"field": "title", "operator": "contains", "value_text": "intern", "effect": "points"},
            "points",
            "below 0",
        ),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    client, marketer, draft, kind, fields, field, message
):
    client.force_login(marketer)
    data = {"revision": draft.revision, **{f"add-{kind}-{k}": v for k, v in fields.items()}}
    before = Agreement.objects.get(pk=draft.pk).revision

    response = client.post(reverse("scoring:add-rule", args=[draft.pk, kind]), data, **HTMX)

    assert response.status_code == 400
    form = response.context["add_form"]
    assert message in " ".join(form.errors[field])
    assert message in response.content.decode()
    assert Agreement.objects.get(pk=draft.pk).revision == before


def test_a_gate_no_lead_could_meet_is_refused_in_place(client, marketer, draft):
    client.force_login(marketer)
    url = reverse("scoring:add-rule", args=[draft.pk, "profile"])
    rule = {"field": "company_size", "operator": "at_least", "value_text": "500", "mode": "gate"}
    client.post(
        url, {"revision": draft.revision, **{f"add-profile-{k}": v for k, v in rule.items()}}
    )
    rule |= {"operator": "at_most", "value_text": "50"}

    response = client.post(
        url, {"revision": draft.revision + 1, **{f"add-profile-{k}": v for k, v in rule.items()}}
    )

    assert response.status_code == 400
    assert "No lead could meet both" in response.content.decode()
    assert ProfileRule.objects.filter(agreement=draft, field="company_size").count() == 1


def test_a_threshold_below_zero_is_refused_next_to_the_field(client, marketer, draft):
    client.force_login(marketer)
    data = {
        "revision": draft.revision,
        "name": draft.name,
        "threshold": -5,
        "decay_after_days": 14,
        "decay_percent_per_week": 25,
    }

    response = client.post(reverse("scoring:edit-settings", args=[draft.pk]), data, **HTMX)

    assert response.status_code == 400
    assert "The threshold cannot be below zero." in response.content.decode()
    assert Agreement.objects.get(pk=draft.pk).threshold == 15


def test_a_second_marketer_saving_over_a_changed_draft_gets_a_conflict(
    client, make_user, marketer, draft
):
    client.force_login(marketer)
    seen = draft.revision
    add_action(client, draft, kind="page_view", points=2)
    client.force_login(make_user(Role.MARKETER))

    response = client.post(
        reverse("scoring:add-rule", args=[draft.pk, "action"]),
        {"revision": seen, "add-action-kind": "demo_request", "add-action-points": 50},
        **HTMX,
    )

    assert response.status_code == 409
    assert "Someone else saved this draft" in response.content.decode()
    assert not ActionRule.objects.filter(agreement=draft, points=50).exists()


def test_rules_are_reordered_changed_and_removed_in_place(client, marketer, draft):
    client.force_login(marketer)
    gates = list(ProfileRule.objects.filter(agreement=draft))
    revision = draft.revision

    moved = client.post(
        reverse("scoring:move-rule", args=[draft.pk, "profile", gates[1].pk]),
        {"revision": revision, "direction": "up"},
        **HTMX,
    )
    assert moved.status_code == 200
    assert [r.key for r in ProfileRule.objects.filter(agreement=draft)][:2] == [
        "last_name",
        "first_name",
    ]

    form = client.get(reverse("scoring:rule", args=[draft.pk, "profile", gates[2].pk]), **HTMX)
    assert f'name="rule-{gates[2].pk}-field"' in form.content.decode()
    prefix = f"rule-{gates[2].pk}-"
    changed = client.post(
        reverse("scoring:rule", args=[draft.pk, "profile", gates[2].pk]),
        {
            "revision": revision + 1,
            prefix + "field": "title",
            prefix + "operator": "contains",
            prefix + "value_text": "Director, Head",
            prefix + "mode": "gate",
        },
        **HTMX,
    )
    assert changed.status_code == 200
    assert "Title must contain Director or Head" in changed.content.decode()

    removed = client.post(
        reverse("scoring:remove-rule", args=[draft.pk, "profile", gates[3].pk]),
        {"revision": revision + 2},
        **HTMX,
    )
    assert removed.status_code == 200
    assert not ProfileRule.objects.filter(pk=gates[3].pk).exists()


def test_the_preview_shows_the_draft_against_the_version_in_force(client, marketer, draft):
    client.force_login(marketer)
    LeadFactory()

    response = client.get(reverse("scoring:preview", args=[draft.pk]), **HTMX)

    assert response.status_code == 200
    assert response.context["preview"].leads == Lead.objects.count()


def test_signing_and_publishing_through_the_pages(client, make_user, monkeypatch):
    monkeypatch.setattr("core.jobs.async_task", lambda *args: None)
    author, signer, rep = make_user(Role.MARKETER), make_user(Role.MARKETER), make_user(Role.SDR)
    draft = draft_copy(author)
    client.force_login(author)
    client.post(reverse("scoring:submit", args=[draft.pk]))

    refused = client.post(reverse("scoring:publish", args=[draft.pk]))
    assert refused.status_code == 400
    assert "both signed" in refused.content.decode()

    client.force_login(signer)
    client.post(reverse("scoring:sign", args=[draft.pk]), {"side": "marketing"})
    client.force_login(rep)
    assert client.post(reverse("scoring:publish", args=[draft.pk])).status_code == 403
    client.post(reverse("scoring:sign", args=[draft.pk]), {"side": "sales"})
    assert Signoff.objects.filter(agreement=draft).count() == 2
    client.force_login(author)

    response = client.post(reverse("scoring:publish", args=[draft.pk]), follow=True)

    assert response.status_code == 200
    assert Agreement.objects.get(pk=draft.pk).status == AgreementStatus.PUBLISHED
    assert "rescored" in response.content.decode()


def test_the_author_is_refused_the_sales_signature_on_the_page(client, make_user):
    author = make_user(Role.MARKETER, Role.MANAGER)
    draft = draft_copy(author)
    submit_draft(agreement=draft, user=author)
    client.force_login(author)

    response = client.post(reverse("scoring:sign", args=[draft.pk]), {"side": "sales"})

    assert response.status_code == 403
    assert "cannot sign it for sales" in response.content.decode()


def test_drafts_in_progress_are_hidden_from_sales(client_as, draft):
    client = client_as(Role.SDR)

    assert client.get(reverse("scoring:detail", args=[draft.pk])).status_code == 404


def test_the_diff_names_rules_added_removed_and_changed(client, marketer, draft):
    client.force_login(marketer)
    ActionRule.objects.filter(agreement=draft, key="email_click").delete()
    ActionRule.objects.filter(agreement=draft, key="contact_request").update(points=20)
    ActionRule.objects.create(agreement=draft, key="page_view", kind="page_view", points=1)
    Agreement.objects.filter(pk=draft.pk).update(threshold=25)

    response = client.get(
        reverse("scoring:diff"), {"old": published_agreement().pk, "new": draft.pk}
    )

    diff = response.context["diff"]
    assert [c.after for c in diff.added] == ["+1 for each page view"]
    assert [c.before for c in diff.removed] == [
        "+1 for each email click, at most 5, in the last 30 days"
    ]
    assert [(c.before, c.after) for c in diff.changed] == [
        ("+10 for each contact request", "+20 for each contact request")
    ]
    assert ("Threshold", 15, 25) in diff.settings
    assert "+20 for each contact request" in response.content.decode()


def test_the_progress_bar_polls_while_the_run_is_active_and_stops_when_done(client, marketer):
    client.force_login(marketer)
    published = published_agreement()
    run = RescoreRun.objects.create(agreement=published, total=10, processed=4)
    url = reverse("scoring:progress", args=[published.pk])

    active = client.get(url, **HTMX).content.decode()
    assert 'hx-trigger="every 2s"' in active and 'value="40"' in active

    RescoreRun.objects.filter(pk=run.pk).update(status=RescoreStatus.DONE, processed=10)
    done = client.get(url, **HTMX).content.decode()
    assert "hx-trigger" not in done and 'value="100"' in done


def test_a_published_version_has_no_editor(client, marketer):
    client.force_login(marketer)

    assert client.get(reverse("scoring:edit", args=[published_agreement().pk])).status_code == 404


def test_an_action_rule_takes_several_property_conditions(client, marketer, draft):
    client.force_login(marketer)

    response = add_action(
        client,
        draft,
        kind="page_view",
        points=4,
        condition_key_1="url",
        condition_operator_1="contains",
        condition_value_1="/pricing",
        condition_key_2="minutes",
        condition_operator_2="at_least",
        condition_value_2="2",
    )

    assert response.status_code == 200
    rule = ActionRule.objects.get(agreement=draft, kind="page_view")
    assert rule.conditions == [
        {"key": "url", "operator": "contains", "value": "/pricing"},
        {"key": "minutes", "operator": "at_least", "value": 2},
    ]


def test_editing_a_rule_keeps_every_condition(client, marketer, draft):
    client.force_login(marketer)
    add_action(
        client,
        draft,
        kind="page_view",
        points=4,
        condition_key_1="url",
        condition_operator_1="contains",
        condition_value_1="/pricing",
        condition_key_2="minutes",
        condition_operator_2="at_least",
        condition_value_2="2",
    )
    rule = ActionRule.objects.get(agreement=draft, kind="page_view")
    url = reverse("scoring:rule", args=[draft.pk, "action", rule.pk])

    form = client.get(url, **HTMX).content.decode()
    prefix = f"rule-{rule.pk}-"
    assert f'name="{prefix}condition_key_2" value="minutes"' in form
    fields = {"kind": "page_view", "points": 6, "condition_key_1": "url"}
    fields |= {"condition_operator_1": "contains", "condition_value_1": "/pricing"}
    fields |= {"condition_key_2": "minutes", "condition_operator_2": "at_least"}
    fields |= {"condition_value_2": "2"}
    draft.refresh_from_db()
    changed = client.post(
        url,
        {"revision": draft.revision, **{prefix + k: v for k, v in fields.items()}},
        **HTMX,
    )

    assert changed.status_code == 200
    rule.refresh_from_db()
    assert rule.points == 6
    assert len(rule.conditions) == 2


def test_a_narrative_that_contradicts_the_threshold_is_flagged_in_the_editor_and_at_sign_off(
    client, marketer, draft
):
    client.force_login(marketer)
    data = {
        "revision": draft.revision,
        "name": draft.name,
        "narrative": "A lead is an MQL at at least 15 points.",
        "threshold": 12,
        "decay_after_days": draft.decay_after_days,
        "decay_percent_per_week": draft.decay_percent_per_week,
    }
    warning = "The narrative says a lead qualifies at 15 points, but the threshold is 12."

    saved = client.post(reverse("scoring:edit-settings", args=[draft.pk]), data, **HTMX)
    editor = client.get(reverse("scoring:edit", args=[draft.pk]))
    submit_draft(agreement=Agreement.objects.get(pk=draft.pk), user=marketer)
    sign_off_page = client.get(reverse("scoring:detail", args=[draft.pk]))

    assert saved.status_code == 200 and warning in saved.content.decode()
    assert warning in editor.content.decode()
    assert warning in sign_off_page.content.decode()


def test_a_narrative_that_matches_the_settings_shows_no_warning(client, marketer, draft):
    Agreement.objects.filter(pk=draft.pk).update(
        narrative="MQL at 15 points or more.", threshold=15
    )
    client.force_login(marketer)

    page = client.get(reverse("scoring:detail", args=[draft.pk]))

    assert "does not match the settings" not in page.content.decode()


def test_a_marketer_enters_negative_keywords_in_any_script_and_separator(client, marketer, draft):
    client.force_login(marketer)
    data = {
        "revision": draft.revision,
        "add-negative-field": "title",
        "add-negative-operator": "contains",
        "add-negative-value_text": "采购，學生、закуп، مشتريات, จัดซื้อ",
        "add-negative-effect": "disqualify",
    }

    response = client.post(reverse("scoring:add-rule", args=[draft.pk, "negative"]), data, **HTMX)

    assert response.status_code == 200
    rule = NegativeRule.objects.filter(agreement=draft, field="title").latest("pk")
    assert list(rule.value) == ["采购", "學生", "закуп", "مشتريات", "จัดซื้อ"]
    spec = AgreementSpec(version=9, threshold=0, negative_rules=(engine_rule("negative", rule),))
    lead = LeadFacts(email="a@acme.com", title="學生會")  # Traditional characters
    assert [hit.id for hit in evaluate(lead, [], spec, timezone.now()).negatives_hit] == [
        engine_rule("negative", rule).id
    ]
