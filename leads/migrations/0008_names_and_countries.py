"""A middle name or patronymic for leads, and the country as an ISO code.

Countries were free text. Each distinct value is read as leads.countries reads input (a code, or
a name in any of Accord's languages) and its leads get the code; a value nothing reads is moved to
attributes["country_text"], so no one's data is lost, and listed in the migration's output.
"""

import importlib

import django_countries.fields
from django.db import migrations, models

import leads.countries
from leads.countries import country_code

BATCH = 2000
SHOWN = 20
FOLLOW_LEAD = importlib.import_module("leads.migrations.0004_funnelpass").FOLLOW_LEAD


def follow_lead_again(apps, schema_editor):
    """SQLite alters a column by copying the table, which drops its triggers: 0004's trigger,
    which keeps the funnel's passes on the lead's channel and campaign, is made again."""
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS leads_funnelpass_follow_lead")
    for statement in FOLLOW_LEAD["sqlite"]:
        schema_editor.execute(statement)


def countries_to_codes(apps, schema_editor):
    Lead = apps.get_model("leads", "Lead")
    values = Lead.objects.exclude(country="").values_list("country", flat=True).distinct()
    unmatched = {}
    converted = 0
    for value in list(values):
        code = country_code(value)
        if code is None:
            unmatched[value] = Lead.objects.filter(country=value).count()
        elif code != value:
            converted += Lead.objects.filter(country=value).update(country=code)
    changed = []
    rows = Lead.objects.filter(country__in=list(unmatched)).only("id", "country", "attributes")
    for lead in rows.order_by("id").iterator(chunk_size=BATCH):
        lead.attributes = {**(lead.attributes or {}), "country_text": lead.country}
        lead.country = ""
        changed.append(lead)
        if len(changed) >= BATCH:
            Lead.objects.bulk_update(changed, ["country", "attributes"])
            changed = []
    Lead.objects.bulk_update(changed, ["country", "attributes"])
    if converted or unmatched:
        print(
            f"\n  Lead countries: {converted} rewritten as ISO codes; "
            f"{sum(unmatched.values())} not recognised, kept in attributes.country_text"
        )
        for value, count in sorted(unmatched.items(), key=lambda item: (-item[1], item[0]))[:SHOWN]:
            print(f"    {count:>7}  {value!r}")
        if len(unmatched) > SHOWN:
            print(f"    … and {len(unmatched) - SHOWN} more distinct values")


def codes_back_to_text(apps, schema_editor):
    """Undo: the unrecognised text goes back into the country column (codes stay codes)."""
    Lead = apps.get_model("leads", "Lead")
    changed = []
    for lead in Lead.objects.filter(attributes__has_key="country_text").iterator(BATCH):
        attributes = dict(lead.attributes)
        lead.country = str(attributes.pop("country_text"))[:100]
        lead.attributes = attributes
        changed.append(lead)
    Lead.objects.bulk_update(changed, ["country", "attributes"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("leads", "0007_search_text_folded")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, follow_lead_again),
        migrations.AddField(
            model_name="lead",
            name="middle_name",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                max_length=150,
                verbose_name="middle name or patronymic",
            ),
        ),
        migrations.RunPython(countries_to_codes, codes_back_to_text),
        migrations.AlterField(
            model_name="lead",
            name="country",
            field=django_countries.fields.CountryField(
                blank=True,
                countries=leads.countries.LeadCountries,
                help_text="ISO 3166 code; shown in the reader's language.",
                max_length=2,
                verbose_name="country",
            ),
        ),
        migrations.RunPython(follow_lead_again, migrations.RunPython.noop),
    ]
