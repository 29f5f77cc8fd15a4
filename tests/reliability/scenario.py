"""The work a reliability test starts, sweeps and checks, run as its own process against the
private database the test made (DATABASE_URL, REDIS_URL in the environment):

    python -m tests.reliability.scenario setup SIZE RECEIVER_URL
    python -m tests.reliability.scenario sweep [--leases-over]
    python -m tests.reliability.scenario check

`setup` publishes a new agreement version over SIZE leads (a full rescoring run), starts an
import of SIZE rows, fans a webhook out to every lead and breaches an SLA clock on a few dozen
handoffs; `sweep` runs every recovery sweep as the schedules would once the leases are over;
`check` prints what was done, as JSON, for the test to judge.
"""

import json
import os
import sys
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_q.tasks import async_task  # noqa: E402

from accounts.roles import Role  # noqa: E402
from handoff.assignment import assign_waiting_everywhere  # noqa: E402
from intake.imports import services as imports  # noqa: E402
from intake.models import ImportJob  # noqa: E402
from leads.models import ActivityKind, Lead  # noqa: E402
from notifications.emails import send_waiting_emails  # noqa: E402
from notifications.models import Notification  # noqa: E402
from scoring.models import AgreementStatus, RescoreRun  # noqa: E402
from scoring.runs import resume_stalled_runs  # noqa: E402
from scoring.versions import publish  # noqa: E402
from sla.models import Clock  # noqa: E402
from sla.services import advance_clocks  # noqa: E402
from tests.factories import ActivityFactory, LeadFactory, UserFactory  # noqa: E402
from tests.handoff.factories import mql_handoff  # noqa: E402
from tests.scoring.factories import signed_draft  # noqa: E402
from tests.teams.factories import TeamFactory, TeamMemberFactory  # noqa: E402
from webhooks.models import Delivery, Subscription  # noqa: E402
from webhooks.services import emit_many, send_due_deliveries  # noqa: E402

IMPORTED = "@imported.example"
BREACHED_HANDOFFS = 30


def setup(size: int, receiver_url: str) -> None:
    Lead.objects.bulk_create(
        Lead(email=f"lead{n}@scored.example", first_name=f"Lead {n}") for n in range(size)
    )
    ActivityFactory(lead=LeadFactory(), kind=ActivityKind.DEMO_REQUEST)
    author, rep = UserFactory(roles=[Role.MARKETER]), UserFactory(roles=[Role.SDR])
    manager = UserFactory(roles=[Role.MANAGER])
    team = TeamFactory(manager=manager, is_default=True)
    TeamMemberFactory(team=team, user=rep, cap=None)
    # Handoffs opened a week ago: their first-touch clocks are long due.
    week_ago = timezone.now() - timedelta(days=7)
    for _ in range(BREACHED_HANDOFFS):
        mql_handoff(now=week_ago, channel=None)
    Subscription.objects.create(
        name="receiver", url=receiver_url, events=["lead.mql", "sla.breached"]
    )
    # The fan-out, the import and the publish, each committed as a web request would.
    emit_many("lead.mql", [(pk, None) for pk in Lead.objects.values_list("pk", flat=True)])
    rows = "email,first_name,last_name\n" + "".join(
        f"row{n}{IMPORTED},Row,{n}\n" for n in range(size)
    )
    job = imports.create_import(upload=SimpleUploadedFile("rows.csv", rows.encode()), user=author)
    imports.dry_run(job=job, mapping=job.mapping, channel=None)
    imports.start_import(job=job)
    publish(agreement=signed_draft(author, author, rep), user=author)
    # The SLA scan, on its own queue, as its schedule queues it.
    async_task("sla.tasks.scan_clocks", cluster=settings.SLA_QUEUE or None)


def sweep(*, leases_over: bool) -> None:
    """Every sweep, as its schedule runs it. With `leases_over`, first as if the leases the
    killed workers held had run out (only while no worker runs: a live one holds its leases)."""
    now = timezone.now()
    if leases_over:
        later = now + timedelta(hours=1)
        resume_stalled_runs(now=later)
        imports.resume_stalled_imports(now=later)
        Delivery.objects.filter(status="pending", next_attempt_at__gt=now).update(
            next_attempt_at=now
        )
        Notification.objects.filter(email_lease_until__isnull=False).update(email_lease_until=None)
    advance_clocks(now=now)
    assign_waiting_everywhere()
    send_due_deliveries(now=now)
    send_waiting_emails(now=now)


def check() -> dict:
    run = RescoreRun.objects.select_related("agreement").latest("pk")
    version = run.agreement.version
    job = ImportJob.objects.latest("pk")
    breached = Clock.objects.filter(breached_at__isnull=False)
    return {
        "rescore_status": run.status,
        "published": run.agreement.status == AgreementStatus.PUBLISHED,
        "leads": Lead.objects.count(),
        "leads_not_rescored": Lead.objects.exclude(score_agreement_version=version).count(),
        "import_status": job.status,
        "rows_imported": Lead.objects.filter(email__endswith=IMPORTED).count(),
        "breached_clocks": breached.count(),
        "escalated_clocks": breached.filter(escalated_at__isnull=False).count(),
        "breach_deliveries": Delivery.objects.filter(event="sla.breached").count(),
        "deliveries": Delivery.objects.count(),
        "deliveries_pending": Delivery.objects.exclude(status="succeeded").count(),
        "pending_sample": [
            [d.pk, d.event, d.attempts, str(d.next_attempt_at), str(d.created_at), d.last_error]
            for d in Delivery.objects.exclude(status="succeeded").order_by("pk")[:3]
        ],
        "emails_wanted": Notification.objects.filter(email_wanted=True).count(),
        "emails_unsent": Notification.objects.filter(
            email_wanted=True, emailed_at__isnull=True
        ).count(),
        "breach_notifications": Notification.objects.filter(kind="sla_breached").count(),
        "breached_clocks_held": breached.filter(rep__isnull=False).count(),
    }


if __name__ == "__main__":
    step = sys.argv[1]
    if step == "setup":
        setup(int(sys.argv[2]), sys.argv[3])
    elif step == "sweep":
        sweep(leases_over="--leases-over" in sys.argv)
    else:
        print(json.dumps(check()))
