"""Fixtures of the foundation tests: a resident account and a logged-in staff client.

Registered by tests/conftest.py.
"""

import pytest

from pdvsolutions.extensions import db
from pdvsolutions.models import Role

from . import factories


@pytest.fixture
def resident(app):
    """Id of a resident account ``nadia@example.org`` with the shared test password."""
    with app.app_context():
        user = factories.make_user(Role.RESIDENT, email="nadia@example.org")
        db.session.commit()
        return user.id


@pytest.fixture
def staff_client(app, client, auth):
    """The test client, logged in as the staff member ``agent@example.org``."""
    with app.app_context():
        factories.make_user(Role.STAFF, email="agent@example.org")
        db.session.commit()
    auth.login("agent@example.org")
    return client
