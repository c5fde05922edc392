"""A bare route for ``bench/web.py``: the floor every page is compared with.

Registered only when the environment says ``PDV_BENCH=1`` (never in normal runs): it answers
a fixed text without touching the database, the session or a template.
"""

from flask import Response


def init_app(app) -> None:
    @app.get("/_bench/hello")
    def bench_hello():
        return Response("hello", mimetype="text/plain")
