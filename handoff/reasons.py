"""The reasons every installation starts with; managers edit them afterwards.

The labels are stored in English and translated when shown (core.i18n), as long as a manager
leaves them as they are.
"""

from django.utils.translation import gettext_noop

# (kind, code, label) in the order forms show them.
DEFAULT_REASONS = [
    ("return", "not_reachable", gettext_noop("Not reachable")),
    ("return", "wrong_person", gettext_noop("Wrong person / no authority")),
    ("return", "no_fit", gettext_noop("No fit")),
    ("return", "bad_timing", gettext_noop("Bad timing")),
    ("return", "duplicate", gettext_noop("Duplicate")),
    ("return", "student_or_competitor", gettext_noop("Student or competitor")),
    ("return", "other", gettext_noop("Other")),
    ("disqualify", "junk", gettext_noop("Junk or fake details")),
    ("disqualify", "competitor", gettext_noop("Competitor")),
    ("disqualify", "student", gettext_noop("Student")),
    ("disqualify", "duplicate", gettext_noop("Duplicate of another lead")),
    ("disqualify", "other", gettext_noop("Other")),
]


def seed_default_reasons(ReturnReason) -> None:
    """Idempotent: puts back the defaults a flushed database (transactional tests) lost."""
    for position, (kind, code, label) in enumerate(DEFAULT_REASONS):
        ReturnReason.objects.get_or_create(
            kind=kind, code=code, defaults={"label": label, "position": position}
        )
