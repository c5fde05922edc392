"""The declarative access table: (endpoint, persona) → expected status.

Each area adds a ``table_<area>.py`` module in this package exporting:

* ``CASES``: a list of :class:`Case`;
* optionally ``extend_world(world)``: creates the objects its URLs need (rounds, proposals…)
  and extra personas with ``world.add_persona(name, user, groups)``.

``test_access.py`` walks ``app.url_map`` and fails when an endpoint has no case, then checks
every case for every persona. Personas log in by session (the login form has its own tests).
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from pdvsolutions.models import Role, User
from pdvsolutions.timeutil import utcnow

from .. import factories

#: Persona name → groups it belongs to. "anonymous" has no account.
BASE_PERSONAS = {
    "anonymous": {"all"},
    "resident": {"all", "authenticated", "resident"},
    "resident_other": {"all", "authenticated", "resident"},
    "operator": {"all", "authenticated", "operator"},
    "staff": {"all", "authenticated", "staff"},
    "admin": {"all", "authenticated", "staff", "admin"},
}


@dataclass
class World:
    """Objects the URLs of the table refer to, and the personas' accounts."""

    users: dict[str, User | None] = field(default_factory=dict)
    groups: dict[str, set[str]] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def add_persona(self, name: str, user: User | None, groups: set[str]) -> None:
        self.users[name] = user
        self.groups[name] = groups | {"all"} | ({"authenticated"} if user else set())

    def __getitem__(self, key: str):
        return self.objects[key]

    def __setitem__(self, key: str, value) -> None:
        self.objects[key] = value


@dataclass
class Case:
    """What one endpoint answers to each persona.

    ``allowed`` names groups or personas that get ``ok``; anonymous visitors outside it get
    ``anonymous`` (a redirect to the login page by default), other personas ``denied``.
    ``overrides`` pins the status of given personas.
    """

    endpoint: str
    url: str | Callable[[World], str]
    allowed: set[str] | frozenset[str] = frozenset({"all"})
    method: str = "GET"
    ok: int = 200
    denied: int = 403
    anonymous: int = 302
    data: dict | Callable[[World], dict] | None = None
    overrides: dict[str, int] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}"

    def expected(self, persona: str, groups: set[str]) -> int:
        if persona in self.overrides:
            return self.overrides[persona]
        if persona in self.allowed or groups & set(self.allowed):
            return self.ok
        return self.anonymous if persona == "anonymous" else self.denied

    def resolve_url(self, world: World) -> str:
        return self.url(world) if callable(self.url) else self.url

    def resolve_data(self, world: World) -> dict:
        if self.data is None:
            return {}
        return self.data(world) if callable(self.data) else dict(self.data)


def table_modules():
    from . import __path__ as package_path

    for info in sorted(pkgutil.iter_modules(package_path), key=lambda m: m.name):
        if info.name.startswith("table_"):
            yield importlib.import_module(f"{__package__}.{info.name}")


def all_cases() -> list[Case]:
    return [case for module in table_modules() for case in module.CASES]


def persona_names() -> list[str]:
    names = list(BASE_PERSONAS)
    for module in table_modules():
        names += [n for n in getattr(module, "EXTRA_PERSONAS", ()) if n not in names]
    return names


def build_world() -> World:
    """Create the base personas, then let each table module add what it needs."""
    world = World()
    world.add_persona("anonymous", None, set())
    world.add_persona("resident", factories.make_user(Role.RESIDENT), {"resident"})
    world.add_persona(
        "resident_other",
        factories.make_user(Role.RESIDENT, qpv_code=factories.QPV_OTHER, first_name="Lucie"),
        {"resident"},
    )
    world.add_persona("operator", factories.make_user(Role.OPERATOR), {"operator"})
    world.add_persona("staff", factories.make_user(Role.STAFF), {"staff"})
    world.add_persona("admin", factories.make_user(Role.ADMIN), {"staff", "admin"})
    for module in table_modules():
        if hasattr(module, "extend_world"):
            module.extend_world(world)
    return world


def login_as(client, user: User | None) -> None:
    """Open a session for ``user`` as the login view would (no password hashing: fast)."""
    if user is None:
        return
    now = utcnow().timestamp()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
        sess["login_at"] = now
        sess["seen_at"] = now
