"""Stamp the tokens issued before stamps existed with their user's current password, so
they keep working until a password changes (accounts.services.password_stamp, frozen)."""

from django.db import migrations
from django.utils.crypto import salted_hmac

SALT = "sunucoop.accounts.api_token.password_stamp"


def stamp(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(password_stamp="").select_related("user").iterator():
        token.password_stamp = salted_hmac(SALT, token.user.password, algorithm="sha256").hexdigest()
        token.save(update_fields=["password_stamp"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_api_token_name_stamp_and_revocation_reason")]
    operations = [migrations.RunPython(stamp, migrations.RunPython.noop)]
