"""Fuzzing every form of the app (issue 8): at least 10,000 generated submissions across every
form and the personas that can send it, then no server error, no unescaped script in any
rendered page, no redirect off the site.

``PDV_FUZZ_EXAMPLES`` scales the run (default 10,000 submissions), ``PDV_FUZZ_SEED`` picks the
seed (default fixed; ``random`` for a new one, printed), ``PDV_FUZZ_ONLY`` limits the run to
endpoints whose name contains it (to reproduce a failure quickly). See tests/security/fuzz.py.
"""

import os
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pyotp
import pytest
from flask import Flask
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from pdvsolutions import create_app
from pdvsolutions.auth.routes import safe_next
from pdvsolutions.extensions import db

from ..access.matrix import World
from ..factories import PASSWORD
from . import fuzz
from . import fuzz_values as fv
from .fuzz import FormSpec, Runner
from .html_safety import script_problems


@dataclass
class FuzzEnv:
    app: Flask
    world: World
    specs: list[FormSpec]
    store: fuzz.SqliteWorld
    watch: fuzz.WriteWatch
    folder: Path


@pytest.fixture(scope="module")
def fuzz_env(tmp_path_factory, world_template):
    """A copy of the access world for this module, its forms discovered once."""
    template, world_folder, world = world_template
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(world_folder / "uploads", folder / "uploads", dirs_exist_ok=True)
    fuzz_template, path = folder / "fuzz-world.sqlite", folder / "fuzz.sqlite"
    shutil.copyfile(template, fuzz_template)
    app = create_app(fuzz.fuzz_config(f"sqlite:///{fuzz_template}", folder))
    with app.app_context():
        extra_pages = fuzz.extend_fuzz_world(world)
        db.session.commit()
        db.engine.dispose()
    shutil.copyfile(fuzz_template, path)
    app = create_app(fuzz.fuzz_config(f"sqlite:///{path}", folder))
    specs = fuzz.discover(app, world, extra_pages)
    store = fuzz.SqliteWorld(fuzz_template, path)
    store.restore(app)
    with app.app_context():
        watch = fuzz.WriteWatch(db.engine)
    yield FuzzEnv(app, world, specs, store, watch, folder)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_fuzz_discovery_covers_every_post_endpoint(fuzz_env):
    """Every route that accepts POST has a form to fuzz (from a page or the access table)."""
    app, specs = fuzz_env.app, fuzz_env.specs
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    covered = {spec.endpoint for spec in specs if spec.method == "post"}
    assert posting - covered == set()
    # Most forms come from the pages themselves (field names, options, files).
    assert sum(spec.source == "page" for spec in specs) >= 0.8 * len(specs)


def test_fuzz_every_form(fuzz_env, capsys):
    app, world, specs, store, watch = (fuzz_env.app, fuzz_env.world, fuzz_env.specs,
                                       fuzz_env.store, fuzz_env.watch)
    only = os.environ.get("PDV_FUZZ_ONLY")
    chosen: list[FormSpec] = [s for s in specs if not only or only in s.endpoint]
    wanted = fuzz.examples_wanted()
    base_seed = fuzz.run_seed()
    runner = Runner(app, world, store, watch)
    failures, durations = [], {}
    started = time.perf_counter()
    for spec, examples in zip(chosen, fuzz.allocate(chosen, wanted), strict=True):
        begun = time.perf_counter()
        try:
            fuzz.fuzz_form(runner, spec, examples, base_seed)
        except Exception as error:  # noqa: BLE001 - gather every form's failure, then report
            failures.append(fuzz.describe_failure(spec, error))
        durations[spec.id] = time.perf_counter() - begun
    elapsed = time.perf_counter() - started
    slowest = sorted(durations.items(), key=lambda item: -item[1])[:5]
    with capsys.disabled():
        for failure in failures:
            print("\n" + failure)
        print(f"\nslowest forms: {[(name, round(s, 1)) for name, s in slowest]}")
        print(f"\nfuzz: {runner.submissions} submissions to {len(chosen)} forms "
              f"({len({s.endpoint for s in chosen})} endpoints) as {len(runner.personas)} "
              f"personas ({', '.join(sorted(runner.personas))}), {runner.huge} with 100 kB-1 MB "
              f"strings, {runner.rendered} pages rendered after a write, {elapsed:.0f} s, "
              f"seed {base_seed} (PDV_FUZZ_SEED), statuses {dict(sorted(runner.statuses.items()))}")
    assert not failures, f"{len(failures)} forms failed: " + "; ".join(
        failure.splitlines()[0] for failure in failures)
    if not only:
        assert runner.submissions >= wanted


# -- the checks themselves can fail --------------------------------------------------------------


@pytest.mark.parametrize("html", [
    "<p><script>alert(1)</script></p>",
    '<p><img src=x onerror="alert(1)"></p>',
    '<a href=" JaVa&#83;cript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<form action="javascript:alert(1)"></form>',
    "<iframe src=//evil.example></iframe>",
    '<svg onload="alert(1)"/>',
    '<script src="/static/js/ballot.js">alert(1)</script>',
    '<script src="https://evil.example/x.js"></script>',
    "<scr<script>ipt>alert(1)</script>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
])
def test_fuzz_page_check_finds_script(html):
    assert script_problems(html)


@pytest.mark.parametrize("html", [
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    '<input value="&#34; onmouseover=&#34;alert(1)&#34;">',
    '<a href="/appels?q=javascript:alert(1)">x</a>',
    "<p>javascript:alert(1)</p>",
    '<script src="/static/js/ballot.js"></script>',
    '<img src="data:image/png;base64,AAAA" alt="">',
])
def test_fuzz_page_check_accepts_escaped_text(html):
    assert script_problems(html) == []


@pytest.mark.parametrize("location", ["//evil.example", "\\\\evil.example", "/\\evil.example",
                                      "https:evil.example", "https://evil.example/",
                                      "/\r\nX: y", " //evil.example", "javascript:alert(1)"])
def test_fuzz_redirect_check_finds_other_sites(location):
    assert not fuzz.same_origin(location)


@pytest.mark.parametrize("location", ["/", "/appels?tri=recent", "/%2F%2Fevil.example",
                                      "http://localhost/compte"])
def test_fuzz_redirect_check_accepts_this_site(location):
    assert fuzz.same_origin(location)


# -- redirects through ``next`` ------------------------------------------------------------------


@settings(max_examples=5000, deadline=None, database=None, derandomize=True)
@given(target=fv.redirect_target())
def test_fuzz_safe_next_keeps_every_target_on_the_site(target):
    """The one function every ``next`` goes through (login, second step, language, supports)."""
    with _BARE_APP.test_request_context():
        assert fuzz.same_origin(safe_next(target)), target


_BARE_APP = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                        "SECRET_KEY": "fuzz-only-key-0123456789abcdef0123456789"})


def _next_requests(world, target: str):
    """Every endpoint that honours ``next``, with the rest of its form valid."""
    need = world.objects["need"].id
    return {
        "language": ("anonymous", "/langue", {"language": "en", "next": target}),
        "login": ("anonymous", f"/connexion?{urlencode({'next': target})}",
                  {"identifier": world.users["resident"].email, "password": PASSWORD,
                   "next": target}),
        "support": ("resident", f"/habitants/solutions/{need}/soutien", {"next": target}),
        "second_step": ("pending_admin", "/connexion/code", {"code": None}),
    }


def test_fuzz_next_never_redirects_off_the_site(fuzz_env, capsys):
    """Login (password, then code), language, supports: each ``next`` stays on the site."""
    app, world, store, watch = fuzz_env.app, fuzz_env.world, fuzz_env.store, fuzz_env.watch
    token = fuzz.csrf_token_for(app)
    counts = Counter()

    @seed(fuzz.run_seed())
    @settings(max_examples=fuzz.examples_wanted("PDV_FUZZ_NEXT_EXAMPLES", 400), deadline=None,
              database=None, print_blob=True, suppress_health_check=list(HealthCheck))
    @given(target=fv.redirect_target(), which=st.sampled_from(
        ["language", "login", "support", "second_step"]))
    def run(target, which):
        persona, url, data = _next_requests(world, target)[which]
        client = fuzz.open_client(app, world.users, persona)
        if which == "second_step":
            with client.session_transaction() as session:
                session["mfa_pending"]["next"] = target
            data = {"code": pyotp.TOTP(fuzz.ADMIN_TOTP_SECRET).now()}
        if which == "login":
            fuzz.check_response(client.get(url), f"GET {url}")
        watch.reset()
        try:
            response = client.post(url, data={**data, "csrf_token": token})
            assert response.status_code == 302, f"{which}: {response.status_code}"
            fuzz.check_response(response, f"{which} next={target!r}")
            counts[which] += 1
        finally:
            if watch.dirty:
                store.restore(app, watch.tables)

    run()
    with capsys.disabled():
        print(f"\nnext: {sum(counts.values())} redirects checked {dict(counts)}")
    assert set(counts) == {"language", "login", "support", "second_step"}


# -- what was stored, rendered on every page -----------------------------------------------------

MARK = "XSSMARK"
STORED = [f'{MARK}" onmouseover="alert(1)" x="', f"javascript:alert(1)//{MARK}",
          f"{MARK}'-alert(1)-'", f"<script>alert('{MARK}')</script>",
          f"{MARK}<img src=x onerror=alert(1)>"]


def test_fuzz_stored_values_are_escaped_on_every_page(fuzz_env, capsys):
    """Hostile text saved through every form, then every page of the access table opened as
    each persona it lets in (staff lists, moderation, audit log, public lists): no script."""
    app, world, specs, store = fuzz_env.app, fuzz_env.world, fuzz_env.specs, fuzz_env.store
    runner = Runner(app, world, store, fuzz_env.watch)
    accepted = 0
    try:
        for spec in specs:
            if spec.method != "post":
                continue
            texts = [name for name, (item, _v) in spec.fields.items()
                     if fv.kind(item) == "text"]
            for name in texts:
                for payload in STORED:
                    values = {other: spec.defaults.get(other) or fv.plausible(item, options)
                              for other, (item, options) in spec.fields.items()
                              if fv.kind(item) != "file" and not other.endswith("csrf_token")}
                    values[name] = payload
                    response = runner.submit_stored(spec, spec.personas[0], values)
                    accepted += response.status_code == 302
        pages, marked = runner.crawl(fuzz.crawl_pages(app, world), MARK)
    finally:
        store.restore(app)
    with capsys.disabled():
        print(f"\nstored: {runner.submissions} submissions ({accepted} accepted), "
              f"{pages} pages checked, {len(marked)} endpoints show the stored text")
    assert accepted >= 50
    crawled = {endpoint for _url, _persona, endpoint in fuzz.crawl_pages(app, world)}
    assert {"staff.audit_list", "staff.need_moderation", "staff.account_list",
            "public.need_list", "public.round_list"} <= crawled
    assert len(marked) >= 10, marked


# -- PostgreSQL: what SQLite lets through (NUL, sizes of columns, integer ranges) ----------------

#: Kinds of fields whose values reach the database as typed.
TYPED = {"text", "number", "money", "date", "email", "password", "hidden", "select", "next"}


@pytest.mark.postgres
def test_fuzz_typed_fields_on_postgresql(fuzz_env, capsys):
    """The forms with typed fields again, on PostgreSQL: NUL bytes, 1 MB strings in columns of
    limited size, integers past INTEGER and BIGINT must all be refused on the form."""
    from ..pg import require_postgres, reset_schema

    app, world, specs = fuzz_env.app, fuzz_env.world, fuzz_env.specs
    url = require_postgres()
    reset_schema(url)
    pg_app = create_app(fuzz.fuzz_config(url, fuzz_env.folder))
    with pg_app.app_context():
        db.create_all()
        pg_watch = fuzz.WriteWatch(db.engine)
    pg_store = fuzz.RowsWorld(fuzz.RowsWorld.read(app))
    pg_store.restore(pg_app)
    runner = Runner(pg_app, world, pg_store, pg_watch)
    chosen = [s for s in specs if any(fv.kind(item) in TYPED for item, _v in s.fields.values())
              and (not os.environ.get("PDV_FUZZ_ONLY") or os.environ["PDV_FUZZ_ONLY"] in s.endpoint)]
    wanted = fuzz.examples_wanted("PDV_FUZZ_PG_EXAMPLES", 1500)
    failures = []
    started = time.perf_counter()
    try:
        for spec, examples in zip(chosen, fuzz.allocate(chosen, wanted, minimum=8), strict=True):
            try:
                fuzz.fuzz_form(runner, spec, examples, fuzz.run_seed())
            except Exception as error:  # noqa: BLE001 - gather every form's failure
                failures.append(fuzz.describe_failure(spec, error))
    finally:
        with pg_app.app_context():
            db.session.remove()
            db.engine.dispose()
    with capsys.disabled():
        for failure in failures:
            print("\n" + failure)
        print(f"\nfuzz on PostgreSQL: {runner.submissions} submissions to {len(chosen)} forms, "
              f"{runner.huge} with 100 kB-1 MB strings, {time.perf_counter() - started:.0f} s, "
              f"statuses {dict(sorted(runner.statuses.items()))}")
    assert not failures, f"{len(failures)} forms failed: " + "; ".join(
        failure.splitlines()[0] for failure in failures)
