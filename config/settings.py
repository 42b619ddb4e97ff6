"""SunuCoop settings. Everything that differs between machines comes from the environment.

DATABASE_URL  default: SQLite under var/ (zero set-up)
SECRET_KEY    required when DEBUG is off
HEALTH_CARD_SIGNING_KEY  required when DEBUG is off (Ed25519, ADR 0015)
DEBUG         "1"/"true" to turn on (default off, except under `make demo`)
ALLOWED_HOSTS comma-separated (default: localhost names)
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SUNUCOOP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# Under pytest (or SUNUCOOP_TESTING=1): fast hashing, no SECRET_KEY needed.
TESTING = env_bool("SUNUCOOP_TESTING", False) or "pytest" in sys.modules

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-never-used-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY doit être défini quand DEBUG est désactivé.")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # Swagger UI from its own static files, never a CDN (docs/security.md)
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    # SunuCoop apps, bottom layer first (see docs/architecture.md)
    "core",
    "geo",
    "accounts",
    "registry",
    "ledger",
    "payments",
    "messaging",
    "credit",
    "capital",
    "governance",
    "training",
    "health",
    "purchasing",
    "valuechain",
    "monitoring",
    "network",
    "consulting",
    "tenders",
    "mediation",
    "knowledge",
    "events",
    "networkgov",
    "sponsoring",
    "ussd",
    "sync",
    "web",
    "demo",
    "bench",
    "ops",
]

MIDDLEWARE = [
    "core.middleware.ErrorContractMiddleware",  # request id; JSON errors under /api/v1/
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.languages.LocaleMiddleware",  # the portal's pages: /en/reseau/... (core/languages.py)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.InputGuardMiddleware",  # NUL bytes, 64-bit ids (docs/input-limits.md)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.middleware.DomainErrorMiddleware",
    "core.replica.ReplicaReadsMiddleware",  # read-only surfaces from a replica, if any
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "web.context_processors.navigation",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'sunucoop.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # a kept connection is checked before a request reuses it: after the database
        # restarts, requests reconnect instead of failing once per worker (make soak)
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
elif TESTING:
    # A test database need not survive a crash: commits (migrations, transactional tests'
    # flushes) do not wait for the WAL to reach the disk. A session setting, any user may.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A PostgreSQL streaming replica for the read-only surfaces (core/replica.py,
# docs/scale-out.md): the dashboards, reports, the public portal and the exports.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
elif TESTING:
    # the tests' replica is the test database itself (a mirror); off unless a test turns
    # READ_FROM_REPLICA on for the router's own tests
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
READ_FROM_REPLICA = bool(os.environ.get("DATABASE_REPLICA_URL"))
DATABASE_ROUTERS = ["core.replica.PrimaryReplicaRouter"]
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "10"))
REPLICA_READ_PATHS = [
    r"/suivi/",  # dashboards, targets, indicator records, reports and their downloads
    r"/reseau/",  # the public portal
    r"/sitemap\.xml$",
    r"/registre/(cooperatives|personnes)/export\.",
    r"/api/v1/indicators",
    r"/api/v1/network/(organisations|projects|campaigns)",
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id with OWASP's m=19 MiB, t=2, p=1 (docs/adr/0006-argon2id-owasp-parameters.md);
# hashes made with Django's default Argon2 parameters verify and are upgraded at login.
PASSWORD_HASHERS = [
    "accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Fast hashing in tests only; production uses Argon2id.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling and lock-out (django-axes): 5 failures per username+IP lock for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_LOCKOUT_CALLABLE = "config.lockout.lockout_response"  # JSON for the API, page otherwise
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# The client address behind reverse proxies (docs/security.md): TRUSTED_PROXY_COUNT is how
# many proxies of ours append to X-Forwarded-For (0: none, REMOTE_ADDR is the client).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "config.lockout.client_ip"

# Content-Security-Policy (django-csp, ADR 0008), in DEBUG and production alike: scripts and
# styles from our own static files only, no inline script, no eval; style attributes allowed
# (bar widths), style elements not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# API tokens
API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", "720"))
# Live tokens per user: issuing one more revokes the oldest (docs/accounts.md).
API_TOKEN_MAX_PER_USER = int(os.environ.get("API_TOKEN_MAX_PER_USER", "10"))
API_TOKEN_LAST_USED_EVERY_SECONDS = int(os.environ.get("API_TOKEN_LAST_USED_EVERY_SECONDS", "60"))

LANGUAGE_CODE = "fr"
# The site's languages, French first (docs/web-ui.md, "Languages"): SUNUCOOP_LANGUAGES lists
# the codes offered. A language without its catalogue in locale/ shows the French text; the
# portal's pages have one address per language (/en/reseau/...), Arabic is right-to-left.
LANGUAGE_NAMES = {"fr": _("Français"), "en": _("English"), "pt": _("Português"), "ar": _("العربية")}
_codes = os.environ.get("SUNUCOOP_LANGUAGES", "fr,en,pt,ar").replace(" ", "").split(",")
if _codes[0] != "fr" or not set(_codes) <= set(LANGUAGE_NAMES):
    raise ImproperlyConfigured(
        f"SUNUCOOP_LANGUAGES : fr d'abord, puis parmi {sorted(LANGUAGE_NAMES)}."
    )
LANGUAGES = [(code, LANGUAGE_NAMES[code]) for code in dict.fromkeys(_codes)]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Africa/Dakar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# What reading one spreadsheet may cost (docs/geo-and-files.md, "Limits"; core.tabular).
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "100"))
IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", str(64 * 1024 * 1024))
)
IMPORT_XLSX_MAX_ENTRY_BYTES = int(
    os.environ.get("IMPORT_XLSX_MAX_ENTRY_BYTES", str(48 * 1024 * 1024))
)
IMPORT_XLSX_MAX_RATIO = int(os.environ.get("IMPORT_XLSX_MAX_RATIO", "100"))
IMPORT_XLSX_MAX_ENTRIES = int(os.environ.get("IMPORT_XLSX_MAX_ENTRIES", "200"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SunuCoop <no-reply@sunucoop.sn>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Programme settings (configurable, never law: see docs/programme-facts.md)
SUNUCOOP = {
    "YOUTH_AGE_MIN": int(os.environ.get("YOUTH_AGE_MIN", "15")),
    "YOUTH_AGE_MAX": int(os.environ.get("YOUTH_AGE_MAX", "35")),
    "DEFAULT_PHONE_REGION": "SN",
    # Decent-job rule (registry/jobs.py); the monthly SMIG default is unverified.
    "DECENT_JOB_WRITTEN_CONTRACT": env_bool("DECENT_JOB_WRITTEN_CONTRACT", True),
    "DECENT_JOB_MIN_MONTHLY_PAY": int(os.environ.get("DECENT_JOB_MIN_MONTHLY_PAY", "64223")),
    "DECENT_JOB_SOCIAL_SECURITY": env_bool("DECENT_JOB_SOCIAL_SECURITY", True),
    # Quarterly reports of areas with more communes are built by `monitoring_worker`.
    "REPORT_INLINE_MAX_COMMUNES": int(os.environ.get("REPORT_INLINE_MAX_COMMUNES", "30")),
}

# The African ESS network's portal (docs/network.md).
NETWORK_COMMISSION_PERCENT = os.environ.get("NETWORK_COMMISSION_PERCENT", "5")
# The platform's commission on the network's event fees, frozen on each event when it is
# published (docs/events.md; an assumption: the campaigns' 5 %).
EVENTS_COMMISSION_PERCENT = os.environ.get("EVENTS_COMMISSION_PERCENT", "5")
NETWORK_PLEDGE_MAX = int(os.environ.get("NETWORK_PLEDGE_MAX", "2000000"))
# Registrations and pledges started per client address and hour (spam); tests raise it.
NETWORK_RATE_PER_HOUR = int(os.environ.get("NETWORK_RATE_PER_HOUR", "100000" if TESTING else "20"))
NETWORK_LOGO_MAX_BYTES = int(os.environ.get("NETWORK_LOGO_MAX_BYTES", str(512 * 1024)))
NETWORK_DOCUMENT_MAX_BYTES = int(os.environ.get("NETWORK_DOCUMENT_MAX_BYTES", str(2 * 1024**2)))
NETWORK_DOCUMENTS_MAX = int(os.environ.get("NETWORK_DOCUMENTS_MAX", "10"))
NETWORK_CODES_PER_HOUR = int(os.environ.get("NETWORK_CODES_PER_HOUR", "3"))
NETWORK_CODE_ATTEMPTS = int(os.environ.get("NETWORK_CODE_ATTEMPTS", "5"))
# Paid consulting (docs/consulting.md): the default split of every payment between the
# consultant, the platform and the ESS fund (percent, summing to 100), frozen on each
# engagement when it is signed; the largest engagement, proposal or support in F CFA.
CONSULTING_SPLIT = tuple(
    part.strip() for part in os.environ.get("CONSULTING_SPLIT", "80,10,10").split(",")
)
CONSULTING_AMOUNT_MAX = int(os.environ.get("CONSULTING_AMOUNT_MAX", "100000000"))
# Calls for tenders (docs/tenders.md): documents and offers, stored in the database.
TENDERS_FILE_MAX_BYTES = int(os.environ.get("TENDERS_FILE_MAX_BYTES", str(2 * 1024 * 1024)))
# Sponsored announcements (docs/sponsoring.md): the day's price of each placement when the
# administrators have set none (F CFA: per country chosen, whole network), the most shown at
# once on a placement, the longest period, the largest image.
SPONSORING_PRICES = {
    "directory": (2_000, 20_000),
    "projects": (1_500, 15_000),
    "campaigns": (1_500, 15_000),
    "home": (5_000, 50_000),
}
SPONSORING_MAX_PER_PLACEMENT = int(os.environ.get("SPONSORING_MAX_PER_PLACEMENT", "2"))
SPONSORING_MAX_DAYS = int(os.environ.get("SPONSORING_MAX_DAYS", "90"))
SPONSORING_IMAGE_MAX_BYTES = int(os.environ.get("SPONSORING_IMAGE_MAX_BYTES", str(200 * 1024)))

# Payments by phone (docs/payments.md): providers by code, their URLs and secrets.
PAYMENT_PROVIDERS = {
    "wave": "payments.providers.wave.WaveProvider",
    "orange_money": "payments.providers.orange_money.OrangeMoneyProvider",
}
# Orange Money web payment (docs/payments.md, "Orange Money"); "OUV" is the dev currency.
ORANGE_MONEY_BASE_URL = os.environ.get(
    "ORANGE_MONEY_BASE_URL", "https://api.orange.com/orange-money-webpay/sn/v1"
)
ORANGE_MONEY_TOKEN_URL = os.environ.get(
    "ORANGE_MONEY_TOKEN_URL", "https://api.orange.com/oauth/v3/token"
)
ORANGE_MONEY_CLIENT_ID = os.environ.get("ORANGE_MONEY_CLIENT_ID", "")
ORANGE_MONEY_CLIENT_SECRET = os.environ.get("ORANGE_MONEY_CLIENT_SECRET", "")
ORANGE_MONEY_MERCHANT_KEY = os.environ.get("ORANGE_MONEY_MERCHANT_KEY", "")
ORANGE_MONEY_CURRENCY = os.environ.get("ORANGE_MONEY_CURRENCY", "XOF")
# Money out and statements: Sonatel's Orange Money eWallet API (cash-in), same OAuth token.
ORANGE_MONEY_EWALLET_URL = os.environ.get(
    "ORANGE_MONEY_EWALLET_URL", "https://api.orange-sonatel.com/api/eWallet/v1"
)
ORANGE_MONEY_PARTNER_MSISDN = os.environ.get("ORANGE_MONEY_PARTNER_MSISDN", "")
ORANGE_MONEY_PARTNER_PIN = os.environ.get("ORANGE_MONEY_PARTNER_PIN", "")  # encrypted PIN code
# The providers' payment pages (where the pay form sends the payer): Content-Security-Policy
# form-action allows these origins (docs/payments.md). Wave's checkout, Orange Money's page.
WAVE_CHECKOUT_ORIGIN = os.environ.get("WAVE_CHECKOUT_ORIGIN", "https://pay.wave.com")
ORANGE_MONEY_CHECKOUT_ORIGIN = os.environ.get(
    "ORANGE_MONEY_CHECKOUT_ORIGIN", "https://webpayment.orange-money.com"
)
WAVE_BASE_URL = os.environ.get("WAVE_BASE_URL", "https://api.wave.com")
WAVE_API_KEY = os.environ.get("WAVE_API_KEY", "")
WAVE_WEBHOOK_SECRET = os.environ.get("WAVE_WEBHOOK_SECRET", "")
WAVE_WEBHOOK_SECRETS_PREVIOUS = [
    s for s in os.environ.get("WAVE_WEBHOOK_SECRETS_PREVIOUS", "").split(",") if s.strip()
]
PAYMENTS_PUBLIC_URL = os.environ.get("PAYMENTS_PUBLIC_URL", "http://127.0.0.1:8000")
PAYMENTS_HTTP_TIMEOUT = float(os.environ.get("PAYMENTS_HTTP_TIMEOUT", "10"))
PAYMENTS_INTENT_TTL_MINUTES = int(os.environ.get("PAYMENTS_INTENT_TTL_MINUTES", "30"))
PAYMENTS_POLL_AFTER_MINUTES = int(os.environ.get("PAYMENTS_POLL_AFTER_MINUTES", "10"))
PAYMENTS_WEBHOOK_RATE_LIMIT = int(os.environ.get("PAYMENTS_WEBHOOK_RATE_LIMIT", "30000"))
PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = int(
    os.environ.get("PAYMENTS_PAYOUT_APPROVAL_THRESHOLD", "100000")
)
# Webhooks stored and answered at once, applied by `manage.py payments_webhook_worker`
# (and by every payments_poll) in the order received (docs/payments.md, "Queued mode").
PAYMENTS_WEBHOOK_QUEUED = env_bool("PAYMENTS_WEBHOOK_QUEUED", False)
# Dashboards (monitoring/rollups.py): a stale stored figure is served for up to this many
# seconds before a read recomputes it (docs/monitoring.md, "Fresh within a minute").
# Tests read their writes at once (0), except those of the lag itself
# (monitoring/tests/test_figures_lag.py), which set it.
MONITORING_FIGURES_LAG = float(os.environ.get("MONITORING_FIGURES_LAG", "0" if TESTING else "60"))
# SMS (docs/messaging.md): the backend, the HTTP gateway and the callback token.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "messaging.backends.ConsoleBackend")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_SENDER = os.environ.get("SMS_SENDER", "SunuCoop")
SMS_STATUS_CALLBACK_URL = os.environ.get("SMS_STATUS_CALLBACK_URL", "")
SMS_CALLBACK_TOKEN = os.environ.get("SMS_CALLBACK_TOKEN", "")

# Member cards of the mutual health insurance (health/card_keys.py, ADR 0015): the Ed25519
# key that signs them (raw 32 bytes in base64, or PEM), and the public keys of cards signed
# before a rotation (base64, comma-separated), still checked and published. Required when
# DEBUG is off; in DEBUG and tests a key derived from SECRET_KEY stands in (never handed out).
HEALTH_CARD_SIGNING_KEY = os.environ.get("HEALTH_CARD_SIGNING_KEY", "").strip()
HEALTH_CARD_PREVIOUS_PUBLIC_KEYS = [
    k.strip()
    for k in os.environ.get("HEALTH_CARD_PREVIOUS_PUBLIC_KEYS", "").split(",")
    if k.strip()
]
if not HEALTH_CARD_SIGNING_KEY and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "HEALTH_CARD_SIGNING_KEY doit être défini quand DEBUG est désactivé "
        "(clé Ed25519 des cartes de membre : docs/adr/0015-ed25519-health-cards.md)."
    )
HEALTH_PHOTO_MAX_BYTES = int(os.environ.get("HEALTH_PHOTO_MAX_BYTES", str(2 * 1024 * 1024)))

# USSD (docs/ussd.md): no token from aggregators; a shared secret and/or an allow-list.
USSD_SHARED_SECRET = os.environ.get("USSD_SHARED_SECRET", "")
USSD_ALLOWED_IPS = [
    ip.strip() for ip in os.environ.get("USSD_ALLOWED_IPS", "").split(",") if ip.strip()
]
USSD_PIN_MAX_ATTEMPTS = int(os.environ.get("USSD_PIN_MAX_ATTEMPTS", "3"))
USSD_RATE_LIMIT_PER_PHONE = int(os.environ.get("USSD_RATE_LIMIT_PER_PHONE", "30"))
USSD_RATE_LIMIT_PER_ADDRESS = int(os.environ.get("USSD_RATE_LIMIT_PER_ADDRESS", "1200"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdFilter"}},
    "formatters": {
        "with_request_id": {
            "format": "%(levelname)s %(asctime)s [%(request_id)s] %(name)s %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "with_request_id",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
