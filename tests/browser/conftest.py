"""Browser tests: the app served on a free local port, Debian's chromium driven by Playwright,
and axe-core (WCAG 2.1 A and AA rules) run on the pages the journeys visit.

Without chromium the tests skip with the reason; with ``CI=true`` a missing chromium fails.
"""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from pdvsolutions import create_app
from pdvsolutions.extensions import db

from .. import factories

CHROMIUM = os.environ.get("PDV_CHROMIUM", "/usr/bin/chromium")
#: Flags for a root, headless, offline chromium (background networking is refused here).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _chromium_or_skip() -> str:
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not path:
        reason = f"chromium not found at {CHROMIUM}: browser tests need Debian's chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: chromium is required)")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                         args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


class LiveServer:
    """The application served by werkzeug in a thread, on its own SQLite database."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture
def live_server(tmp_path):
    app = create_app({
        "TESTING": False,
        "SECRET_KEY": "browser-test-secret-key-0123456789abcdef",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'browser.sqlite'}",
        "RATELIMIT_STORAGE_URI": "memory://",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    })
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1"
    with app.app_context():
        db.create_all()
        factories.base_world()
        db.session.commit()
    server = LiveServer(app).start()
    app.config["PUBLIC_BASE_URL"] = server.url
    yield server
    server.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def page(request, browser):
    """A fresh browser context (no cookies) at desktop size, then at 360×740."""
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="fr-FR",
                                  java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.viewport_name = request.param
    yield page
    context.close()


@pytest.fixture
def no_js_page(browser):
    """A phone-sized page with JavaScript disabled (progressive enhancement check)."""
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="fr-FR",
                                  java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def check_a11y(page) -> None:
    """Run axe-core with the WCAG 2.1 A/AA rules; fail with a readable list of violations.

    Also checks that the page does not scroll sideways on a phone (reflow, WCAG 1.4.10).
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                       "resultTypes": ["violations"]})
    violations = results.response.get("violations", [])
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:3])
        for v in violations
    ]
    assert not violations, f"axe violations on {page.url}:\n" + "\n".join(summary)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow}px"


def login(page, live_server, identifier: str, password: str = factories.PASSWORD) -> None:
    """Log in through the real form."""
    page.goto(live_server("/connexion"))
    page.fill("#identifier", identifier)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def app_ctx_live(live_server):
    """An app context on the live server's database, to create data for a journey."""
    with live_server.app.app_context():
        yield live_server.app
