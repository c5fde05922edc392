"""Security baseline: request ids, security headers, proxy settings."""

import secrets

from flask import g, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, ValidationError

#: No inline script anywhere; styles only from our own files.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'"
)


#: Largest id of a table (PostgreSQL ``integer``); larger ids in a URL are simply not found.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:…>`` of every route: an id the database cannot hold is a 404, never a 500.

    SQLite's driver overflows above 2**63 and PostgreSQL columns hold 2**31 - 1; Python refuses
    to read integers of more than 4300 digits. None of that may reach a view.
    """

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str):
        if len(value) > len(str(self.max)):
            raise ValidationError()
        return super().to_python(value)


def init_app(app) -> None:
    # Before the blueprints are registered: their rules take the converter at that moment.
    app.url_map.converters["int"] = IdConverter
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    @app.before_request
    def assign_request_id():
        g.request_id = secrets.token_hex(8)

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Permissions-Policy"] = "geolocation=(), camera=(), microphone=()"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.is_secure:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if "request_id" in g:
            headers["X-Request-ID"] = g.request_id
        return response
