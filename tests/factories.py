"""Plain functions that build test data (no factory library: explicit is enough)."""

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from pdvsolutions.extensions import db
from pdvsolutions.models import Qpv, Role, Territory, User

PASSWORD = "Correct-Horse-Battery-42"
#: Hashing with scrypt is slow on purpose; tests hash the shared password once.
_HASH = None

QPV_HOME = "QN01352M"
QPV_OTHER = "QN01315M"


def _password_hash() -> str:
    global _HASH
    if _HASH is None:
        _HASH = generate_password_hash(PASSWORD, method="scrypt")
    return _HASH


def base_world() -> None:
    """Two QPV, one territory each; enough for accounts and rounds."""
    db.session.add_all([
        Qpv(code=QPV_HOME, name="Grand Saint Barthélémy", communes="Marseille",
            department_code="013", epci_siren="200054807", epci_name="Métropole d'Aix-Marseille-Provence"),
        Qpv(code=QPV_OTHER, name="Encagnane", communes="Aix-en-Provence",
            department_code="013", epci_siren="200054807", epci_name="Métropole d'Aix-Marseille-Provence"),
    ])
    db.session.flush()
    db.session.add_all([
        Territory(name="Marseille Nord", qpvs=[db.session.get(Qpv, QPV_HOME)]),
        Territory(name="Aix Ouest", qpvs=[db.session.get(Qpv, QPV_OTHER)]),
    ])
    db.session.flush()


def territory(name: str = "Marseille Nord") -> Territory:
    return db.session.scalar(sa.select(Territory).where(Territory.name == name))


_counter = {"n": 0}


def make_user(role: Role = Role.RESIDENT, *, email: str | None = None, username: str | None = None,
              qpv_code: str | None = QPV_HOME, first_name: str = "Samia", last_name: str = "Benali",
              password: bool = True, **fields) -> User:
    """Create an account with the shared test password (or none when ``password=False``)."""
    _counter["n"] += 1
    if email is None and username is None:
        email = f"{role.value}{_counter['n']}@example.org"
    user = User(email=email, username=username, first_name=first_name, last_name=last_name,
                role=role, qpv_code=qpv_code if role is Role.RESIDENT else None,
                password_hash=_password_hash() if password else None, **fields)
    db.session.add(user)
    db.session.flush()
    return user
