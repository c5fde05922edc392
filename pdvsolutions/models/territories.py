"""Territories: the official QPV list and the groups of QPV that rounds run on."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import UTCDateTime

territory_qpvs = sa.Table(
    "territory_qpvs",
    db.metadata,
    sa.Column("territory_id", sa.ForeignKey("territories.id"), primary_key=True),
    sa.Column("qpv_code", sa.ForeignKey("qpvs.code"), primary_key=True),
)


class Qpv(db.Model):
    """One quartier prioritaire (ANCT list, 2024 edition)."""

    __tablename__ = "qpvs"

    #: Official code such as ``QN01306M``.
    code: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    #: Commune name(s), ``;``-separated as in the source.
    communes: Mapped[str] = mapped_column(sa.String(400))
    department_code: Mapped[str] = mapped_column(sa.String(3), index=True)
    #: SIREN of the EPCI(s) carrying the contrat de ville, ``; ``-separated.
    epci_siren: Mapped[str] = mapped_column(sa.String(40), index=True)
    epci_name: Mapped[str] = mapped_column(sa.String(300))

    def __repr__(self) -> str:
        return f"<Qpv {self.code}>"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.communes.replace(';', ', ')})"


class Territory(db.Model):
    """One QPV or a named group of QPV."""

    __tablename__ = "territories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    qpvs: Mapped[list[Qpv]] = relationship(secondary=territory_qpvs, order_by=Qpv.code)

    def __repr__(self) -> str:
        return f"<Territory {self.id} {self.name!r}>"

    def includes(self, qpv_code: str | None) -> bool:
        return qpv_code is not None and any(q.code == qpv_code for q in self.qpvs)
