"""Security headers on every response.

``test_security_get_crawl`` checks them on every GET of the access table as every persona
(200, 302, 403, 404 alike); this module checks the answers a crawl never sees: refused POSTs,
wrong methods, unknown addresses, static files.
"""

import pytest


def csp_directives(header: str) -> dict[str, str]:
    parts = [p.strip().split(None, 1) for p in header.split(";") if p.strip()]
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


def assert_security_headers(response, where: str) -> None:
    csp = csp_directives(response.headers.get("Content-Security-Policy", ""))
    script_src = csp.get("script-src", csp.get("default-src", ""))
    assert script_src and "'unsafe-inline'" not in script_src, where
    assert csp.get("object-src") == "'none'", where
    assert csp.get("base-uri") == "'self'", where
    assert csp.get("frame-ancestors") == "'none'", where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy"), where


@pytest.mark.parametrize("method, url", [
    ("POST", "/connexion"),            # no CSRF token: 400
    ("POST", "/"),                     # wrong method: 405
    ("GET", "/nulle-part"),            # unknown address: 404
    ("GET", "/static/css/app.css"),   # a static file
])
def test_headers_on_answers_outside_the_access_table(client, method, url):
    response = client.open(url, method=method)
    response.close()  # a static file is streamed from disk
    assert_security_headers(response, f"{method} {url} ({response.status_code})")
