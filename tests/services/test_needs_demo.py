"""The demo step of the needs area loads twice without duplicating anything."""

import sqlalchemy as sa

from pdvsolutions.demo import accounts
from pdvsolutions.demo import needs as demo_needs
from pdvsolutions.extensions import db
from pdvsolutions.models import Need, NeedStatus, Round
from pdvsolutions.rules.phases import Phase


def test_demo_needs_load_is_idempotent_and_covers_every_status(app_ctx):
    accounts.load()
    demo_needs.load()
    demo_needs.load()
    phases = sorted(db.session.scalars(sa.select(Round.phase)).all())
    assert phases == sorted([Phase.NEEDS, Phase.CALL])
    statuses = db.session.scalars(sa.select(Need.status)).all()
    assert statuses.count(NeedStatus.HIDDEN) == 1 and statuses.count(NeedStatus.MERGED) == 1
    assert statuses.count(NeedStatus.RETAINED) == 4
    titles = db.session.scalars(sa.select(Need.title)).all()
    assert "On ne veut plus de cafards dans le quartier" in titles
