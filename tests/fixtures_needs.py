"""Fixtures of the needs area's web tests (imported by their modules)."""

import pytest

from .factories_needs import needs_world


@pytest.fixture
def world(app):
    """Ids of a round in ``needs``, its residents, a staff member and a need (see needs_world)."""
    with app.app_context():
        return needs_world()


@pytest.fixture
def ctx(app):
    """Push an app context only around database checks: requests push their own."""
    return app.app_context
