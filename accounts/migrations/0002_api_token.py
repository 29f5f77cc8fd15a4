"""Was: ApiToken as a proxy of DRF's authtoken Token, for the admin. DRF's authtoken app has
left INSTALLED_APPS, so nothing here may refer to it; ApiToken is a model of its own since 0003,
which also moves the old tokens. Kept, empty, because databases have it applied and later
migrations depend on it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_roles")]

    operations = []
