"""``manage.py health_card_key``: a new Ed25519 key for the member cards (ADR 0015).

Prints the private key to put in ``HEALTH_CARD_SIGNING_KEY`` (raw 32 bytes, base64), its
public key (to add to ``HEALTH_CARD_PREVIOUS_PUBLIC_KEYS`` when the next key replaces it)
and its ``kid``. Nothing is stored: the operator keeps the private key in the server's
secrets, like ``SECRET_KEY``.
"""

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.core.management.base import BaseCommand

from health.card_keys import kid_of, public_raw


class Command(BaseCommand):
    help = "Crée une clé Ed25519 de signature des cartes de membre (rien n'est enregistré)."

    def handle(self, *args, **options):
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        public = key.public_key()
        self.stdout.write(f"HEALTH_CARD_SIGNING_KEY={base64.b64encode(raw).decode()}")
        self.stdout.write(f"# public key: {base64.b64encode(public_raw(public)).decode()}")
        self.stdout.write(f"# kid: {kid_of(public)}")
