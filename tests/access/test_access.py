"""Every endpoint is in the access table, and answers each persona as the table says."""

import shutil

import pytest
import sqlalchemy as sa

from pdvsolutions import create_app
from pdvsolutions.extensions import db

from ..conftest import csrf_token, make_test_config
from .matrix import World, all_cases, build_world, login_as, persona_names

CASES = all_cases()


@pytest.fixture(scope="session")
def world_template(tmp_path_factory, template_database):
    """The access world (personas, rounds, proposals…) built once into a database file.

    Each test copies the file, so POST cases still start from a fresh database. The World's
    objects are detached, then loaded again by primary key in each test's session (rebind).
    """
    folder = tmp_path_factory.mktemp("access-world")
    path = folder / "world.sqlite"
    shutil.copyfile(template_database, path)
    app = create_app(make_test_config(path, folder))
    with app.app_context():
        world = build_world()
        db.session.commit()
        for obj in [*world.users.values(), *world.objects.values()]:
            if hasattr(obj, "_sa_instance_state"):
                db.session.refresh(obj)
        db.session.expunge_all()
        db.engine.dispose()
    return path, folder, world


def _rebind(value):
    if hasattr(value, "_sa_instance_state"):
        return db.session.get(type(value), sa.inspect(value).identity)
    if isinstance(value, list):
        return [_rebind(item) for item in value]
    if isinstance(value, dict):
        return {key: _rebind(item) for key, item in value.items()}
    return value


def rebind(world: World) -> World:
    """The template world's objects, loaded again in this test's database session."""
    return World(users={name: _rebind(user) for name, user in world.users.items()},
                 groups=world.groups, objects={k: _rebind(v) for k, v in world.objects.items()})


@pytest.fixture
def world_app(tmp_path, world_template):
    template, folder, world = world_template
    path = tmp_path / "test.sqlite"
    shutil.copyfile(template, path)
    app = create_app(make_test_config(path, folder))  # uploads of the world live in its folder
    yield app, world
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_access_table_covers_every_endpoint(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    covered = {case.endpoint for case in CASES}
    missing = sorted(endpoints - covered)
    assert not missing, f"endpoints without an entry in tests/access/table_*.py: {missing}"
    unknown = sorted(covered - endpoints)
    assert not unknown, f"entries for endpoints that do not exist: {unknown}"


@pytest.mark.parametrize("persona", persona_names())
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_access_matches_table(world_app, case, persona):
    app, world = world_app
    client = app.test_client()
    with app.app_context():
        world = rebind(world)
        url = case.resolve_url(world)
        data = case.resolve_data(world)
        login_as(client, world.users[persona])
        expected = case.expected(persona, world.groups[persona])
    if case.method == "POST":
        data.setdefault("csrf_token", csrf_token(client))
        response = client.post(url, data=data)
    else:
        response = client.get(url)
    assert response.status_code == expected, (
        f"{case.id} as {persona}: got {response.status_code}, expected {expected}"
    )
    if response.status_code == 302 and expected == 302 and persona == "anonymous" \
            and case.anonymous == 302 and not ({"anonymous", "all"} & set(case.allowed)):
        assert "/connexion" in response.headers["Location"]
