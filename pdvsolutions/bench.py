"""Floor routes for ``bench/web.py``: what every page and every POST is compared with.

Registered only when the environment says ``PDV_BENCH=1`` (never in normal runs):

* ``/_bench/hello`` answers a fixed text without touching the database, the session or a
  template: the floor of any page;
* ``/_bench/commit`` (POST, logged in, CSRF token) loads the account as every logged-in request
  does, then commits a transaction that has a transaction id, so PostgreSQL writes and flushes
  its commit record: the floor of any durable POST (a ballot, a support) on the same stack.
"""

import sqlalchemy as sa
from flask import Response, abort
from flask_login import current_user

from .extensions import db

#: Assigns the transaction an id (PostgreSQL 13+): its commit is then flushed to the WAL.
_XACT_ID = sa.text("SELECT pg_current_xact_id()")


def init_app(app) -> None:
    @app.get("/_bench/hello")
    def bench_hello():
        return Response("hello", mimetype="text/plain")

    @app.post("/_bench/commit")
    def bench_commit():
        if not current_user.is_authenticated:
            abort(401)
        db.session.execute(_XACT_ID)
        db.session.commit()
        return Response("committed", mimetype="text/plain")
