"""The production password hasher: Argon2id with one of OWASP's recommended settings.

Django's default Argon2 parameters (memory 100 MiB, time 2, parallelism 8) cost about
0.6 s of both cores of the programme's 2-core server per login, and 100 MiB for each
login in progress. OWASP's Password Storage Cheat Sheet lists equivalent Argon2id
settings; SunuCoop uses m=19 MiB, t=2, p=1 (docs/adr/0006-argon2id-owasp-parameters.md).
The algorithm name stays ``argon2``: hashes made with Django's parameters still verify,
and ``must_update`` rewrites them with these on the user's next successful login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB: 19 MiB
    parallelism = 1
