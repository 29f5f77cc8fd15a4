"""Every URL in config/urls.py, asked for as each role, as a user without a role and anonymously,
answers as the capability table says. A URL missing from ACCESS fails the test: a new page or
endpoint needs its access rule written here.

Ids in URLs name rows that do not exist, so those allowed in get 404 (or 400/405/415 for input
the view refuses) and those not allowed get 403: the access check runs before the lookup.
"""

import re

import pytest
from django.urls import URLResolver, get_resolver, reverse

from accounts.capabilities import may
from accounts.roles import Role, roles_of

pytestmark = pytest.mark.django_db

PUBLIC = "public"
SIGNED_IN = "signed in"
STAFF = "staff"  # Django's admin: staff only, whatever the role; non-staff go to its login

MISSING = 999999
ARGS = {
    "pk": MISSING,
    "rule_id": MISSING,
    "team_pk": MISSING,
    "id": MISSING,
    "content_type_id": MISSING,
    "object_id": str(MISSING),
    "kind": "fit",
    "key": "no-such-form",
    "uidb64": "MQ",
    "token": "set-password",
    "app_label": "auth",
    "url": "nowhere/",
    "currency": "EUR",
    "into": "USD",
}

# The home page shows each role's part; a rep alone goes to the queue (their part is on top of
# it), and whoever has no part (an administrator, a user without a role) to the leads.
HOME = {Role.SDR: 302, Role.ADMIN: 302, None: 302, "otherwise": 200}

# URL name: (the method that reaches the view's access check, who may, the status they get: one
# for everyone allowed, or one per single role as HOME).
ACCESS = {
    "home": ("GET", SIGNED_IN, HOME),
    "healthz": ("GET", PUBLIC, 503),  # no worker heartbeat in the test database
    "login": ("GET", PUBLIC, 200),
    "logout": ("POST", PUBLIC, 302),
    "password_change": ("GET", SIGNED_IN, 200),
    "password_change_done": ("GET", SIGNED_IN, 200),
    "password_reset": ("GET", PUBLIC, 200),
    "password_reset_done": ("GET", PUBLIC, 200),
    "password_reset_confirm": ("GET", PUBLIC, 200),
    "password_reset_complete": ("GET", PUBLIC, 200),
    "set_language": ("POST", PUBLIC, 302),
    "accounts:profile": ("GET", "accounts.profile", 200),
    "accounts:preferences": ("POST", "accounts.profile", 302),  # an unticked box is a choice too
    "accounts:create-token": ("POST", "accounts.profile", 400),  # no name, no lifetime
    "accounts:revoke-token": ("POST", "accounts.profile", 404),
    "accounts:save-view": ("POST", "accounts.profile", 400),  # no list named
    "accounts:open-view": ("GET", "accounts.profile", 404),
    "accounts:delete-view": ("POST", "accounts.profile", 404),
    "accounts:lockouts": ("GET", "accounts.unlock", 200),
    "accounts:unlock": ("POST", "accounts.unlock", 400),  # no lockout named in the post
    "leads:list": ("GET", "leads.view", 200),
    "leads:export": ("GET", "leads.view", 200),
    "leads:detail": ("GET", "leads.view", 404),
    "leads:timeline": ("GET", "leads.view", 404),
    "privacy:erase": ("GET", "leads.erase", 404),
    "privacy:download": ("GET", "leads.export_personal_data", 404),
    "privacy:consent": ("POST", "leads.consent", 404),
    "scoring:current": ("GET", "agreement.view", 302),
    "scoring:history": ("GET", "agreement.view", 200),
    "scoring:create": ("POST", "agreement.edit", 302),
    "scoring:diff": ("GET", "agreement.view", 200),
    "scoring:detail": ("GET", "agreement.view", 404),
    "scoring:submit": ("POST", "agreement.edit", 404),
    "scoring:sign": ("POST", ("agreement.sign_off_marketing", "agreement.sign_off_sales"), 404),
    "scoring:publish": ("POST", "agreement.publish", 404),
    "scoring:progress": ("GET", "agreement.view", 404),
    "scoring:edit": ("GET", "agreement.edit", 404),
    "scoring:edit-settings": ("POST", "agreement.edit", 404),
    "scoring:preview": ("GET", "agreement.view", 404),
    "scoring:section": ("GET", "agreement.edit", 404),
    "scoring:add-rule": ("POST", "agreement.edit", 404),
    "scoring:rule": ("GET", "agreement.edit", 404),
    "scoring:move-rule": ("POST", "agreement.edit", 404),
    "scoring:remove-rule": ("POST", "agreement.edit", 404),
    "handoff:queue": ("GET", "queue.work", 200),
    "handoff:queue_rows": ("GET", "queue.work", 200),
    "handoff:bulk": ("POST", "queue.reassign", 400),  # no action chosen
    "handoff:work": ("GET", "queue.work", 404),
    "handoff:claim": ("POST", "queue.work", 404),
    "handoff:first_touch": ("POST", "queue.work", 404),
    "handoff:accept": ("POST", "queue.work", 404),
    "handoff:return": ("POST", "queue.work", 404),
    "handoff:disqualify": ("POST", "leads.disqualify", 404),
    "handoff:status": ("POST", "queue.work", 404),
    "handoff:reassign": ("POST", "queue.reassign", 404),
    "handoff:lead_status": ("POST", "handoff.work_leads", 404),
    "handoff:qualification": ("POST", "handoff.work_leads", 404),
    "handoff:promote": ("POST", "handoff.qualify", 404),
    "handoff:return_sal": ("POST", "handoff.qualify", 404),
    "handoff:disqualify_lead": ("POST", "leads.disqualify", 404),
    "handoff:reinstate_lead": ("POST", "leads.reinstate", 404),
    "handoff:open_opportunity": ("POST", "handoff.work_leads", 404),
    "handoff:returned": ("GET", "handoff.view_returned", 200),
    "handoff:teams": ("GET", "teams.manage", 200),
    "handoff:team": ("GET", "teams.manage", 404),
    "handoff:team_mode": ("POST", "teams.manage", 404),
    "handoff:add_member": ("POST", "teams.manage", 404),
    "handoff:member": ("POST", "teams.manage", 404),
    "handoff:return_reasons": ("GET", "teams.manage", 200),
    "handoff:return_reason": ("POST", "teams.manage", 404),
    "handoff:criteria": ("GET", "teams.manage", 200),
    "handoff:sqls": ("GET", "opportunities.work", 200),
    "handoff:opportunities": ("GET", "opportunities.work", 200),
    "handoff:opportunity": ("GET", "opportunities.work", 404),
    "notifications:list": ("GET", "notifications.view", 200),
    # The header badge polls on every page, also for a user without a role (their own count).
    "notifications:badge": ("GET", SIGNED_IN, 200),
    "notifications:read": ("POST", "notifications.view", 302),
    "reports:funnel": ("GET", "reports.view", 200),
    "audit:list": ("GET", "audit.read", 200),
    "audit:csv": ("GET", "audit.read", 200),
    "reports:funnel_csv": ("GET", "reports.view", 200),
    "reports:returns": ("GET", "reports.view", 200),
    "reports:returns_csv": ("GET", "reports.view", 200),
    "reports:channels": ("GET", "reports.view", 200),
    "reports:channels_csv": ("GET", "reports.view", 200),
    "reports:spend": ("GET", "reports.enter_spend", 200),
    "reports:pipeline": ("GET", "reports.view", 200),
    "reports:pipeline_csv": ("GET", "reports.view", 200),
    "reports:exchange_rates": ("GET", "reports.exchange_rates", 200),
    "reports:sla_dashboard": ("GET", "reports.sla", 200),
    "reports:breaches": ("GET", "reports.sla", 200),
    "reports:breach_drilldown": ("GET", "reports.sla", 200),
    "sla:dashboard": ("GET", SIGNED_IN, 302),  # an old bookmark, sent on to reports:sla_dashboard
    "sla:policies": ("GET", "sla.manage", 200),
    "sla:policy_new": ("GET", "sla.manage", 200),
    "sla:policy_edit": ("GET", "sla.manage", 404),
    "sla:policy_deactivate": ("POST", "sla.manage", 404),
    "sla:hours": ("GET", "sla.manage", 200),
    "sla:hours_edit": ("GET", "sla.manage", 404),
    "sla:exception_add": ("POST", "sla.manage", 404),
    "sla:exception_remove": ("POST", "sla.manage", 404),
    "intake:imports": ("GET", "intake.import", 200),
    "intake:import-detail": ("GET", "intake.import", 404),
    "intake:import-map": ("GET", "intake.import", 404),
    "intake:import-start": ("POST", "intake.import", 404),
    "intake:import-progress": ("GET", "intake.import", 404),
    "intake:import-rejections": ("GET", "intake.import", 404),
    "intake:form-keys": ("GET", "intake.manage_forms", 200),
    "intake:form-key-toggle": ("POST", "intake.manage_forms", 404),
    "intake:form-key-rotate": ("POST", "intake.manage_forms", 404),
    "intake:form-key-delete": ("POST", "intake.manage_forms", 404),
    "intake:capture": ("GET", PUBLIC, 404),  # websites post here; the key is the access rule
    "webhooks:list": ("GET", "webhooks.manage", 200),
    "webhooks:detail": ("GET", "webhooks.manage", 404),
    "webhooks:rotate-secret": ("POST", "webhooks.manage", 404),
    "webhooks:replay": ("POST", "webhooks.manage", 404),
    "api-index": ("GET", PUBLIC, 200),
    "api-not-found": ("GET", PUBLIC, 404),
    "api-notifications": ("GET", "notifications.view", 200),
    "api-leads": ("GET", "leads.view", 200),
    "api-lead": ("GET", "leads.view", 404),
    "api-lead-erase": ("POST", "leads.erase", 404),
    "api-lead-personal-data": ("GET", "leads.export_personal_data", 404),
    "api-lead-consents": ("GET", "leads.view", 404),
    "api-agreements": ("GET", "agreement.view", 200),
    "api-agreement-current": ("GET", "agreement.view", 200),
    "api-agreement": ("GET", "agreement.view", 404),
    "api-queue": ("GET", "queue.work", 200),
    "api-qualification": ("GET", "handoff.work_leads", 404),
    "api-promote": ("POST", "handoff.qualify", 404),
    "api-return-sal": ("POST", "handoff.qualify", 404),
    "api-disqualify-lead": ("POST", "leads.disqualify", 404),
    "api-reinstate-lead": ("POST", "leads.reinstate", 404),
    "handoff-detail": ("GET", "queue.work", 404),
    "handoff-claim": ("POST", "queue.work", 404),
    # These validate the body before they look the handoff up.
    "handoff-accept": ("POST", "queue.work", 400),
    "handoff-first-touch": ("POST", "queue.work", 400),
    "handoff-reassign": ("POST", "queue.work", 400),
    "handoff-return-to-marketing": ("POST", "queue.work", 400),
    "handoff-disqualify": ("POST", "queue.work", 400),
    "handoff-status": ("POST", "queue.work", 400),
    "opportunity-list": ("GET", "handoff.work_leads", 200),
    "opportunity-detail": ("GET", "handoff.work_leads", 404),
    "opportunity-won": ("POST", "handoff.work_leads", 404),
    "opportunity-lost": ("POST", "handoff.work_leads", 400),
    "api-activities": ("POST", "intake.post_activities", 400),
    "api-sla-report": ("GET", "reports.sla", 200),
    "api-report-funnel": ("GET", "reports.view", 200),
    "api-audit": ("GET", "audit.read", 200),
    "api-report-returns": ("GET", "reports.view", 200),
    "api-report-channels": ("GET", "reports.view", 200),
    "api-report-pipeline": ("GET", "reports.view", 200),
    "api-exchange-rates": ("GET", "reports.view", 200),
    "api-exchange-rate": ("DELETE", "reports.exchange_rates", 404),
    "api-schema": ("GET", PUBLIC, 200),
    "api-docs": ("GET", PUBLIC, 200),
    "admin:login": ("GET", PUBLIC, 200),
}


def url_patterns(patterns=None, prefix="", namespace=""):
    """(key, url) of every pattern: its name, or its route where it has none."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            continue
        route = prefix + str(pattern.pattern)
        if pattern.name:
            names = pattern.pattern.regex.groupindex
            key = f"{namespace}{pattern.name}"
            yield key, route, reverse(key, kwargs={name: ARGS[name] for name in names})
        else:
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ARGS[m.group(1)]), route)
            yield route, route, "/" + path.replace("(?P<url>.*)$", ARGS["url"])


def rule_for(key: str, route: str):
    if key in ACCESS:
        return ACCESS[key]
    if route.startswith("admin/"):
        return ("GET", STAFF, 200)
    raise AssertionError(f"{key} ({route}) has no access rule: add it to ACCESS.")


def expected_status(rule, allowed, user, api: bool) -> int:
    if isinstance(allowed, dict):
        roles = roles_of(user) if user is not None else frozenset()
        (role,) = roles if len(roles) == 1 else (None,)
        allowed = allowed.get(role, allowed["otherwise"])
    if rule == PUBLIC:
        return allowed
    if user is None:
        return 401 if api else 302
    if rule == STAFF:
        return 302
    if rule == SIGNED_IN:
        return allowed
    capabilities = rule if isinstance(rule, tuple) else (rule,)
    return allowed if may(user, *capabilities) else 403


def test_every_url_has_an_access_rule():
    assert [key for key, route, _url in url_patterns() if rule_for(key, route)]


def test_every_rule_names_a_url():
    keys = {key for key, _route, _url in url_patterns()}

    assert set(ACCESS) - keys == set()


@pytest.mark.parametrize("role", [*Role, "no role", "anonymous"])
def test_each_url_answers_as_the_capability_table_says(client, make_user, role):
    user = {"anonymous": None, "no role": make_user()}.get(role) or make_user(role)
    wrong = []
    for key, route, url in url_patterns():
        method, rule, allowed = rule_for(key, route)
        if user is not None:
            client.force_login(user)  # logout and password changes end the session
        api = url.startswith("/api/")
        # The API speaks JSON only: a body of another type would be 415 before any check.
        json = {"data": "", "content_type": "application/json"} if api and method != "GET" else {}
        response = getattr(client, method.lower())(url, **json)
        want = expected_status(rule, allowed, user, api=api)
        if response.status_code != want:
            wrong.append(f"{method} {url} ({key}): {response.status_code}, expected {want}")
        elif want == 302 and user is None and rule != PUBLIC:
            login = reverse("admin:login" if rule == STAFF else "login")
            assert response["Location"].startswith(login), url

    assert wrong == []
