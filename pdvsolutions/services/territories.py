"""Import the official QPV list and group QPV into territories."""

import csv
import io
from importlib import resources

import sqlalchemy as sa
from flask_babel import gettext as _

from ..errors import DomainError
from ..extensions import db
from ..models import Qpv, Territory, territory_qpvs
from . import audit


def import_qpv(text: str | None = None) -> tuple[int, int]:
    """Insert or update QPV rows from the shipped CSV (or ``text``); return (added, updated)."""
    if text is None:
        text = resources.files("pdvsolutions").joinpath("data/qpv/qpv_2024.csv").read_text()
    existing = {q.code: q for q in db.session.scalars(sa.select(Qpv))}
    added = updated = 0
    for row in csv.DictReader(io.StringIO(text)):
        values = {
            "name": row["lib_qp"],
            "communes": row["lib_com"],
            "department_code": row["insee_dep"],
            "epci_siren": row["siren_epci"],
            "epci_name": row["lib_epci"],
        }
        qpv = existing.get(row["code_qp"])
        if qpv is None:
            db.session.add(Qpv(code=row["code_qp"], **values))
            added += 1
        elif any(getattr(qpv, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(qpv, key, value)
            updated += 1
    db.session.flush()
    return added, updated


def parse_codes(raw: str) -> list[str]:
    """Split a list of QPV codes typed by staff (commas, spaces or new lines)."""
    return sorted({part.strip().upper() for part in raw.replace(",", " ").split() if part.strip()})


def create_territory(name: str, qpv_codes: list[str], description: str = "") -> Territory:
    """Create a territory from known QPV codes; unknown codes are named in the error."""
    name = name.strip()
    if not qpv_codes:
        raise DomainError(_("Indiquez au moins un code QPV."), field="qpv_codes")
    qpvs = db.session.scalars(sa.select(Qpv).where(Qpv.code.in_(qpv_codes))).all()
    unknown = sorted(set(qpv_codes) - {q.code for q in qpvs})
    if unknown:
        raise DomainError(
            _("Codes QPV inconnus : %(codes)s.", codes=", ".join(unknown[:10])), field="qpv_codes"
        )
    if db.session.scalar(sa.select(Territory.id).where(Territory.name == name)):
        raise DomainError(_("Un territoire porte déjà ce nom."), field="name")
    territory = Territory(name=name, description=(description or "").strip(), qpvs=list(qpvs))
    db.session.add(territory)
    db.session.flush()
    audit.record("territory.create", territory, details={"qpv": qpv_codes})
    return territory


def territory_choices() -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in db.session.scalars(sa.select(Territory).order_by(Territory.name))]


def qpv_choices() -> list[tuple[str, str]]:
    """QPV that belong to a territory of the platform, for the sign-up list."""
    rows = db.session.scalars(
        sa.select(Qpv)
        .where(Qpv.code.in_(sa.select(territory_qpvs.c.qpv_code)))
        .order_by(Qpv.name)
    )
    return [(q.code, q.label) for q in rows]
