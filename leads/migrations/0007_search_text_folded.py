"""Lead.search_text in the spelling search_key gives now (core.text.fold ignores Arabic letter
forms and diacritics, Traditional Chinese and ё too), so search finds what the agreement's rules
match. Only rows whose text changes are written."""

from django.db import migrations

from leads.models import search_key

BATCH = 2000


def refold(apps, schema_editor):
    Lead = apps.get_model("leads", "Lead")
    rows = Lead.objects.values_list(
        "id", "first_name", "last_name", "email", "organization", "title", "search_text"
    ).order_by("id")
    changed = []
    for lead_id, *parts, stored in rows.iterator(chunk_size=BATCH):
        text = search_key(*parts)
        if text != stored:
            changed.append(Lead(id=lead_id, search_text=text))
        if len(changed) >= BATCH:
            Lead.objects.bulk_update(changed, ["search_text"])
            changed = []
    Lead.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("leads", "0006_intake_moves_out")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
