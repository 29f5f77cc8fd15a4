from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.text import fold
from leads.countries import lead_countries
from leads.names import display_name

# What an erased lead is called wherever its name was shown.
ERASED_LEAD = _("Erased lead #%(id)s")
# The address an erased lead keeps: unique per lead as the email column requires, and in a domain
# reserved never to exist (RFC 2606), so nothing can be sent to it.
ERASED_EMAIL_DOMAIN = "erased.invalid"

# The upper end of an open company-size range ("10,000+"): the largest size the column holds.
OPEN_COMPANY_SIZE = 2_147_483_647


def normalize_email(email: str) -> str:
    """One spelling per address: `Ana@Example.COM ` and `ana@example.com` are the same lead."""
    return (email or "").strip().lower()


def search_key(*parts) -> str:
    """Text folded as the agreement's rules fold it (core.text.fold), so search matches in any
    script on SQLite and PostgreSQL alike (SQLite's LIKE folds ASCII only, so Cyrillic or Greek
    would not match otherwise) and a keyword that finds a lead also fires its rule."""
    return fold(" ".join(str(part) for part in parts if part))


class Stage(models.TextChoices):
    SUBSCRIBER = "subscriber", _("Subscriber")
    LEAD = "lead", _("Lead")
    MQL = "mql", _("MQL")
    SAL = "sal", _("SAL")
    SQL = "sql", _("SQL")
    OPPORTUNITY = "opportunity", _("Opportunity")
    CUSTOMER = "customer", _("Customer")
    RECYCLED = "recycled", _("Recycled")
    DISQUALIFIED = "disqualified", _("Disqualified")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    ATTEMPTED_TO_CONTACT = "attempted_to_contact", _("Attempted to contact")
    CONNECTED = "connected", _("Connected")
    OPEN_DEAL = "open_deal", _("Open deal")
    UNQUALIFIED = "unqualified", _("Unqualified")
    BAD_TIMING = "bad_timing", _("Bad timing")


class ChannelKind(models.TextChoices):
    INBOUND_FORM = "inbound_form", _("Inbound form")
    EVENT = "event", _("Event")
    INTERACTION = "interaction", _("Interaction")
    REFERRAL = "referral", _("Referral")
    PAID = "paid", _("Paid")
    OUTBOUND_LIST = "outbound_list", _("Outbound list")


class ActivityKind(models.TextChoices):
    PAGE_VIEW = "page_view", _("Page view")
    EMAIL_OPEN = "email_open", _("Email open")
    EMAIL_CLICK = "email_click", _("Email click")
    FORM_SUBMIT = "form_submit", _("Form submit")
    CONTENT_DOWNLOAD = "content_download", _("Content download")
    WEBINAR_REGISTERED = "webinar_registered", _("Webinar registered")
    WEBINAR_ATTENDED = "webinar_attended", _("Webinar attended")
    EVENT_ATTENDED = "event_attended", _("Event attended")
    TRADE_SHOW_CONVERSATION = "trade_show_conversation", _("Trade-show conversation")
    DEMO_REQUEST = "demo_request", _("Demo request")
    CONTACT_REQUEST = "contact_request", _("Contact request")
    PRICING_VIEW = "pricing_view", _("Pricing view")
    UNSUBSCRIBE = "unsubscribe", _("Unsubscribe")


class Channel(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    teams = models.ManyToManyField(
        "teams.Team",
        blank=True,
        related_name="channels",
        verbose_name=_("teams"),
        help_text=_("Leads from this channel go to these teams."),
        # The table of the time when teams held this list; its columns fit either side.
        db_table="handoff_team_channels",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ChannelKind.values), name="channel_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Lead(models.Model):
    email = models.EmailField(_("email"), max_length=254)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    middle_name = models.CharField(
        _("middle name or patronymic"), max_length=150, blank=True, default="", db_default=""
    )
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    company_size = models.PositiveIntegerField(_("company size (employees)"), null=True, blank=True)
    # A size known only as a range ("51-200", as CRMs export it) is company_size up to this; null
    # when company_size is exact. An open range ("10,000+") reaches OPEN_COMPANY_SIZE. How rules
    # compare a range: scoring/normal.py, size_bounds.
    company_size_max = models.PositiveIntegerField(
        _("company size, up to (employees)"), null=True, blank=True
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    country = CountryField(
        _("country"),
        countries=lead_countries,
        blank=True,
        help_text=_("ISO 3166 code; shown in the reader's language."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    social_handles = models.JSONField(
        _("social handles"), default=dict, blank=True, help_text=_('e.g. {"linkedin": "…"}')
    )
    channel = models.ForeignKey(
        Channel,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("channel"),
    )
    source_detail = models.CharField(_("source detail"), max_length=200, blank=True)
    # Written only by leads.lifecycle.move_stage, never directly.
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD)
    stage_changed_at = models.DateTimeField(_("stage changed at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=30, choices=LeadStatus.choices, default=LeadStatus.NEW
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_leads",
        verbose_name=_("owner"),
    )
    score = models.IntegerField(_("score"), default=0)
    fit_score = models.IntegerField(_("fit points"), default=0)
    engagement_score = models.IntegerField(_("engagement points"), default=0)
    score_agreement_version = models.PositiveIntegerField(
        _("scored under agreement version"), null=True, blank=True
    )
    score_explanation = models.JSONField(_("score explanation"), default=dict, blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    last_engaged_at = models.DateTimeField(_("last engagement"), null=True, blank=True)
    attributes = models.JSONField(_("extra attributes"), default=dict, blank=True)
    # Every contact scope withdrawn (leads.consent keeps it from the consent records, as
    # leads.lifecycle keeps `stage` from the stage changes), so lists and the queue show
    # "Do not contact" without reading the history.
    do_not_contact = models.BooleanField(
        _("do not contact"), default=False, db_default=False, editable=False
    )
    # Set by privacy.erasure: the person's data is gone and the row stays for the reports.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="lead_email_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="lead_email_normalized"
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="lead_stage_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=LeadStatus.values), name="lead_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(company_size_max__isnull=True)
                | models.Q(company_size__isnull=False, company_size_max__gt=F("company_size")),
                name="lead_company_size_range",
            ),
        ]
        indexes = [
            # Lead list filters.
            models.Index(fields=["stage", "-created_at"], name="lead_stage_created_idx"),
            models.Index(fields=["updated_at"], name="lead_updated_idx"),
            # reports.breaches by channel: a year of handoffs' leads read for their channel
            # alone (an index-only scan on PostgreSQL), not the whole lead rows.
            models.Index(fields=["id", "channel"], name="lead_channel_idx"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        self.search_text = search_key(
            self.first_name,
            self.middle_name,
            self.last_name,
            self.email,
            self.organization,
            self.title,
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "email", "search_text"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        """The name as its script writes it (leads.names): "王伟", "Иван Петрович Сидоров";
        "Erased lead #12" once the person's data is erased."""
        if self.erased_at:
            return str(ERASED_LEAD % {"id": self.pk})
        return display_name(self.first_name, self.middle_name, self.last_name)

    @property
    def company_size_text(self) -> str:
        """ "85", "51–200", "10000+" or "" (unknown)."""
        if self.company_size is None:
            return ""
        if self.company_size_max is None:
            return str(self.company_size)
        if self.company_size_max >= OPEN_COMPANY_SIZE:
            return f"{self.company_size}+"
        return f"{self.company_size}–{self.company_size_max}"


# Activities recorded by public web-form capture, and the property holding the person's fields as
# the form sent them (the lead keeps its own where it has them).
FORM_SOURCE = "form"
SUBMITTED_PROPERTY = "submitted"


class Activity(models.Model):
    lead = models.ForeignKey(
        Lead, models.CASCADE, related_name="activities", verbose_name=_("lead")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    channel = models.ForeignKey(
        Channel, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("channel")
    )
    properties = models.JSONField(_("properties"), default=dict, blank=True)
    source = models.CharField(_("source system"), max_length=50, blank=True, default="")
    external_id = models.CharField(_("external id"), max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        # No unique constraint here: an event's (source, external_id) is held once by
        # ActivityKey, so that this table may be partitioned by month (docs/scaling.md).
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ActivityKind.values), name="activity_kind_valid"
            ),
        ]
        indexes = [
            # Lead timeline and scoring read a lead's activities newest first.
            models.Index(fields=["lead", "-occurred_at"], name="activity_lead_occurred_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def submitted(self) -> dict:
        """What a public web form said about the person: kept here, not written over the lead."""
        if self.source != FORM_SOURCE:
            return {}
        submitted = self.properties.get(SUBMITTED_PROPERTY)
        return submitted if isinstance(submitted, dict) else {}

    @property
    def shown_properties(self) -> dict:
        """The properties the timeline lists; a form's submitted fields get a line of their own."""
        if not self.submitted:
            return self.properties
        return {k: v for k, v in self.properties.items() if k != SUBMITTED_PROPERTY}


class ActivityKey(models.Model):
    """An event's idempotency key, seen once: the activity it admitted is stored, a replay is
    a duplicate (leads.activities.store_activities writes both in one statement).

    Its own table, because a unique key on a table partitioned by month must include the month
    (PostgreSQL), and `(source, external_id, occurred_at)` would store an event replayed with a
    corrected time a second time. A key outlives its activity (a deleted lead's replayed events
    stay duplicates), as an idempotency key should.
    """

    pk = models.CompositePrimaryKey("source", "external_id")
    source = models.CharField(_("source system"), max_length=50)
    external_id = models.CharField(_("external id"), max_length=200)

    class Meta:
        verbose_name = _("activity key")
        verbose_name_plural = _("activity keys")

    def __str__(self):
        return f"{self.source} · {self.external_id}"


class StageChange(models.Model):
    """The audit row of one lifecycle move; written only by leads.lifecycle."""

    lead = models.ForeignKey(
        Lead, models.CASCADE, related_name="stage_changes", verbose_name=_("lead")
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Empty when the system made the move."),
    )
    reason = models.TextField(_("reason"), blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_stage__in=Stage.values)
                & models.Q(to_stage__in=Stage.values),
                name="stagechange_stages_valid",
            ),
        ]
        indexes = [models.Index(fields=["lead", "-created_at"], name="stagechange_lead_idx")]

    def __str__(self):
        return f"{self.lead_id}: {self.from_stage} → {self.to_stage}"


class FunnelPass(models.Model):
    """One pass of a lead through the funnel, from a move into MQL to the next: what the funnel
    report reads instead of walking every stage change. Rebuilt from the stage history by
    leads.passes in the transaction of each move; the lead's channel and campaign are copies,
    which a database trigger (migration 0004) keeps up to date whoever edits the lead.
    """

    change = models.OneToOneField(
        StageChange, models.CASCADE, primary_key=True, related_name="+", verbose_name=_("MQL move")
    )
    lead = models.ForeignKey(Lead, models.CASCADE, related_name="+", verbose_name=_("lead"))
    entered_at = models.DateTimeField(_("entered MQL at"))
    # None on the lead's first pass: a pass enters a date range's cohort when it is the lead's
    # first in the range, which this says without looking at the other passes.
    previous_entered_at = models.DateTimeField(_("previous pass entered at"), null=True)
    agreement_version = models.PositiveIntegerField(_("agreement version"), null=True)
    channel = models.ForeignKey(
        Channel,
        models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        verbose_name=_("channel"),
    )
    campaign = models.TextField(_("campaign"), blank=True, default="")
    # What the lead did from this pass's MQL move on, in this pass or a later one.
    reached_sal = models.BooleanField(_("reached SAL since"), default=False)
    reached_sql = models.BooleanField(_("reached SQL since"), default=False)
    reached_opportunity = models.BooleanField(_("reached opportunity since"), default=False)
    reached_customer = models.BooleanField(_("won since"), default=False)
    returns = models.PositiveIntegerField(_("returns since"), default=0)
    # Time in each stage of this pass, for stays that ended, in microseconds: the funnel's
    # medians sort these, and PostgreSQL sorts integers several times faster than intervals.
    mql_stay = models.BigIntegerField(_("time in MQL (µs)"), null=True)
    sal_stay = models.BigIntegerField(_("time in SAL (µs)"), null=True)
    sql_stay = models.BigIntegerField(_("time in SQL (µs)"), null=True)
    opportunity_stay = models.BigIntegerField(_("time in opportunity (µs)"), null=True)

    class Meta:
        verbose_name = _("funnel pass")
        verbose_name_plural = _("funnel passes")
        indexes = [
            # reports.cohort: the passes that enter a date range's cohort.
            models.Index(fields=["entered_at"], name="funnelpass_entered_idx"),
            # reports.cohort: the later passes of the cohort's leads (most leads pass once).
            models.Index(
                fields=["previous_entered_at"],
                condition=models.Q(previous_entered_at__isnull=False),
                name="funnelpass_later_idx",
            ),
        ]

    def __str__(self):
        return f"{self.lead_id} @ {self.entered_at:%Y-%m-%d %H:%M}"


class ConsentScope(models.TextChoices):
    """What a person may be contacted about, or how; each granted or withdrawn on its own."""

    MARKETING_EMAIL = "marketing_email", _("Marketing e-mail")
    PHONE = "phone", _("Phone calls")
    SALES_CONTACT = "sales_contact", _("Contact from sales")


class ConsentSource(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    IMPORT = "import", _("Import")
    API = "api", _("API")
    USER = "user", _("Recorded by a user")


class Consent(models.Model):
    """One grant or withdrawal of one scope for one lead; the latest per scope is the current
    state. Written only by leads.consent, which also keeps Lead.do_not_contact and the
    suppression list in step. Kept when the lead is erased: it names no one, and proves the
    person's wishes were honoured."""

    lead = models.ForeignKey(Lead, models.CASCADE, related_name="consents", verbose_name=_("lead"))
    scope = models.CharField(_("scope"), max_length=30, choices=ConsentScope.choices)
    granted = models.BooleanField(_("granted"))
    source = models.CharField(_("source"), max_length=20, choices=ConsentSource.choices)
    recorded_at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=ConsentScope.values), name="consent_scope_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=ConsentSource.values), name="consent_source_valid"
            ),
        ]
        indexes = [
            # leads.consent.consent_state and the lead page's history: one lead's, newest first.
            models.Index(fields=["lead", "-recorded_at"], name="consent_lead_idx"),
        ]

    def __str__(self):
        return f"{self.lead_id}: {self.scope} {'+' if self.granted else '-'}"


class SuppressionReason(models.TextChoices):
    ERASED = "erased", _("Erased")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class SuppressedAddress(models.Model):
    """An address that may not come back as a contactable lead, kept only as a keyed digest
    (leads.suppression): the list can be checked but not read. Every way in (import, API,
    ingest, web form) asks leads.suppression before writing a lead."""

    digest = models.CharField(_("digest"), max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=SuppressionReason.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reason__in=SuppressionReason.values),
                name="suppressedaddress_reason_valid",
            ),
        ]

    def __str__(self):
        return f"{self.digest[:12]}… ({self.reason})"
