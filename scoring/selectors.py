"""Reads for the agreement pages, the lead page and the API."""

import dataclasses

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from accounts.capabilities import may
from leads.models import Lead, Stage, StageChange
from scoring import engine
from scoring.convert import RULE_MODELS, rules_of
from scoring.describe import describe, reasons_not
from scoring.diff import KIND_LABELS
from scoring.facts import NO_ENGAGEMENT, activities_of, engagement_by_lead, profile_values
from scoring.facts import lead_facts as to_lead_facts
from scoring.models import Agreement, AgreementStatus, RescoreRun, Signoff, SignoffSide
from scoring.services import current_agreement_spec


def agreements_for(user) -> QuerySet:
    """Versions a user may see: drafts in progress only for those who edit them."""
    agreements = Agreement.objects.select_related("author", "published_by")
    if not may(user, "agreement.edit"):
        agreements = agreements.exclude(status=AgreementStatus.DRAFT, submitted_at=None)
    return agreements


def with_rules(agreements: QuerySet) -> QuerySet:
    """Prefetch every rule kind and the sign-offs: a fixed number of queries for any list."""
    return agreements.prefetch_related(
        *(f"{model._meta.model_name}s" for model in RULE_MODELS.values()),
        Prefetch("signoffs", queryset=Signoff.objects.select_related("user")),
    )


def rule_words(versions, kinds=tuple(RULE_MODELS)) -> dict[tuple[int, str], str]:
    """{(version, rule id): the rule in the reader's language} for these agreement versions'
    rules of `kinds`, one query a kind (none without a version): stored explanations keep rule
    ids, and are worded again when read."""
    versions = set(versions) - {None}
    if not versions:
        return {}
    return {
        (row.version, row.key): row.describe()
        for kind in kinds
        for row in RULE_MODELS[kind]
        .objects.filter(agreement__version__in=versions)
        .annotate(version=F("agreement__version"))
    }


# Only fit, channel and action rules give points; negatives never make a top reason.
REASON_KINDS = ("profile", "channel", "action")
# {(version, language): {rule id: the rule in that language}} of versions past draft, which
# never change again (handoffs are only ever scored under a published one): every queue row,
# work panel and API answer words its reasons, and from the second time on reads nothing.
_published_words: dict[tuple[int, str], dict[str, str]] = {}


def word_reasons(*, handoffs) -> None:
    """Word each handoff's top reasons from its agreement version (handoff.hooks.word_reasons);
    a rule no longer there keeps the words it was stored with. One query a rule kind for the
    versions not yet worded in this language in this process, none once they are."""
    language = get_language()
    versions = {handoff.agreement_version for handoff in handoffs} - {None}
    missing = {version for version in versions if (version, language) not in _published_words}
    worded = {version: _published_words.get((version, language), {}) for version in versions}
    drafts = set()
    for kind in REASON_KINDS if missing else ():
        rows = (
            RULE_MODELS[kind]
            .objects.filter(agreement__version__in=missing)
            .annotate(version=F("agreement__version"), status=F("agreement__status"))
        )
        for row in rows:
            worded[row.version][row.key] = row.describe()
            if row.status == AgreementStatus.DRAFT:
                drafts.add(row.version)
    for version in missing - drafts:
        _published_words[(version, language)] = worded[version]
    for handoff in handoffs:
        words = worded.get(handoff.agreement_version, {})
        for line in handoff.top_reasons:
            line["rule"] = words.get(line.get("id"), line["rule"])


@dataclasses.dataclass(frozen=True)
class AwaitingSignature:
    """A submitted draft and the teams whose signature it still lacks (none: ready to publish)."""

    agreement: Agreement
    unsigned: list[str]


def drafts_awaiting_signature() -> list[AwaitingSignature]:
    """Submitted drafts, oldest submission first, with the sides still to sign. Two queries: the
    drafts with their authors, and their sign-offs."""
    drafts = (
        Agreement.objects.filter(status=AgreementStatus.DRAFT, submitted_at__isnull=False)
        .select_related("author")
        .prefetch_related("signoffs")
        .order_by("submitted_at", "pk")
    )
    return [
        AwaitingSignature(
            agreement=draft,
            unsigned=[
                str(SignoffSide(side).label)
                for side in SignoffSide.values
                if side not in {signoff.side for signoff in draft.signoffs.all()}
            ],
        )
        for draft in drafts
    ]


def published_agreement() -> Agreement | None:
    return with_rules(Agreement.objects.filter(status=AgreementStatus.PUBLISHED)).first()


def latest_run(agreement: Agreement) -> RescoreRun | None:
    return agreement.rescore_runs.order_by("-created_at", "-id").first()


@dataclasses.dataclass(frozen=True)
class MqlDecision:
    change: StageChange
    version: int | None
    lines: list[tuple[str, int]]


@dataclasses.dataclass(frozen=True)
class LeadScoreSection:
    """The lead page's score: worked out now under the published version (so it shows today's
    decay), and every MQL decision with the version and score lines it was made with."""

    result: engine.ScoreResult | None
    decisions: list[MqlDecision]

    @property
    def lines(self) -> list[tuple[str, int]]:
        return [(describe(line.rule), line.points) for line in self.result.lines]

    @property
    def gates(self) -> list[tuple[str, bool]]:
        unmet = set(self.result.gates_unmet)
        return [
            (describe(gate), gate not in unmet)
            for gate in self.result.gates_met + self.result.gates_unmet
        ]

    @property
    def reasons_not(self) -> list[str]:
        return reasons_not(self.result)

    @property
    def negatives(self) -> list[str]:
        return [describe(rule) for rule in self.result.negatives_hit]


def lead_score_section(*, lead: Lead, now=None) -> LeadScoreSection:
    now = now or timezone.now()
    result = None
    spec = current_agreement_spec()
    if spec is not None:
        row = Lead.objects.filter(pk=lead.pk).values(*profile_values([spec])).get()
        facts = engagement_by_lead(activities_of([lead.pk]), [spec], now).get(
            lead.pk, [NO_ENGAGEMENT]
        )
        result = engine.score(to_lead_facts(row), facts[0], spec, now)
    changes = list(lead.stage_changes.filter(to_stage=Stage.MQL).select_related("actor"))
    worded = rule_words({change.context.get("agreement_version") for change in changes})
    decisions = []
    for change in changes:
        version = change.context.get("agreement_version")
        lines = (change.context.get("explanation") or {}).get("lines", [])
        # Worded again in the reader's language; the stored words if the rule is gone.
        decisions.append(
            MqlDecision(
                change,
                version,
                [
                    (worded.get((version, line["id"]), line["rule"]), line["points"])
                    for line in lines
                ],
            )
        )
    return LeadScoreSection(result, decisions)


def document(agreement: Agreement) -> list[tuple[str, str, list]]:
    """The agreement's rules as the readable document: (kind, title, [(row, sentence)])."""
    rules = rules_of(agreement)
    return [
        (kind, KIND_LABELS[kind], [(row, row.describe()) for row in rules[kind]])
        for kind in RULE_MODELS
    ]
