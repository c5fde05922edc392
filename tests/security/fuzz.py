"""The fuzz harness: every form of the app, found on its pages as each persona sees them, then
submitted with generated values against a copy of the access world.

* Discovery: every GET page of the access table, opened as each persona the table lets in, is
  parsed for its forms (action, method, fields, options). POST endpoints whose form no page
  shows in the world (buttons of other phases, the ballot's second step) come from the access
  table's POST cases and their data.
* Submission: Hypothesis draws a persona among those who saw the form, a value per field
  (plausible, hostile of the field's kind, or left out), a few extra fields and, sometimes, an
  id in the URL replaced or a ``next`` added. Every submission carries a valid CSRF token and
  rate limits are off in the fuzz app (their own tests check them): every submission reaches
  the form's code.
* Checks on every response: no server error, no script a visitor wrote in the page
  (html_safety), no redirect to another site. When the submission wrote to the database and
  redirected, the page it redirects to is rendered and checked too.
* Isolation: after a submission that wrote, the database is restored (SQLite: a file copy;
  PostgreSQL: the world's rows loaded again), so each example starts from the same world and a
  failure reproduces.
"""

import math
import os
import re
import shutil
import time
import warnings
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisWarning

from pdvsolutions.extensions import db
from pdvsolutions.models import PasswordResetToken
from pdvsolutions.services import second_factor
from pdvsolutions.timeutil import utcnow

from ..access.matrix import World, all_cases, login_as
from ..access.world import rebind
from ..conftest import make_test_config
from ..forms_html import ENGLISH_MESSAGES, HtmlField, forms_of
from . import fuzz_values as fv
from .html_safety import script_problems

#: Submissions of one run of the fuzz test (the issue asks for at least 10,000).
DEFAULT_EXAMPLES = 10_000
#: A fixed seed by default, so that CI runs reproduce; PDV_FUZZ_SEED=random explores.
DEFAULT_SEED = 20260


def examples_wanted(variable: str = "PDV_FUZZ_EXAMPLES", default: int = DEFAULT_EXAMPLES) -> int:
    return int(os.environ.get(variable, default))


def run_seed() -> int:
    value = os.environ.get("PDV_FUZZ_SEED", str(DEFAULT_SEED))
    if value == "random":
        import secrets

        return secrets.randbelow(2**32)
    return int(value)


def fuzz_config(database_uri: str, folder) -> dict:
    config = make_test_config("unused", folder)
    config.update(SQLALCHEMY_DATABASE_URI=database_uri, RATELIMIT_ENABLED=False)
    return config


#: The CSRF secret of every fuzz session, and the token a form carries for it.
CSRF_RAW = "0123456789abcdef0123456789abcdef01234567"


def csrf_token_for(app) -> str:
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(CSRF_RAW)


# -- the world, with what the second login step and the reset link need -----------------------

#: Secret of the admin's authenticator app in the fuzz world (the code step needs one).
ADMIN_TOTP_SECRET = "PDVFUZZADMINTOTPSECRETAAAAAAAAAA"
RESET_TOKEN = "fuzz-reset-token-0123456789abcdefghijklmnop"
#: Sessions waiting for the second login step: (persona, user whose password was given).
PENDING = {"pending_admin": "admin", "pending_staff": "staff"}


def extend_fuzz_world(world: World) -> dict[str, str]:
    """The admin enrolled with an app, a live reset link for the resident; extra page URLs."""
    w = rebind(world)
    second_factor.reset(w.users["admin"], secret=ADMIN_TOTP_SECRET)
    db.session.add(PasswordResetToken(
        user_id=w.users["resident"].id, token_hash=_sha256(RESET_TOKEN),
        expires_at=utcnow() + timedelta(days=3650)))
    return {"anonymous": f"/mot-de-passe/nouveau/{RESET_TOKEN}",
            "pending_admin": "/connexion/code", "pending_staff": "/connexion/application"}


def _sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def open_client(app, users: dict, persona: str):
    """A client with the persona's session (pending ones: between the two login steps)."""
    client = app.test_client()
    if persona not in PENDING:
        login_as(client, users[persona])
    with client.session_transaction() as session:
        session["csrf_token"] = CSRF_RAW
        if persona in PENDING:
            session["mfa_pending"] = {"user": users[PENDING[persona]].get_id(),
                                      "at": utcnow().timestamp(), "next": "", "tries": 0}
    return client


# -- discovery -----------------------------------------------------------------------------------


@dataclass
class FormSpec:
    """One form to fuzz: where it posts, its fields (grouped by name), who may send it."""

    endpoint: str
    method: str
    url: str
    enctype: str
    fields: dict[str, tuple[HtmlField, list[str]]]
    personas: list[str] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)
    source: str = "page"

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.endpoint} {self.url}"


def _group(fields: list[HtmlField]) -> dict[str, tuple[HtmlField, list[str]]]:
    groups: dict[str, tuple[HtmlField, list[str]]] = {}
    for item in fields:
        first, values = groups.setdefault(item.name, (item, []))
        values.extend(item.options if item.tag == "select" else [item.value])
    return groups


def _endpoint(adapter, url: str, method: str) -> str | None:
    try:
        endpoint, _args = adapter.match(urlsplit(url).path, method=method.upper())
    except Exception:  # noqa: BLE001 - not a route of the app (an external action)
        return None
    return endpoint


def crawl_pages(app, world: World) -> list[tuple[str, str, str]]:
    """(url, persona, endpoint) of every page of the access table that shows to the persona."""
    with app.app_context():
        bound = rebind(world)
        return [(case.resolve_url(bound), persona, case.endpoint) for case in all_cases()
                if case.method == "GET" and case.ok == 200 for persona in world.users
                if case.expected(persona, world.groups[persona]) == 200]


def discover(app, world: World, extra_pages: dict[str, str]) -> list[FormSpec]:
    """Every form on every page the access table opens (as each allowed persona), plus the
    POST cases of the table whose form no page of the world shows."""
    adapter = app.url_map.bind("localhost")
    with app.app_context():
        bound = rebind(world)
        posts = [(case, case.resolve_url(bound), case.resolve_data(bound))
                 for case in all_cases() if case.method == "POST"]
    pages = [(url, persona) for url, persona, _endpoint in crawl_pages(app, world)]
    pages += [(url, persona) for persona, url in extra_pages.items()]
    clients = {}
    specs: dict[tuple, FormSpec] = {}
    for url, persona in pages:
        client = clients.get(persona) or clients.setdefault(
            persona, open_client(app, world.users, persona))
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in forms_of(response.get_data(as_text=True)):
            target = form.action or url
            if form.method == "get":
                target = urlsplit(target).path
            endpoint = _endpoint(adapter, target, form.method)
            if endpoint is None:
                continue
            key = (endpoint, form.method, target)
            spec = specs.setdefault(key, FormSpec(endpoint, form.method, target, form.enctype,
                                                  _group(form.fields)))
            if persona not in spec.personas:
                spec.personas.append(persona)
    found = {spec.endpoint for spec in specs.values()}
    for case, url, data in posts:
        personas = [p for p in world.users if case.expected(p, world.groups[p]) == case.ok]
        matching = [s for s in specs.values() if s.endpoint == case.endpoint]
        for spec in matching:
            spec.defaults.update({k: str(v) for k, v in data.items()})
        if case.endpoint not in found and personas:
            fields = [HtmlField("input", {"name": k, "type": "text", "value": str(v)})
                      for k, v in data.items()]
            spec = FormSpec(case.endpoint, "post", url, "", _group(fields), personas,
                            {k: str(v) for k, v in data.items()}, source="table")
            specs[(case.endpoint, "post", url)] = spec
            found.add(case.endpoint)
    return sorted(specs.values(), key=lambda s: s.id)


def allocate(specs: list[FormSpec], total: int, minimum: int = 20) -> list[int]:
    """Examples per form, in proportion to its fields (a form of buttons gets the minimum)."""
    weights = [1 + len(spec.fields) for spec in specs]
    return [max(minimum, math.ceil(total * w / sum(weights))) for w in weights]


# -- restoring the world between examples ---------------------------------------------------------

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
#: Written on refusals too (403, failed logins): it only grows, like in real life, and a
#: restore after each refusal would double the run's time.
UNRESTORED = {"audit_events"}


class WriteWatch:
    """Notices the tables a request writes, so the world is restored only after writes."""

    def __init__(self, engine):
        self.tables: set[str] = set()
        sa.event.listen(engine, "before_cursor_execute", self._seen)
        if engine.dialect.name == "sqlite":
            # A throw-away copy: no need to wait for the disk at each commit.
            sa.event.listen(engine, "connect", _no_sync)

    @property
    def dirty(self) -> bool:
        return bool(self.tables - UNRESTORED)

    def reset(self) -> None:
        self.tables = set()

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        match = _WRITE.match(statement)
        if match:
            self.tables.add(match.group(1))


def _no_sync(dbapi_connection, record):
    dbapi_connection.execute("PRAGMA synchronous = OFF")


class SqliteWorld:
    """Restore by copying the world's database file back (a few milliseconds)."""

    def __init__(self, template, path):
        self.template, self.path = template, path

    def restore(self, app, tables=None) -> None:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        shutil.copyfile(self.template, self.path)


class RowsWorld:
    """Restore by loading again the world's rows of the tables written (PostgreSQL)."""

    def __init__(self, rows: dict[str, list[dict]]):
        self.rows = rows

    @staticmethod
    def read(app) -> dict[str, list[dict]]:
        with app.app_context():
            return {table.name: [dict(row._mapping) for row in
                                 db.session.execute(sa.select(table)).all()]
                    for table in db.metadata.sorted_tables}

    def restore(self, app, tables: set[str] | None = None) -> None:
        """Every table, or only ``tables`` (foreign keys are not checked while loading)."""
        with app.app_context():
            db.session.remove()
            chosen = [t for t in db.metadata.sorted_tables
                      if tables is None or t.name in tables]
            with db.engine.begin() as connection:
                connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
                for table in reversed(chosen):
                    connection.execute(table.delete())
                for table in chosen:
                    if self.rows[table.name]:
                        connection.execute(table.insert(), self.rows[table.name])
                    if "id" in table.columns and isinstance(table.c.id.type, sa.Integer):
                        following = sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0) + 1)
                        connection.execute(sa.select(sa.func.setval(
                            sa.func.pg_get_serial_sequence(table.name, "id"),
                            following.scalar_subquery(), False)))


# -- submitting and checking ----------------------------------------------------------------------


def same_origin(location: str) -> bool:
    """A redirect a browser follows on this site: a path, or this very origin."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in location):
        return False
    # Browsers read a backslash as a slash in http(s) addresses.
    parts = urlsplit(location.replace("\\", "/"))
    if parts.scheme or parts.netloc:
        return (parts.scheme, parts.netloc) == ("http", "localhost")
    return parts.path.startswith("/") and not location.replace("\\", "/").startswith("//")


class ServerError(AssertionError):
    pass


class UnsafePage(AssertionError):
    pass


class OpenRedirect(AssertionError):
    pass


class EnglishMessage(AssertionError):
    pass


def check_response(response, where: str) -> None:
    """No server error, no foreign script in an HTML page, no redirect to another site."""
    if response.status_code >= 500:
        raise ServerError(f"{where}: HTTP {response.status_code}")
    if response.mimetype == "text/html":
        html = response.get_data(as_text=True)
        problems = script_problems(html)
        if problems:
            raise UnsafePage(f"{where}: {problems[:5]}")
        english = [m for m in ENGLISH_MESSAGES if m in html]
        if english and 'lang="fr"' in html:
            raise EnglishMessage(f"{where}: WTForms' English message(s) {english}")
    location = response.headers.get("Location")
    if location is not None and not same_origin(location):
        raise OpenRedirect(f"{where}: redirect to {location!r}")


#: Sessions are opened again after this long (staff sessions end after 30 idle minutes).
SESSION_REUSE_SECONDS = 600


@dataclass
class Runner:
    """Submits generated values to the app and checks every answer."""

    app: object
    world: World
    store: SqliteWorld | RowsWorld
    watch: WriteWatch
    submissions: int = 0
    rendered: int = 0
    huge: int = 0
    statuses: Counter = field(default_factory=Counter)
    per_endpoint: Counter = field(default_factory=Counter)
    personas: set = field(default_factory=set)
    _sessions: dict = field(default_factory=dict)
    _token: str = ""

    def client(self, persona: str):
        """A fresh client carrying the persona's session cookie (opened once, reused)."""
        cookie, opened = self._sessions.get(persona, (None, 0.0))
        if cookie is None or time.monotonic() - opened > SESSION_REUSE_SECONDS:
            cookie = open_client(self.app, self.world.users, persona).get_cookie("session").value
            self._sessions[persona] = (cookie, time.monotonic())
        client = self.app.test_client()
        client.set_cookie("session", cookie)
        return client

    def submit_stored(self, spec: FormSpec, persona: str, values: dict):
        """Submit plain values and keep what they write (no restore)."""
        return self.submit(spec, persona, values, {}, spec.url, keep=True)

    def crawl(self, pages: list[tuple[str, str, str]], mark: str) -> tuple[int, set[str]]:
        """Open and check every page; return how many, and the endpoints showing ``mark``."""
        marked = set()
        for url, persona, endpoint in pages:
            response = self.client(persona).get(url)
            check_response(response, f"GET {url} as {persona}")
            if mark in response.get_data(as_text=True):
                marked.add(endpoint)
        return len(pages), marked

    def submit(self, spec: FormSpec, persona: str, values: dict, extra: dict, url: str,
               keep: bool = False):
        data = {name: value for name, value in values.items() if value is not fv.OMIT}
        if spec.method == "post":
            self._token = self._token or csrf_token_for(self.app)
            data.update({name: self._token for name in spec.fields
                         if name.endswith("csrf_token")})
            data.setdefault("csrf_token", self._token)
        for name, value in extra.items():
            data.setdefault(name, value)
        client = self.client(persona)
        self.watch.reset()
        where = f"{spec.method.upper()} {url} as {persona}"
        if any(isinstance(v, str) and len(v) >= fv.HUGE_SIZES[0] for v in data.values()):
            self.huge += 1
        try:
            if spec.method == "get":
                # A GET form replaces the query of its action with its fields.
                path, _sep, query = url.partition("?")
                response = client.get(path, query_string=[*parse_qsl(query), *_pairs(data)])
            else:
                multipart = "multipart" in spec.enctype or any(
                    isinstance(v, tuple) for v in data.values())
                response = client.post(url, data=data, content_type="multipart/form-data"
                                       if multipart else None)
            self.submissions += 1
            self.per_endpoint[spec.endpoint] += 1
            self.personas.add(persona)
            self.statuses[response.status_code] += 1
            check_response(response, where)
            location = response.headers.get("Location")
            if self.watch.dirty and location:
                # What was just stored is shown on the page the form redirects to.
                page = client.get(location)
                self.rendered += 1
                check_response(page, f"{where} → GET {location}")
        finally:
            if self.watch.dirty and not keep:
                self.store.restore(self.app, self.watch.tables)
        return response


def _pairs(data: dict) -> list[tuple[str, str]]:
    return [(name, item) for name, value in data.items()
            for item in (value if isinstance(value, list) else [value])]


def strategy_for(spec: FormSpec) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({
        name: fv.field_value(item, values, spec.defaults.get(name))
        for name, (item, values) in spec.fields.items() if not name.endswith("csrf_token")
    })


def describe_failure(spec: FormSpec, error: Exception) -> str:
    """The failure of one form, with Hypothesis' failing example(s) and reproduction blob."""
    errors = getattr(error, "exceptions", None) or [error]
    parts = [f"== {spec.id}: {len(errors)} failure(s)"]
    for item in errors:
        parts.append(f"{item.__class__.__name__}: {str(item)[:1500]}")
        parts.extend(note[:2000] for note in getattr(item, "__notes__", []))
    return "\n".join(parts)


def fuzz_form(runner: Runner, spec: FormSpec, examples: int, base_seed: int) -> None:
    """Run Hypothesis on one form; raise its (shrunk, reproducible) failure."""

    @seed(base_seed ^ zlib.crc32(spec.id.encode()))
    @settings(max_examples=examples, deadline=None, database=None, print_blob=True,
              derandomize=False, suppress_health_check=list(HealthCheck),
              phases=[Phase.explicit, Phase.generate, Phase.shrink])
    @given(persona=st.sampled_from(spec.personas), values=strategy_for(spec),
           extra=fv.extra_fields(), url=fv.url_variant(spec.url), huge=fv.huge(),
           huge_field=st.sampled_from(sorted(spec.fields) or ["x"]))
    def run(persona, values, extra, url, huge, huge_field):
        if huge is not None:
            values = {**values, huge_field: huge}
        runner.submit(spec, persona, values, extra, url)

    with warnings.catch_warnings():
        # Reporting a failing example holding a 1 MB string: Hypothesis warns, and the
        # suite turns warnings into errors, which would hide the failure itself.
        warnings.filterwarnings("ignore", "Generating overly large repr", HypothesisWarning)
        run()
