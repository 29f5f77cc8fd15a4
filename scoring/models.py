"""The MQL agreement as rows: versions, their rules, sign-offs and rescoring runs.

Rules are stored field by field (not as one blob) so the database can refuse impossible values
and the editor can change one rule at a time. scoring/convert.py turns the rows into the engine's
AgreementSpec; the engine stays the only place that decides.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.i18n import shipped
from leads.models import ActivityKind, ChannelKind
from scoring import engine
from scoring.describe import OPERATOR_LABELS, describe


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Agreement(models.Model):
    """One version of the MQL agreement. Exactly one is published; published ones never change.

    `revision` is a version stamp: every edit of a draft bumps it, and an edit made against an
    older revision is refused (two marketers editing the same draft).
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    narrative = models.TextField(_("narrative"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    threshold = models.IntegerField(_("threshold"), default=15)
    decay_after_days = models.PositiveIntegerField(_("decay starts after (days)"), default=14)
    decay_percent_per_week = models.PositiveIntegerField(_("decay per week (%)"), default=25)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            # Exactly one version is in force; current_agreement_spec() relies on it.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="published"),
                name="agreement_one_published",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values), name="agreement_status_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="agreement_version_from_1"),
            models.CheckConstraint(condition=Q(threshold__gte=0), name="agreement_threshold_gte_0"),
            models.CheckConstraint(
                condition=Q(decay_percent_per_week__lte=100), name="agreement_decay_percent_lte_100"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="agreement_published_has_date",
            ),
        ]

    def __str__(self):
        return _("v%(version)s · %(name)s") % {"version": self.version, "name": self.display_name}

    @property
    def display_name(self) -> str:
        """The starter agreement's name in the reader's language; a team's own as written."""
        return shipped(self.name)

    @property
    def display_narrative(self) -> str:
        """The starter narrative in the reader's language while nobody has rewritten it."""
        return shipped(self.narrative)

    @property
    def is_draft(self) -> bool:
        return self.status == AgreementStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.is_draft and self.submitted_at is not None


OPERATOR_CHOICES = list(OPERATOR_LABELS.items())


class RuleMode(models.TextChoices):
    GATE = engine.GATE, _("Gate (must hold)")
    POINTS = engine.POINTS, _("Fit points")


class ChannelPolicy(models.TextChoices):
    ACCEPTED = engine.ACCEPTED, _("Accepted")
    CONDITIONAL = engine.CONDITIONAL, _("Accepted with conditions")
    NOT_ACCEPTED = engine.NOT_ACCEPTED, _("Not accepted")


class NegativeEffect(models.TextChoices):
    DISQUALIFY = engine.DISQUALIFY, _("Disqualify")
    POINTS = engine.POINTS, _("Take points away")


class Rule(models.Model):
    """What every rule row shares: its version, its place in the list and a stable key.

    The key is the rule's id in the engine and in stored explanations, and it is how the diff
    matches a rule across versions, so copies of a version keep their keys.
    """

    agreement = models.ForeignKey(
        Agreement, models.CASCADE, related_name="%(class)ss", verbose_name=_("agreement")
    )
    key = models.SlugField(_("key"), max_length=80)
    position = models.PositiveIntegerField(_("position"), default=0)

    rule_kind = ""

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        # Never builds the engine rule: a row the engine refuses must still print (admin, logs).
        return f"{self._meta.verbose_name} {self.key}"

    def describe(self) -> str:
        """The rule in plain words, in the active language; raises RuleError when it is invalid."""
        from scoring.convert import engine_rule

        return describe(engine_rule(self.rule_kind, self))


def _rule_constraints(name: str) -> list:
    return [
        models.UniqueConstraint(fields=["agreement", "key"], name=f"{name}_key_unique"),
    ]


class ProfileRule(Rule):
    rule_kind = "profile"
    field = models.CharField(_("field"), max_length=120)
    operator = models.CharField(_("operator"), max_length=20, choices=OPERATOR_CHOICES)
    value = models.JSONField(_("value"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=RuleMode.choices)
    points = models.IntegerField(_("points"), default=0)

    class Meta(Rule.Meta):
        verbose_name = _("profile rule")
        verbose_name_plural = _("profile rules")
        constraints = [
            *_rule_constraints("profilerule"),
            models.CheckConstraint(
                condition=Q(operator__in=engine.OPERATORS), name="profilerule_operator_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode=engine.GATE, points=0) | Q(mode=engine.POINTS),
                name="profilerule_gate_without_points",
            ),
        ]


class ChannelRule(Rule):
    rule_kind = "channel"
    channel_slug = models.CharField(_("channel"), max_length=100, blank=True)
    channel_kind = models.CharField(
        _("channel kind"), max_length=20, choices=ChannelKind.choices, blank=True
    )
    policy = models.CharField(_("policy"), max_length=20, choices=ChannelPolicy.choices)
    required_activity_kinds = models.JSONField(_("required activities"), default=list, blank=True)
    min_score = models.PositiveIntegerField(_("minimum score"), null=True, blank=True)

    class Meta(Rule.Meta):
        verbose_name = _("channel rule")
        verbose_name_plural = _("channel rules")
        constraints = [
            *_rule_constraints("channelrule"),
            models.CheckConstraint(
                condition=(Q(channel_slug="") & ~Q(channel_kind=""))
                | (~Q(channel_slug="") & Q(channel_kind="")),
                name="channelrule_slug_or_kind",
            ),
            models.CheckConstraint(
                condition=Q(policy__in=ChannelPolicy.values), name="channelrule_policy_valid"
            ),
        ]


class ActionRule(Rule):
    rule_kind = "action"
    kind = models.CharField(_("activity"), max_length=30, choices=ActivityKind.choices)
    # [{"key": "asset_type", "operator": "equals", "value": "ebook"}, ...]
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    points = models.PositiveIntegerField(_("points"))
    cap = models.PositiveIntegerField(_("at most (times)"), null=True, blank=True)
    window_days = models.PositiveIntegerField(_("in the last (days)"), null=True, blank=True)

    class Meta(Rule.Meta):
        verbose_name = _("action rule")
        verbose_name_plural = _("action rules")
        constraints = [
            *_rule_constraints("actionrule"),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(cap__gte=1), name="actionrule_cap_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(window_days__isnull=True) | Q(window_days__gte=1),
                name="actionrule_window_gte_1",
            ),
            models.CheckConstraint(
                condition=~Q(kind=engine.UNSUBSCRIBE), name="actionrule_not_unsubscribe"
            ),
        ]


class NegativeRule(Rule):
    rule_kind = "negative"
    effect = models.CharField(_("effect"), max_length=20, choices=NegativeEffect.choices)
    points = models.IntegerField(_("points"), default=0)
    field = models.CharField(_("field"), max_length=120, blank=True)
    operator = models.CharField(
        _("operator"), max_length=20, choices=OPERATOR_CHOICES, default="present"
    )
    value = models.JSONField(_("value"), null=True, blank=True)
    activity_kind = models.CharField(
        _("activity"), max_length=30, choices=ActivityKind.choices, blank=True
    )
    conditions = models.JSONField(_("conditions"), default=list, blank=True)

    class Meta(Rule.Meta):
        verbose_name = _("negative rule")
        verbose_name_plural = _("negative rules")
        constraints = [
            *_rule_constraints("negativerule"),
            models.CheckConstraint(
                condition=(Q(field="") & ~Q(activity_kind=""))
                | (~Q(field="") & Q(activity_kind="")),
                name="negativerule_field_or_activity",
            ),
            models.CheckConstraint(
                condition=Q(operator__in=engine.OPERATORS), name="negativerule_operator_valid"
            ),
            models.CheckConstraint(
                condition=Q(effect=engine.DISQUALIFY, points=0)
                | Q(effect=engine.POINTS, points__lt=0),
                name="negativerule_points_match_effect",
            ),
        ]


class SignoffSide(models.TextChoices):
    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")


class Signoff(models.Model):
    """One team's signature on a submitted draft; editing the draft again voids the signatures."""

    agreement = models.ForeignKey(
        Agreement, models.CASCADE, related_name="signoffs", verbose_name=_("agreement")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("signed by")
    )
    side = models.CharField(_("side"), max_length=20, choices=SignoffSide.choices)
    at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "side"], name="signoff_one_per_side"),
            # One person never signs for both teams.
            models.UniqueConstraint(fields=["agreement", "user"], name="signoff_one_per_person"),
            models.CheckConstraint(
                condition=Q(side__in=SignoffSide.values), name="signoff_side_valid"
            ),
        ]

    def __str__(self):
        return f"{self.agreement} · {self.get_side_display()} · {self.user}"


class RescoreStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    SUPERSEDED = "superseded", _("Stopped: a newer version was published")


class RescoreRun(models.Model):
    """Rescoring every lead after a publish, in batches by lead id.

    `last_lead_id` is committed with each batch, so a worker that dies resumes after the last
    finished batch instead of starting over. `heartbeat_at` is renewed with each batch (and when
    the sweep takes a run over): a run whose heartbeat is older than the lease has lost its
    worker, and the sweep (scoring.runs.resume_stalled_runs) resumes it.
    """

    agreement = models.ForeignKey(
        Agreement, models.CASCADE, related_name="rescore_runs", verbose_name=_("agreement")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RescoreStatus.choices, default=RescoreStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("leads to score"), default=0)
    processed = models.PositiveIntegerField(_("leads scored"), default=0)
    moved_to_mql = models.PositiveIntegerField(_("moved to MQL"), default=0)
    last_lead_id = models.PositiveBigIntegerField(_("last lead scored"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rescoring run")
        verbose_name_plural = _("rescoring runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RescoreStatus.values), name="rescorerun_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.agreement} · {self.processed}/{self.total}"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100
        return min(100, self.processed * 100 // self.total)

    @property
    def is_active(self) -> bool:
        return self.status in (RescoreStatus.QUEUED, RescoreStatus.RUNNING)
