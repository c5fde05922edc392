"""The demo command is idempotent and creates the accounts the README lists."""

import re
from pathlib import Path

import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.services import accounts

README = Path(__file__).resolve().parents[2] / "README.md"


def _row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def _readme_accounts() -> list[tuple[str, str]]:
    """(identifier, password) of the README's demo table; ``membre1`` … ``membre12`` expanded."""
    rows = re.findall(r"^\| [^|]+ \| `([^`]+)`(?: … `membre(\d+)`)? \| `([^`]+)` \|$",
                      README.read_text(), re.MULTILINE)
    found = []
    for identifier, last, password in rows:
        if last:
            found += [(f"membre{n}", password) for n in range(1, int(last) + 1)]
        else:
            found.append((identifier, password))
    return found


def test_demo_load_twice_gives_the_same_row_counts(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        first = _row_counts()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        assert _row_counts() == first
        assert first["users"] >= 17


def test_demo_creates_the_readme_accounts_with_their_passwords(app):
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    listed = _readme_accounts()
    assert len(listed) == 17
    with app.app_context():
        for identifier, password in listed:
            assert accounts.authenticate(identifier, password) is not None, identifier


def test_demo_territories_are_real_qpv_of_aix_marseille(app):
    from pdvsolutions.demo.accounts import TERRITORIES
    from pdvsolutions.models import Territory

    app.test_cli_runner().invoke(args=["demo", "load"])
    with app.app_context():
        for name in TERRITORIES:
            territory = db.session.scalar(sa.select(Territory).where(Territory.name == name))
            assert territory.qpvs
            assert {q.epci_siren for q in territory.qpvs} == {"200054807"}
