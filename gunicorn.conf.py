"""gunicorn settings of the production stack (``gunicorn -c gunicorn.conf.py wsgi:app``).

Environment: PDV_BIND (127.0.0.1:8000), PDV_WORKERS (4), PDV_THREADS (1 thread per worker),
PDV_WORKER_CLASS (sync with one thread, gthread with more), PDV_DB_POOL_SIZE (defaults to the
threads of one worker: one connection each).
One thread per worker: on two cores, four threads per worker spent more CPU per answer on
every route (the GIL passed between threads of one process) for less throughput; see
docs/production.md, "Un fil par worker". With one thread, the sync worker: each request goes
to whichever worker is free, where a gthread worker keeps its kept-alive connections and lets
them queue behind its one thread while others idle (see "Le worker sync"). The reverse proxy
in front buffers slow clients and does not keep connections to gunicorn alive anyway.
The app refuses to start in production with several workers and per-process rate limits, so
``PDV_WORKERS`` is set from the real worker count before the workers load the app.
"""

import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("PDV_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PDV_WORKERS", "4"))
threads = int(os.environ.get("PDV_THREADS", "1"))
worker_class = os.environ.get("PDV_WORKER_CLASS", "sync" if threads == 1 else "gthread")
# The app is loaded in each worker after the fork: no database connection is shared.
preload_app = False
# Several stacks (tests, benchmarks) run side by side: no shared control socket in ~/.gunicorn.
control_socket_disable = True
timeout = 30
graceful_timeout = 20
keepalive = 5
# Path only (%(U)s): no query string, no cookie, no header that could carry a secret.
accesslog = os.environ.get("PDV_ACCESS_LOG", "-")
# pid: the worker that answered (a worker restarted after a timeout shows up as a new pid).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms pid=%(p)s rid=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("PDV_LOG_LEVEL", "info")

#: Paths that carry a one-time secret (password-reset links): the secret is masked.
SECRET_PATHS = re.compile(r"^(/mot-de-passe/nouveau/)[^/?]+")


class RedactingLogger(Logger):
    """Access log lines without the secret part of reset links."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = SECRET_PATHS.sub(r"\1***", atoms["U"])
        return atoms


logger_class = RedactingLogger


def on_starting(server):
    """Tell the app how many workers share it (checked in production) and size its pool."""
    os.environ["PDV_WORKERS"] = str(server.cfg.workers)
    os.environ.setdefault("PDV_DB_POOL_SIZE", str(server.cfg.threads))
