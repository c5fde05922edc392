# Copy to instance/config.py and adapt. Every value can also come from a PDV_* variable
# (see pdvsolutions/config.py). Never commit instance/config.py.

# PDV_ENV = "production" makes the app refuse unsafe settings at start-up.
PDV_ENV = "development"

# A random value of at least 32 characters: python -c "import secrets; print(secrets.token_hex(32))"
SECRET_KEY = "change-me"

# SQLite in instance/ by default; PostgreSQL in production (psycopg 3):
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://pdv:secret@127.0.0.1:5432/pdvsolutions"

# Rate-limit storage shared by every gunicorn worker:
# RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/0"

# SMTP server used by `flask outbox send` (run it from cron every minute).
MAIL_SERVER = "localhost"
MAIL_PORT = 25
MAIL_USE_TLS = False
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_DEFAULT_SENDER = "Métropole – appels à solutions <ne-pas-repondre@example.org>"

# Public address of the site, used in the links sent by e-mail.
PUBLIC_BASE_URL = "http://127.0.0.1:5000"

# Number of reverse proxies in front of gunicorn (1 behind nginx).
PROXY_COUNT = 0
