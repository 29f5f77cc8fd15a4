"""The return reasons every installation starts with; managers edit them afterwards."""

DEFAULT_REASONS = [
    ("not_reachable", "Not reachable"),
    ("wrong_person", "Wrong person / no authority"),
    ("no_fit", "No fit"),
    ("bad_timing", "Bad timing"),
    ("duplicate", "Duplicate"),
    ("student_or_competitor", "Student or competitor"),
    ("other", "Other"),
]


def seed_default_reasons(ReturnReason) -> None:
    """Idempotent; takes the model class so the data migration can pass its historical one."""
    for position, (code, label) in enumerate(DEFAULT_REASONS):
        ReturnReason.objects.get_or_create(
            code=code, defaults={"label": label, "position": position}
        )
