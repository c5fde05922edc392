"""Test data of the security area: enrolled staff, needs and supports of a resident."""

import pyotp
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Need, Round, RoundField, Support, TotpCredential, User
from pdvsolutions.services import needs
from pdvsolutions.timeutil import utcnow

from . import factories

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol(user: User, secret: str = SECRET) -> str:
    """Give ``user`` a confirmed authenticator app with ``secret``."""
    db.session.add(TotpCredential(user_id=user.id, secret=secret, confirmed_at=utcnow()))
    db.session.flush()
    return secret


def code_at(when, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(when)


def make_round() -> Round:
    round_ = Round(territory_id=factories.territory().id, title="Appel à solutions 2026",
                   envelope_cents=5_000_000)
    db.session.add(round_)
    db.session.flush()
    db.session.add(RoundField(round_id=round_.id, label="Éducation"))
    db.session.flush()
    return round_


def make_need(author: User | None, round_: Round | None = None, title: str = "Soutien scolaire"):
    round_ = round_ or make_round()
    field = db.session.scalar(sa.select(RoundField).where(RoundField.round_id == round_.id))
    need = Need(round_id=round_.id, author_id=author.id if author else None, field_id=field.id,
                title=title, description="Des cours du soir près du collège.")
    db.session.add(need)
    db.session.flush()
    return need


def support(need: Need, user: User) -> Support:
    row = Support(need_id=need.id, user_id=user.id)
    db.session.add(row)
    needs.recount_supports([need.id])
    return row
