"""What intake keeps: saved import mappings, import jobs with their rejected rows, and the keys
public web forms post to. The tables keep the names they had when intake lived in the leads app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leads.models import ActivityKind, Channel, ConsentScope


class ImportMapping(models.Model):
    """A marketer's saved column mapping for one source, e.g. "Trade-show badge scans"."""

    name = models.CharField(_("source"), max_length=100, unique=True)
    # Header as written in the file -> lead field (see intake.imports.mapping.TARGETS).
    columns = models.JSONField(_("columns"), default=dict)
    channel = models.ForeignKey(
        Channel, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("channel")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "leads_importmapping"
        ordering = ["name"]
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")

    def __str__(self):
        return self.name


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for mapping")
    CHECKED = "checked", _("Dry run done")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One uploaded file on its way in: mapping, dry run, then batches committed one by one.

    `processed_rows` only moves forward inside the transaction that writes a batch, so a worker
    that dies mid-batch leaves the job exactly at the last committed batch, ready to resume.
    """

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    encoding = models.CharField(_("encoding"), max_length=40, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=1, blank=True)
    headers = models.JSONField(_("headers"), default=list)
    # Column index (as a string) -> lead field.
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    source = models.ForeignKey(
        ImportMapping,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("source"),
    )
    channel = models.ForeignKey(
        Channel, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("channel")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    dry_run_new = models.PositiveIntegerField(_("new (dry run)"), default=0)
    dry_run_updated = models.PositiveIntegerField(_("updated (dry run)"), default=0)
    dry_run_rejected = models.PositiveIntegerField(_("rejected (dry run)"), default=0)
    # Rows whose address is on the suppression list (erased or unsubscribed): counted, not kept.
    dry_run_suppressed = models.PositiveIntegerField(_("suppressed (dry run)"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    suppressed_count = models.PositiveIntegerField(_("suppressed"), default=0)
    error = models.TextField(_("error"), blank=True)
    # Moved by every committed batch; a running job that stops moving is resumed by a sweep.
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        db_table = "leads_importjob"
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="importjob_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(processed_rows__lte=models.F("total_rows")),
                name="importjob_processed_within_total",
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def retention_ended(self) -> bool:
        """The file and the rows the import kept (its rejected rows) were deleted at the end of
        the retention period (intake.imports.retention); the counts stay."""
        return not self.file

    @property
    def percent_done(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return self.processed_rows * 100 // self.total_rows


class ImportRejection(models.Model):
    """A row the import refused, with the reason and the row as it was in the file."""

    job = models.ForeignKey(
        ImportJob, models.CASCADE, related_name="rejections", verbose_name=_("import")
    )
    row_number = models.PositiveIntegerField(_("row"))
    reason = models.TextField(_("reason"))
    values = models.JSONField(_("values"), default=list)

    class Meta:
        db_table = "leads_importrejection"
        ordering = ["job", "row_number"]
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        constraints = [
            # A dry run and a resumed batch may both record a row: it is kept once.
            models.UniqueConstraint(fields=["job", "row_number"], name="importrejection_once"),
        ]

    def __str__(self):
        return f"{self.job_id}#{self.row_number}: {self.reason}"


class FormKey(models.Model):
    """A public key a website form posts to (`/capture/<key>/`), tied to one channel."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    channel = models.ForeignKey(
        Channel, models.CASCADE, related_name="form_keys", verbose_name=_("channel")
    )
    # Origins such as "https://www.example.com"; empty: plain form posts only, no CORS.
    allowed_origins = models.JSONField(_("allowed origins"), default=list, blank=True)
    activity_kind = models.CharField(
        _("activity kind"),
        max_length=30,
        choices=ActivityKind.choices,
        default=ActivityKind.FORM_SUBMIT,
    )
    properties = models.JSONField(_("activity properties"), default=dict, blank=True)
    # The form's consent checkbox: ticked, `consent_scope` is recorded as granted (leads.consent).
    consent_field = models.CharField(_("consent checkbox"), max_length=100, blank=True)
    consent_scope = models.CharField(
        _("consent it grants"), max_length=30, choices=ConsentScope.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "leads_formkey"
        ordering = ["channel__name", "name"]
        verbose_name = _("form key")
        verbose_name_plural = _("form keys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(activity_kind__in=ActivityKind.values),
                name="formkey_activity_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(consent_field="", consent_scope="")
                | (~models.Q(consent_field="") & models.Q(consent_scope__in=ConsentScope.values)),
                name="formkey_consent_complete",
            ),
        ]

    def __str__(self):
        return self.name
