"""The production stack as a subprocess, for tests and benchmarks.

    with running_stack(database_url, redis_url, workers=4) as stack:
        httpx.get(stack.url + "/")
        stack.kill9()          # every gunicorn process at once (crash tests)

gunicorn runs ``wsgi:app`` with ``gunicorn.conf.py`` on a free loopback port, in production
mode (PostgreSQL, Redis rate-limit storage, a random secret key), in its own process group.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psycopg_url(url: str) -> str:
    """SQLAlchemy needs the driver named: ``postgresql+psycopg://`` (psycopg 3)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def flask_command(database_url: str, *args: str, env: dict | None = None) -> str:
    """Run ``flask ARGS`` on ``database_url`` (e.g. ``db upgrade``) and return its output."""
    full_env = {**os.environ, "PDV_DATABASE_URL": psycopg_url(database_url), **(env or {})}
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "pdvsolutions", *args],
        cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=300, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


@dataclass
class Stack:
    url: str
    process: subprocess.Popen

    def kill9(self) -> None:
        """``kill -9`` the master and every worker at the same instant (no clean shutdown)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()

    def output(self) -> str:
        return self.process.stdout.read() if self.process.stdout else ""


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            if httpx.get(url + "/", timeout=15).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {url} within {timeout} s")


@contextmanager
def running_stack(database_url: str, redis_url: str, workers: int = 4, env: dict | None = None,
                  log_path: Path | None = None):
    """Start gunicorn in production mode on a free port; yield a :class:`Stack`; stop it."""
    port = free_port()
    full_env = {
        **os.environ,
        "PDV_ENV": "production",
        "PDV_DATABASE_URL": psycopg_url(database_url),
        "PDV_RATELIMIT_STORAGE_URI": redis_url,
        "PDV_SECRET_KEY": secrets.token_urlsafe(48),
        "PDV_BIND": f"127.0.0.1:{port}",
        "PDV_WORKERS": str(workers),
        **(env or {}),
    }
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
        cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    stack = Stack(f"http://127.0.0.1:{port}", process)
    try:
        wait_until_up(stack.url, process)
        yield stack
    finally:
        stack.stop()
        if log_path:
            log.close()
