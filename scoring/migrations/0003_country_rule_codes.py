"""Rules on the country compare ISO codes now that leads hold them (leads 0008): a rule whose
value names countries ("Thailand", "ไทย") gets their codes, so it keeps holding for the same
leads. A value that names no country is left as it was and listed in the migration's output."""

from django.db import migrations

from leads.countries import country_code

OPERATORS = ("equals", "one_of", "not_one_of")


def _codes(value):
    items = value if isinstance(value, list) else [value]
    codes = [country_code(str(item)) for item in items]
    if None in codes:
        return None
    unique = list(dict.fromkeys(codes))
    return unique if isinstance(value, list) else unique[0]


def names_to_codes(apps, schema_editor):
    left = []
    for model in ("ProfileRule", "NegativeRule"):
        Rule = apps.get_model("scoring", model)
        for rule in Rule.objects.filter(field="country", operator__in=OPERATORS):
            codes = _codes(rule.value)
            if codes is None:
                left.append(f"{model} {rule.pk}: {rule.value!r}")
            elif codes != rule.value:
                rule.value = codes
                rule.save(update_fields=["value"])
    if left:
        print("\n  Country rules whose value names no country, left as they were:")
        for line in left:
            print(f"    {line}")


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0002_starter_agreement"),
        ("leads", "0008_names_and_countries"),
    ]

    operations = [migrations.RunPython(names_to_codes, migrations.RunPython.noop)]
