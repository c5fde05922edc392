"""Start the production stack on loopback with one command (``make prod``).

gunicorn (``gunicorn.conf.py``: 4 sync workers, one thread each) serving ``wsgi:app`` in
production mode, on the local PostgreSQL (database created if missing, migrations applied) and
Redis (rate-limit storage shared by the workers). The secret key is generated once into
``instance/secret_key`` (mode 0600). Environment variables already set (PDV_DATABASE_URL,
PDV_RATELIMIT_STORAGE_URI, PDV_SECRET_KEY, PDV_WORKERS, PDV_BIND…) win over the defaults below.

    python scripts/prodstack.py [--workers 4] [--bind 127.0.0.1:8000] [--proxy] [--demo]
"""

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/pdv_prod"
DEFAULT_REDIS = "redis://127.0.0.1:6379/8"


def secret_key(instance: Path) -> str:
    """Read the key from ``instance/secret_key``, creating it (0600) on first start."""
    path = instance / "secret_key"
    instance.mkdir(exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    if path.stat().st_mode & 0o077:
        sys.exit(f"{path} is readable by others: chmod 600 it")
    return path.read_text().strip()


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` on its server when it does not exist."""
    info = psycopg.conninfo.conninfo_to_dict(url.replace("postgresql+psycopg://", "postgresql://"))
    name = info.pop("dbname")
    try:
        with psycopg.connect(**info, dbname="postgres", autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"created database {name}")
    except psycopg.OperationalError as error:
        sys.exit(f"PostgreSQL is not reachable ({error.__class__.__name__}): start it first")


def check_redis(url: str) -> None:
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as error:
        sys.exit(f"Redis is not reachable at {url} ({error.__class__.__name__}): start it first")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("PDV_WORKERS", 4)))
    parser.add_argument("--bind", default=os.environ.get("PDV_BIND", "127.0.0.1:8000"))
    parser.add_argument("--proxy", action="store_true",
                        help="behind one reverse proxy (PDV_PROXY_COUNT=1)")
    parser.add_argument("--demo", action="store_true", help="load the demo data")
    args = parser.parse_args()

    env = dict(os.environ)
    env.setdefault("PDV_DATABASE_URL", DEFAULT_DATABASE)
    env.setdefault("PDV_RATELIMIT_STORAGE_URI", DEFAULT_REDIS)
    env.setdefault("PDV_SECRET_KEY", secret_key(ROOT / "instance"))
    env.update(PDV_ENV="production", PDV_WORKERS=str(args.workers), PDV_BIND=args.bind)
    if args.proxy:
        env["PDV_PROXY_COUNT"] = "1"
    ensure_database(env["PDV_DATABASE_URL"])
    check_redis(env["PDV_RATELIMIT_STORAGE_URI"])
    flask = [str(BIN / "flask"), "--app", "pdvsolutions"]
    # Fixed argv of our own virtualenv's tools, no shell: nothing comes from outside.
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True)  # noqa: S603
    if args.demo:
        subprocess.run([*flask, "demo", "load"], cwd=ROOT, env=env, check=True)  # noqa: S603
    print(f"serving on http://{args.bind} with {args.workers} workers (Ctrl+C stops)")
    gunicorn = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"]
    os.execve(gunicorn[0], gunicorn, env)  # noqa: S606 - gunicorn replaces this process


if __name__ == "__main__":
    main()
