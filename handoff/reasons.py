"""The reasons every installation starts with; managers edit them afterwards."""

# (kind, code, label) in the order forms show them.
DEFAULT_REASONS = [
    ("return", "not_reachable", "Not reachable"),
    ("return", "wrong_person", "Wrong person / no authority"),
    ("return", "no_fit", "No fit"),
    ("return", "bad_timing", "Bad timing"),
    ("return", "duplicate", "Duplicate"),
    ("return", "student_or_competitor", "Student or competitor"),
    ("return", "other", "Other"),
    ("disqualify", "junk", "Junk or fake details"),
    ("disqualify", "competitor", "Competitor"),
    ("disqualify", "student", "Student"),
    ("disqualify", "duplicate", "Duplicate of another lead"),
    ("disqualify", "other", "Other"),
]


def seed_default_reasons(ReturnReason) -> None:
    """Idempotent: puts back the defaults a flushed database (transactional tests) lost."""
    for position, (kind, code, label) in enumerate(DEFAULT_REASONS):
        ReturnReason.objects.get_or_create(
            kind=kind, code=code, defaults={"label": label, "position": position}
        )
