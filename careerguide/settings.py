"""Settings for careerguide, read from the environment with explicit defaults for local use."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def git_commit(directory):
    """The commit checked out in `directory`, read from .git without running git."""
    git = directory / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head.removeprefix("ref: ")
        if (git / ref).exists():
            return (git / ref).read_text().strip()
        packed = (git / "packed-refs").read_text().splitlines()
        return next(line.split()[0] for line in packed if line.endswith(f" {ref}"))
    except (OSError, StopIteration):
        return ""


DEBUG = env_flag("DJANGO_DEBUG", default=False)
# A production-like run over plain http on a laptop: no redirect, no HSTS, no secure cookies.
INSECURE_HTTP = env_flag("DJANGO_INSECURE_HTTP", default=False)

# Without DJANGO_SECRET_KEY only local commands work: careerguide/wsgi.py refuses to serve, and
# `check --deploy` reports the key.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "django-insecure-local-development-only"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    # django.contrib.admin, whose site opens only for staff with a second factor.
    "accounts.apps.SecondFactorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth's list of sessions
    "django_htmx",
    "simple_history",
    "adminsortable2",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "allauth.usersessions",
    "django_tasks_db",
    "tracks",
    "audits",
    "logbook",
    "accounts",
    "reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "careerguide.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Notes who made each content change, for its history in admin.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "careerguide.middleware.SecurityHeadersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.AccountPagesNeverCachedMiddleware",
]

ROOT_URLCONF = "careerguide.urls"
WSGI_APPLICATION = "careerguide.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "audits.context_processors.visitor_result",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_flag(
    "DJANGO_DB_PREPARED", default=True
):
    # Parameters bound by the server, and a statement run five times on a connection is prepared:
    # PostgreSQL then parses and plans it once. Behind a pooler in transaction mode that cannot
    # keep prepared statements (PgBouncer before 1.21), set DJANGO_DB_PREPARED=0.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The release being served: the deployed commit, or DJANGO_RELEASE. It is part of every cache
# key, so a deploy never serves what an older release cached.
RELEASE = os.environ.get("DJANGO_RELEASE") or git_commit(BASE_DIR) or "unreleased"
# Whole catalogue pages kept for visitors (tracks.cache); DJANGO_PAGE_CACHE=0 renders every one.
PAGE_CACHE = env_flag("DJANGO_PAGE_CACHE", default=True)

# Two caches. "default" is the database: allauth counts its rate limits there, so log-ins are
# counted and go through whatever happens to Redis. "pages" keeps the catalogue's pages for
# visitors, the tracks' newest changes (both under the catalogue's version) and each finished
# audit's report: Redis when REDIS_URL is given, where a stopped, hung or full Redis is a miss
# after a tenth of a second (django-redis's IGNORE_EXCEPTIONS), else the same table. Sessions are
# kept in the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
DATABASE_CACHE_TABLE = "careerguide_cache"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": DATABASE_CACHE_TABLE,
        "KEY_PREFIX": RELEASE,
        "OPTIONS": {"MAX_ENTRIES": 5_000},
    },
    "pages": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"careerguide:{RELEASE}",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.1,
            "SOCKET_TIMEOUT": 0.1,
        },
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": DATABASE_CACHE_TABLE,
        "KEY_PREFIX": f"pages:{RELEASE}",
        "OPTIONS": {"MAX_ENTRIES": 5_000},
    },
}
# A Redis that stopped answering is reported by /readyz, not logged once per cache call.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # Log-in by username or email, case-insensitively, with allauth's rate limits.
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 first: new passwords are hashed with it, and an older hash is rehashed with it the
# next time its owner logs in (Django does this for any hasher listed after the first).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "audits:history"
LOGOUT_REDIRECT_URL = "tracks:home"

# Accounts (django-allauth): accounts/adapter.py holds the site's own rules.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
ACCOUNT_FORMS = {
    name: f"accounts.forms.{form}"
    for name, form in [
        ("login", "LoginForm"),
        ("signup", "SignupForm"),
        ("reauthenticate", "ReauthenticateForm"),
        ("change_password", "ChangePasswordForm"),
        ("reset_password", "ResetPasswordForm"),
        ("reset_password_from_key", "ResetPasswordKeyForm"),
        ("add_email", "AddEmailForm"),
        ("set_password", "SetPasswordForm"),
    ]
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True  # one account per address, compared case-insensitively
ACCOUNT_PRESERVE_USERNAME_CASING = False  # usernames are stored, and so matched, in lower case
ACCOUNT_EMAIL_VERIFICATION = "optional"  # offered at sign-up and on the email page, remembered
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # a reset for an unknown address sends no mail at all
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # other devices are ended by accounts.services
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # before changing the email or deleting the account
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link opens a page with a button: mail scanners
ACCOUNT_EMAIL_SUBJECT_PREFIX = "careerguide: "
# Rate limits instead of lockouts (allauth counts in the default cache; "key" is what
# accounts.adapter makes it: for failed log-ins the address and the login together, so nobody
# can lock an owner out of their account from another address, and another account's success
# clears nothing).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/15m/ip,10/15m/key",
    "login": "30/m/ip",
    "signup": "10/h/ip",
    "reset_password": "5/h/ip,3/h/key",  # nosec B105: a rate, not a password
    "reset_password_from_key": "20/m/ip",  # nosec B105: a rate, not a password
    "change_password": "5/m/user",  # nosec B105: a rate, not a password
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/3m/key",
    # The inline username check on the sign-up form (accounts.views.username_check).
    "username_check": "20/m/ip",
}
# allauth asks accounts.adapter for the client's address, which asks audits.client_address.
ALLAUTH_TRUSTED_PROXY_COUNT = 0

MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "careerguide"
MFA_RECOVERY_CODE_COUNT = 10
# Passkeys need a secure origin; `make run` speaks plain http on 127.0.0.1.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Sessions are recorded at log-in and password change (the list of my sessions, and ending
# them all when the account goes), not on every request.
USERSESSIONS_TRACK_ACTIVITY = False

# Sign in with GitHub, shown only when both are set (callback: /accounts/github/login/callback/).
GITHUB_CLIENT_ID = os.environ.get("GITHUB_CLIENT_ID", "")
GITHUB_CLIENT_SECRET = os.environ.get("GITHUB_CLIENT_SECRET", "")
SOCIALACCOUNT_PROVIDERS = {
    "github": {
        "APPS": (
            [{"client_id": GITHUB_CLIENT_ID, "secret": GITHUB_CLIENT_SECRET, "key": ""}]
            if GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET
            else []
        ),
        "SCOPE": ["user:email"],
    }
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # a GitHub address never logs into another account
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False

# Mail: printed to the console in development (and plain-http trial runs); SMTP otherwise, to
# EMAIL_HOST (default: a mail server on the same machine).
if (DEBUG or INSECURE_HTTP) and not os.environ.get("EMAIL_HOST"):
    # Each line printed as it is (no quoted-printable folding), so a link can be clicked.
    MAILERS = {"default": {"BACKEND": "careerguide.mail.ConsoleEmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                # A named relay usually takes submission with STARTTLS; the local MTA plain port 25.
                "port": int(
                    os.environ.get("EMAIL_PORT", "587" if "EMAIL_HOST" in os.environ else "25")
                ),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_flag(
                    "EMAIL_USE_TLS", default=bool(os.environ.get("EMAIL_HOST_USER"))
                ),
                # A hung mail server must not hold a task worker for ever: the send fails, is
                # recorded, and a reminder is tried again later.
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "careerguide <noreply@localhost>")
# Links in mail sent by the worker, which has no request to take the host from. `make run` sets it
# from its PORT; production must set it (`check --deploy` fails without it).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long the unsubscribe link of a reminder mail works without logging in.
REMINDER_UNSUBSCRIBE_MAX_AGE = 90 * 24 * 3600

# Background tasks (Django's django.tasks): mail is queued in the database by the request and
# sent by a worker, `manage.py db_worker` (django-tasks-db).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600

# Security: production-safe unless DJANGO_DEBUG or DJANGO_INSECURE_HTTP says otherwise.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if not DEBUG and not INSECURE_HTTP:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# How many proxies stand in front of the app, each appending to X-Forwarded-For: 1 behind
# deploy/serve.sh's nginx (the script sets it), one more for each load balancer before nginx. The
# client's address is the one the outermost of them saw (audits.client_address), and their
# X-Forwarded-Proto says whether the client spoke https. DJANGO_BEHIND_PROXY=1 alone means 1.
_proxy_count = os.environ.get("DJANGO_PROXY_COUNT") or (
    "1" if env_flag("DJANGO_BEHIND_PROXY") else "0"
)
if not _proxy_count.strip().isdigit():
    raise ImproperlyConfigured(
        f"DJANGO_PROXY_COUNT must be a whole number of proxies (0, 1, 2…), not {_proxy_count!r}."
    )
PROXY_COUNT = int(_proxy_count)
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)

# No form of the site comes near this; nginx (deploy/nginx.conf) refuses the same size.
# The member's curiosity log, as a new audit reads it (audits/evidence.py): a function of the
# member giving the evidence, named here because the log's app reads the audit's, not the reverse.
AUDIT_EVIDENCE = "logbook.evidence.evidence_for_audit"

MAX_REQUEST_BYTES = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # The task worker's lines (state=RUNNING, SUCCESSFUL) once: by the root's handler, not
    # again by the "django" logger's own console handler.
    "loggers": {"django.tasks": {"handlers": ["console"], "propagate": False}},
}
