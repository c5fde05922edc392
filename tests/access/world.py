"""The access world, built once per session and copied per test (shared by the access table
and the generic security suite)."""

import shutil

import pytest
import sqlalchemy as sa

from pdvsolutions import create_app
from pdvsolutions.extensions import db

from ..conftest import make_test_config
from .matrix import World, build_world


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


def copy_world_app(template, folder, path):
    """An app on a fresh copy of the world's database file."""
    shutil.copyfile(template, path)
    return create_app(make_test_config(path, folder))  # uploads of the world live in its folder


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def world_app(tmp_path, world_template):
    template, folder, world = world_template
    app = copy_world_app(template, folder, tmp_path / "test.sqlite")
    yield app, world
    _dispose(app)


@pytest.fixture
def world_app_pair(tmp_path, world_template):
    """Two independent copies of the world, to compare the same request with a variant."""
    template, folder, world = world_template
    apps = [copy_world_app(template, folder, tmp_path / f"test{i}.sqlite") for i in (1, 2)]
    yield apps, world
    for app in apps:
        _dispose(app)


@pytest.fixture(scope="module")
def world_app_shared(tmp_path_factory, world_template):
    """One copy of the world for a whole module of read-only requests (GET)."""
    template, folder, world = world_template
    app = copy_world_app(template, folder, tmp_path_factory.mktemp("world-shared") / "test.sqlite")
    yield app, world
    _dispose(app)
