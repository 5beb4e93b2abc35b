"""Django settings: the one module that reads the environment (STYLE.md habit 10)."""

import json
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules
DEBUG = _env_bool("DEBUG", False)

# Where the embedded database, uploads and collected static files live.
DATA_DIR = Path(os.environ.get("MOTCUA_DATA_DIR", Path.cwd() / "var")).resolve()

_INSECURE_KEY = "django-insecure-motcua-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and (DATA_DIR / "secret_key").is_file():
    # The per-installation key `scripts/run` made, so commands in another shell use it too.
    SECRET_KEY = (DATA_DIR / "secret_key").read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production refuses to start with the default key; "
            "set SECRET_KEY (or DEBUG=1 for local development)."
        )
    SECRET_KEY = _INSECURE_KEY
elif SECRET_KEY == _INSECURE_KEY and not (DEBUG or TESTING):
    raise ImproperlyConfigured("SECRET_KEY is the public development key; set a secret one.")

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "motcua.accounts",
    "motcua.orgs",
    "motcua.workcal",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.payments",
    "motcua.postal",
    "motcua.notifications",
    "motcua.documents",
    "motcua.results",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.demo",
    "motcua.ops",
    "motcua.integration",
    "motcua.simulator",
    "motcua.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.ops.middleware.RejectNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese unless the person chose English (ignores the browser's Accept-Language).
    "motcua.portal.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Absolute links on documents follow the address the page was asked on (motcua.public_url).
    "motcua.public_url.PublicBaseUrlMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "motcua.notifications.context_processors.notices",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database needs its folder; make it so any command works on a fresh clone.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of
        # failing with "database is locked" half-way through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Optional read replica for reports (docs/DEPLOYMENT.md): reads of the reports go there.
REPORTS_DATABASE_URL = os.environ.get("REPORTS_DATABASE_URL", "")
if REPORTS_DATABASE_URL:
    DATABASES["reports"] = dj_database_url.parse(REPORTS_DATABASE_URL, conn_max_age=60)
    DATABASE_ROUTERS = ["motcua.dbrouters.ReportsReplicaRouter"]
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles a large query's expressions before running it: at 1 M
        # dossiers that was 300-700 ms of a queue count or a live report that runs in tens of
        # milliseconds without it. Short OLTP statements never gain from it.
        _database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------------------------
# Shared by every process of the installation: the catalogue version that invalidates cached
# search pages, the rate limiters and the sign-in throttle must agree across gunicorn workers.
# Default: files under DATA_DIR (one machine, nothing to run); CACHE_URL=redis://… for several
# machines; the tests use process memory.
CACHE_URL = os.environ.get("CACHE_URL", "")
if TESTING and not CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_URL.removeprefix("file://") or str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Background tasks (django-tasks with the database backend) ------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
if TESTING:
    TASKS["default"]["BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "vi")
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
FORMAT_MODULE_PATH = ["motcua.formats"]
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The site-wide stylesheet and vendored libraries (htmx) live in the package itself.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Sign-in (accounts) ----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Username, e-mail address or mobile number with a password.
    "motcua.accounts.backends.LoginIdentifierBackend",
    # OpenID Connect (national identity platform); inert until OIDC_ISSUER and OIDC_CLIENT_ID are set.
    "motcua.accounts.oidc.OIDCBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
# The SMTP server of EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (and of the
# notifications' "smtp" provider, docs/NOTIFICATIONS.md).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motcua <no-reply@localhost>")
# OpenID Connect: the endpoints come from the issuer's discovery document.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile phone")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "Tài khoản định danh điện tử")
# The claim that carries the 12-digit personal identification number.
OIDC_CLAIM_CITIZEN_ID = os.environ.get("OIDC_CLAIM_CITIZEN_ID", "citizen_id")
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint announces every rendering step ("Step 2 - Fetching and parsing CSS") at
        # INFO, and fontTools every table it prunes while subsetting a PDF's fonts: noise in
        # each command's output and the run log. Their warnings and errors still show.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # APScheduler says "Running job" and "executed successfully" at INFO for every fire;
        # the runs are in ops.JobRun (`python -m motcua schedule`), failures logged by ops.
        "apscheduler": {"level": "WARNING"},
    },
}

# /metrics answers loopback only, or anyone presenting this bearer token when it is set.
MOTCUA_METRICS_TOKEN = os.environ.get("MOTCUA_METRICS_TOKEN", "")

# --- motcua domain settings (docs/DOMAIN.md: the unsettled rules are settings with defaults) ------
# The province code inside agency identifiers (V1V2V3.Z1Z2.Y1Y2.MX1X2); H16 for Đắk Lắk is
# inferred, not confirmed (docs/DOMAIN.md).
MOTCUA_PROVINCE_CODE = os.environ.get("MOTCUA_PROVINCE_CODE", "H16")
MOTCUA_SYSTEM_NAME = os.environ.get("MOTCUA_SYSTEM_NAME", "Hệ thống thông tin giải quyết TTHC")
# Office hours (docs/DOMAIN.md §4): two sessions of 4 hours, 8 in all, so that a limit hour
# ("4 giờ làm việc") is a clock hour and half a working day is a session; a unit with its own
# timetable (workcal.OfficeHours) has its limit time scaled to it.
MOTCUA_OFFICE_HOURS = (
    (os.environ.get("MOTCUA_MORNING", "07:00-11:00")),
    (os.environ.get("MOTCUA_AFTERNOON", "13:00-17:00")),
)
# A working day counts as this many working hours when days are converted to hours.
MOTCUA_HOURS_PER_WORKING_DAY = 8
# "exact" (N×8 working hours, hour precision) or "end_of_day".
MOTCUA_DUE_ROUNDING = os.environ.get("MOTCUA_DUE_ROUNDING", "exact")
# A direct dossier received after this time goes to the processing unit the next morning.
MOTCUA_DIRECT_HANDOVER_CUTOFF = os.environ.get("MOTCUA_DIRECT_HANDOVER_CUTOFF", "15:00")
# Default supplement policy after reception: "restart" (Decree 61 Art 19) or "pause".
MOTCUA_SUPPLEMENT_POLICY = os.environ.get("MOTCUA_SUPPLEMENT_POLICY", "restart")
# Largest accepted upload, in bytes, and the content types accepted for dossier attachments,
# decided by the content (motcua.dossiers.uploads): PDF, JPEG and PNG. Procedures have no list
# of their own; Word files ("application/vnd.openxmlformats-officedocument.wordprocessingml.
# document", "application/msword") are recognised but only accepted if added here.
MOTCUA_MAX_UPLOAD_BYTES = int(os.environ.get("MOTCUA_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
MOTCUA_UPLOAD_CONTENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
# An image larger than this many pixels is refused before it is decoded (decompression bombs);
# 40 million is an A4 page scanned at 600 dpi with room to spare.
MOTCUA_MAX_IMAGE_PIXELS = int(os.environ.get("MOTCUA_MAX_IMAGE_PIXELS", "40000000"))
# At most this many files a citizen attaches per required document and per dossier.
MOTCUA_MAX_FILES_PER_DOCUMENT = int(os.environ.get("MOTCUA_MAX_FILES_PER_DOCUMENT", "5"))
MOTCUA_MAX_FILES_PER_DOSSIER = int(os.environ.get("MOTCUA_MAX_FILES_PER_DOSSIER", "40"))
# Absolute links printed on documents and sent in messages (QR codes, e-mails) start with this.
# Empty: the address the page was asked on, and for the worker the one `run` serves on
# (motcua.public_url). Set it in production to the portal's public name.
MOTCUA_PUBLIC_BASE_URL = os.environ.get("MOTCUA_PUBLIC_BASE_URL", "")
# Numbers and titles of the official forms (Circular 01/2018-VPCP, forms 01–06), keyed by the
# stable form key of motcua.documents; Circular 03/2025 may renumber them. The environment
# variable (JSON, same shape) overrides single entries.
MOTCUA_FORM_TITLES = {
    "receipt": {"number": "01", "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"},
    "supplement_request": {"number": "02", "title": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"},
    "refusal": {"number": "03", "title": "Phiếu từ chối tiếp nhận giải quyết hồ sơ"},
    "apology": {"number": "04", "title": "Phiếu xin lỗi và hẹn lại ngày trả kết quả"},
    "control_sheet": {"number": "05", "title": "Phiếu kiểm soát quá trình giải quyết hồ sơ"},
    "tracking_book": {"number": "06", "title": "Sổ theo dõi hồ sơ"},
    "payment_receipt": {"number": "", "title": "Biên lai thu phí, lệ phí điện tử"},
} | json.loads(os.environ.get("MOTCUA_FORM_TITLES", "{}"))

# --- Integration API v1, webhooks, national portal (motcua.integration) ----------------------
# Calls a minute an API client may make unless its own limit says otherwise.
MOTCUA_API_RATE_LIMIT_PER_MINUTE = int(os.environ.get("MOTCUA_API_RATE_LIMIT_PER_MINUTE", "600"))
# Public, unauthenticated calls (lookup/{code}) a minute per remote address.
MOTCUA_API_PUBLIC_RATE_LIMIT_PER_MINUTE = int(
    os.environ.get("MOTCUA_API_PUBLIC_RATE_LIMIT_PER_MINUTE", "60")
)
# Webhook receivers must answer within this many seconds; a delivery gives up after N attempts.
MOTCUA_WEBHOOK_TIMEOUT = float(os.environ.get("MOTCUA_WEBHOOK_TIMEOUT", "10"))
MOTCUA_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_WEBHOOK_MAX_ATTEMPTS", "12"))
# Webhooks go to public addresses only (integration/egress.py), and to these networks (CIDR,
# comma-separated: a ministry on the government's private network); loopback when DEBUG.
MOTCUA_WEBHOOK_ALLOWED_NETWORKS = _env_list(
    "MOTCUA_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128" if DEBUG else ""
)
# National public-service portal (DVCQG) sync: provider "http" posts JSON to the URL, "sandbox"
# records in this database (the demo), "" turns the sync off.
MOTCUA_NATIONAL_PORTAL_PROVIDER = os.environ.get(
    "MOTCUA_NATIONAL_PORTAL_PROVIDER",
    "http" if os.environ.get("MOTCUA_NATIONAL_PORTAL_URL") else "sandbox",
)
MOTCUA_NATIONAL_PORTAL_URL = os.environ.get("MOTCUA_NATIONAL_PORTAL_URL", "")
MOTCUA_NATIONAL_PORTAL_TOKEN = os.environ.get("MOTCUA_NATIONAL_PORTAL_TOKEN", "")
MOTCUA_NATIONAL_PORTAL_TIMEOUT = float(os.environ.get("MOTCUA_NATIONAL_PORTAL_TIMEOUT", "15"))
# The sandbox receiver POST /api/v1/sandbox/national-portal/dossiers (on for the demo and tests).
MOTCUA_NATIONAL_PORTAL_SANDBOX = _env_bool("MOTCUA_NATIONAL_PORTAL_SANDBOX", DEBUG or TESTING)

# Payments (docs/PAYMENTS.md). The vnpay gateway: the merchant code and hash secret it issued, and
# its payment URL; empty URL = the sandbox gateway motcua serves itself (/thanh-toan/thu-nghiem/),
# which is refused unless MOTCUA_PAYMENT_SANDBOX is on (by default only with DEBUG or in tests).
MOTCUA_VNPAY_TMN_CODE = os.environ.get("MOTCUA_VNPAY_TMN_CODE", "MOTCUA01")
MOTCUA_VNPAY_HASH_SECRET = os.environ.get(
    "MOTCUA_VNPAY_HASH_SECRET", "sandbox-secret-not-for-production" if DEBUG or TESTING else ""
)
MOTCUA_VNPAY_URL = os.environ.get("MOTCUA_VNPAY_URL", "")
MOTCUA_PAYMENT_SANDBOX = _env_bool("MOTCUA_PAYMENT_SANDBOX", DEBUG or TESTING)
# Minutes a citizen has to finish a gateway payment (vnp_ExpireDate).
MOTCUA_PAYMENT_EXPIRE_MINUTES = int(os.environ.get("MOTCUA_PAYMENT_EXPIRE_MINUTES", "15"))

# Public postal service (docs/POSTAL.md). The sandbox operator motcua serves itself
# (/buu-chinh/thu-nghiem/) is refused unless MOTCUA_POSTAL_SANDBOX is on (by default only with DEBUG
# or in tests); its callbacks are signed with MOTCUA_POSTAL_SANDBOX_SECRET. The national operator's
# API and the secret it signs its callbacks with; each agency's token is named by its account.
MOTCUA_POSTAL_SANDBOX = _env_bool("MOTCUA_POSTAL_SANDBOX", DEBUG or TESTING)
MOTCUA_POSTAL_SANDBOX_SECRET = os.environ.get(
    "MOTCUA_POSTAL_SANDBOX_SECRET",
    "postal-sandbox-secret-not-for-production" if DEBUG or TESTING else "",
)
MOTCUA_POSTAL_VNPOST_URL = os.environ.get("MOTCUA_POSTAL_VNPOST_URL", "")
MOTCUA_POSTAL_VNPOST_SECRET = os.environ.get("MOTCUA_POSTAL_VNPOST_SECRET", "")
MOTCUA_POSTAL_TIMEOUT = float(os.environ.get("MOTCUA_POSTAL_TIMEOUT", "15"))

# --- Notifications (docs/NOTIFICATIONS.md) ---------------------------------------------------
# The provider of each channel: e-mail "smtp" (Django's EMAIL_* settings) or "sandbox"; SMS
# "brandname" or "sandbox"; Zalo "zalo_zns" or "sandbox"; empty turns a channel off. In-app notices
# are always on. The demo (`python -m motcua run`) uses every sandbox.
MOTCUA_NOTIFY_PROVIDERS = {
    "email": os.environ.get("MOTCUA_NOTIFY_EMAIL", "smtp"),
    "sms": os.environ.get("MOTCUA_NOTIFY_SMS", "sandbox" if TESTING else ""),
    "zalo": os.environ.get("MOTCUA_NOTIFY_ZALO", "sandbox" if TESTING else ""),
    "inapp": "inapp",
}
# Sends per message before it is given up, and the first retry's delay (doubled each time,
# with up to half of it again as random jitter).
MOTCUA_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_NOTIFY_MAX_ATTEMPTS", "8"))
MOTCUA_NOTIFY_RETRY_SECONDS = int(os.environ.get("MOTCUA_NOTIFY_RETRY_SECONDS", "30"))
# A message left "sending" this long (its worker died mid-send) is sent again.
MOTCUA_NOTIFY_STALE_SECONDS = int(os.environ.get("MOTCUA_NOTIFY_STALE_SECONDS", "600"))
# Sends of a provider that keeps no reference of ours (SMTP) marked together: a worker killed
# mid-batch sends at most this many again (docs/NOTIFICATIONS.md). 1 marks each on its own.
MOTCUA_NOTIFY_MARK_EVERY = max(1, int(os.environ.get("MOTCUA_NOTIFY_MARK_EVERY", "10")))
# SMS "brandname" gateway (docs/NOTIFICATIONS.md §4): where to POST, the API key sent in
# X-Api-Key, the registered sender name, and the secret its delivery callbacks are signed with.
MOTCUA_SMS_URL = os.environ.get("MOTCUA_SMS_URL", "")
MOTCUA_SMS_API_KEY = os.environ.get("MOTCUA_SMS_API_KEY", "")
MOTCUA_SMS_BRANDNAME = os.environ.get("MOTCUA_SMS_BRANDNAME", "")
MOTCUA_SMS_SECRET = os.environ.get("MOTCUA_SMS_SECRET", "")
MOTCUA_SMS_TIMEOUT = float(os.environ.get("MOTCUA_SMS_TIMEOUT", "10"))
# Zalo ZNS (docs/NOTIFICATIONS.md §5): the template id registered for each event (JSON, event →
# id, or event → {"id": …, "params": [names sent]}), the OA's access token, the API address, and
# the OA secret key (with the app id, when set, checked) that signs its webhooks.
MOTCUA_ZALO_TEMPLATES = json.loads(os.environ.get("MOTCUA_ZALO_TEMPLATES", "{}") or "{}")
if not isinstance(MOTCUA_ZALO_TEMPLATES, dict):
    raise ImproperlyConfigured(
        'MOTCUA_ZALO_TEMPLATES must be a JSON object, event → template id: {"received": "254011"}.'
    )
MOTCUA_ZALO_ACCESS_TOKEN = os.environ.get("MOTCUA_ZALO_ACCESS_TOKEN", "")
MOTCUA_ZALO_URL = os.environ.get(
    "MOTCUA_ZALO_URL", "https://business.openapi.zalo.me/message/template"
)
MOTCUA_ZALO_OA_SECRET = os.environ.get("MOTCUA_ZALO_OA_SECRET", "")
MOTCUA_ZALO_APP_ID = os.environ.get("MOTCUA_ZALO_APP_ID", "")
MOTCUA_ZALO_TIMEOUT = float(os.environ.get("MOTCUA_ZALO_TIMEOUT", "10"))
# The sandboxes' delivery callbacks (the brandname scheme) are signed with this secret.
MOTCUA_NOTIFY_SANDBOX_SECRET = os.environ.get(
    "MOTCUA_NOTIFY_SANDBOX_SECRET",
    "notify-sandbox-secret-not-for-production" if DEBUG or TESTING else "",
)
# The sandbox inbox (/thong-bao/thu-nghiem/: what the sandbox providers "sent") is open to anyone
# in the demo, so a person trying it sees every e-mail, SMS and Zalo message; otherwise only to
# staff with the admin's access (it shows everyone's messages). scripts/run turns it on.
MOTCUA_NOTIFY_SANDBOX_INBOX_OPEN = _env_bool("MOTCUA_NOTIFY_SANDBOX_INBOX_OPEN", DEBUG)

# --- Signed results (motcua.documents.signing; docs/SIGNING.md) ----------------------------------
# An RFC 3161 timestamp authority for every signature (empty: none; a signature is then judged at
# the time it is checked), the province's trust roots (PEM files) and the CRLs its CA publishes
# (empty: the demo CA's under DATA_DIR/signing/ when it exists).
MOTCUA_SIGNING_TSA_URL = os.environ.get("MOTCUA_SIGNING_TSA_URL", "")
MOTCUA_SIGNING_TSA_TIMEOUT = float(os.environ.get("MOTCUA_SIGNING_TSA_TIMEOUT", "15"))
MOTCUA_SIGNING_TRUST_ROOTS = _env_list("MOTCUA_SIGNING_TRUST_ROOTS", "")
MOTCUA_SIGNING_CRLS = _env_list("MOTCUA_SIGNING_CRLS", "")
# Approve and deny issue signed e-results (results app, docs/RESULTS-DOCUMENTS.md): each agency
# needs its signing certificate (documents.signing), else the approval stops with the reason.
MOTCUA_E_RESULTS = _env_bool("MOTCUA_E_RESULTS", True)

# --- Reports and KPIs (motcua.reports; docs/DOMAIN.md §5–§6) --------------------------------------
# First day of a reporting month: 15 = the 15th of the previous month to the 14th (the national
# reporting rules, Decree 09/2019/NĐ-CP Art. 12; docs/DOMAIN.md §5); 1 = the calendar month.
MOTCUA_REPORT_CUTOFF_DAY = int(os.environ.get("MOTCUA_REPORT_CUTOFF_DAY", "15"))
# Reports are due before the first such day after their period ends: the 22nd of the reporting
# month itself with the default cut-off (Directive 08), of the following month with calendar months.
MOTCUA_REPORT_DUE_DAY = int(os.environ.get("MOTCUA_REPORT_DUE_DAY", "22"))
# Directive 08 targets per year ("default" for years not listed); the environment variable
# (JSON, same shape) overrides single years, e.g. {"2026": {"dossiers_online_share": 0.5}}.
MOTCUA_KPI_TARGETS = {
    "default": {
        "procedures_level34_share": 0.60,
        "procedures_level4_share": 0.30,
        "dossiers_online_share": 0.20,
        "dossiers_postal_share": 0.10,
        "online_payment_coverage": 1.00,
        "integration_coverage": 1.00,
        "on_time_rate": 0.95,
        "late_apology_rate": 1.00,
    },
} | json.loads(os.environ.get("MOTCUA_KPI_TARGETS", "{}"))

# --- Periodic jobs (motcua.ops.scheduler; docs/DEPLOYMENT.md "Periodic jobs") -----------------
# Every task worker runs the scheduler (off in the tests unless a test turns it on); with several
# workers each period of a job still runs once (the ops.JobRun row). `python -m motcua schedule`
# lists them. A schedule is a crontab line in TIME_ZONE ("minute hour day month weekday", weekday
# 0/7 = Sunday; an optional sixth field in front is the second); `callable` a dotted path to a
# plain function (or a task, run in the worker's thread) returning a short result.
MOTCUA_SCHEDULER = _env_bool("MOTCUA_SCHEDULER", not TESTING)
# A fire time missed by up to this long (the worker was busy or down) is run late, once.
MOTCUA_SCHEDULER_MISFIRE_GRACE_SECONDS = int(
    os.environ.get("MOTCUA_SCHEDULER_MISFIRE_GRACE_SECONDS", "3600")
)
# Jobs of one worker that may run at the same time (a long nightly freeze does not hold up the
# five-minute sweeps).
MOTCUA_SCHEDULER_THREADS = int(os.environ.get("MOTCUA_SCHEDULER_THREADS", "4"))
MOTCUA_JOBS = [
    # Every five minutes: what the worker's own tasks may have left behind.
    {
        "name": "notifications_recover",
        "schedule": "*/5 * * * *",
        "callable": "motcua.notifications.tasks.messages_recover_task",
    },
    {
        "name": "payments_expire",
        "schedule": "*/5 * * * *",
        "callable": "motcua.payments.services.invoices_expire",
    },
    {
        "name": "postal_catch_up",
        "schedule": "*/5 * * * *",
        "callable": "motcua.ops.jobs.postal_catch_up",
    },
    {
        "name": "integration_retry",
        "schedule": "*/5 * * * *",
        "callable": "motcua.integration.tasks.integration_send_due",
    },
    # The officers' warnings: dossiers due within a working day or late, and the digest.
    {
        "name": "dossiers_due_scan",
        "schedule": "*/15 * * * *",
        "callable": "motcua.notifications.scans.dossiers_due_scan",
    },
    {
        "name": "officers_digest",
        "schedule": "0 7 * * *",
        "callable": "motcua.notifications.scans.officers_digest_send",
    },
    # Reports: the nightly freezes, the reminders before the due day and the check on it.
    {
        "name": "report_days_freeze",
        "schedule": "30 0 * * *",
        "callable": "motcua.ops.jobs.report_days_freeze",
    },
    {
        "name": "report_months_freeze",
        "schedule": "45 0 * * *",
        "callable": "motcua.ops.jobs.report_months_freeze",
    },
    {
        "name": "report_reminders",
        "schedule": "0 8 * * *",
        "callable": "motcua.ops.jobs.report_reminders",
    },
    {
        "name": "report_submissions_check",
        "schedule": "0 2 * * *",
        "callable": "motcua.ops.jobs.report_submissions_check",
    },
    {
        "name": "report_frozen_check",
        "schedule": "30 3 * * 0",
        "callable": "motcua.ops.jobs.report_frozen_check",
    },
    # Housekeeping, at night.
    {
        "name": "media_orphans_delete",
        "schedule": "0 3 * * 0",
        "callable": "motcua.ops.jobs.media_orphans_delete",
    },
    {
        "name": "idempotency_purge",
        "schedule": "15 3 * * *",
        "callable": "motcua.integration.services.idempotency_records_purge",
    },
    {
        "name": "task_results_prune",
        "schedule": "45 3 * * *",
        "callable": "motcua.ops.jobs.task_results_prune",
    },
    {
        "name": "job_runs_purge",
        "schedule": "50 3 * * *",
        "callable": "motcua.ops.jobs.job_runs_purge",
    },
]
# Jobs this installation adds (a JSON list of the same dicts) and those it does not run, by name
# (comma-separated: e.g. while cron still runs the matching commands).
_jobs_extra = json.loads(os.environ.get("MOTCUA_JOBS_EXTRA", "[]"))
if not isinstance(_jobs_extra, list):
    raise ImproperlyConfigured("MOTCUA_JOBS_EXTRA phải là một danh sách JSON các tác vụ.")
MOTCUA_JOBS += _jobs_extra
MOTCUA_JOBS_OFF = _env_list("MOTCUA_JOBS_OFF", "")
MOTCUA_JOBS = [
    job
    for job in MOTCUA_JOBS
    if not isinstance(job, dict) or job.get("name") not in MOTCUA_JOBS_OFF
]
