"""Demo territories and accounts for each role (passwords are in the README)."""

import sqlalchemy as sa

from ..extensions import db
from ..models import Qpv, Role, Territory, User
from ..services.accounts import set_password
from ..services.territories import import_qpv

#: Real QPV of the Aix-Marseille-Provence métropole (EPCI SIREN 200054807).
TERRITORIES = {
    "Marseille – Grand Saint-Barthélemy et Malpassé": (
        "Quartiers prioritaires du 13e et du 14e arrondissement de Marseille.",
        ["QN01352M", "QN01342I", "QN01344M", "QN01345M"],
    ),
    "Aix-en-Provence – Encagnane et Jas-de-Bouffan": (
        "Quartiers prioritaires de l'ouest d'Aix-en-Provence.",
        ["QN01315M", "QN01313M"],
    ),
}

PASSWORDS = {
    Role.RESIDENT: "Quartier-Habitant-2026",
    Role.OPERATOR: "Structure-Operateur-2026",
    Role.STAFF: "Metropole-Agent-2026",
    Role.ADMIN: "Metropole-Admin-2026",
}
MEMBER_PASSWORD = "Comite-Membre-2026"

#: (e-mail or None, username or None, first name, last name, role, QPV)
ACCOUNTS = [
    ("habitant@demo.pdvsolutions.fr", None, "Samia", "Benali", Role.RESIDENT, "QN01352M"),
    ("habitante.aix@demo.pdvsolutions.fr", None, "Lucie", "Martin", Role.RESIDENT, "QN01315M"),
    ("operateur@demo.pdvsolutions.fr", None, "Karim", "Haddad", Role.OPERATOR, None),
    ("agent@demo.pdvsolutions.fr", None, "Claire", "Roux", Role.STAFF, None),
    ("admin@demo.pdvsolutions.fr", None, "Marc", "Giraud", Role.ADMIN, None),
]
MEMBER_NAMES = [
    ("Aïcha", "Mansouri"), ("Bernard", "Castel"), ("Chantal", "Ferrer"), ("Djamel", "Saïdi"),
    ("Élodie", "Nguyen"), ("Fatou", "Diallo"), ("Georges", "Arnaud"), ("Hind", "Belkacem"),
    ("Inès", "Moreau"), ("Jamal", "Ouali"), ("Kadiatou", "Traoré"), ("Louis", "Bonnet"),
]


def _ensure_user(email, username, first, last, role, qpv, password):
    query = sa.select(User).where(User.email == email if email else User.username == username)
    user = db.session.scalar(query)
    if user is None:
        user = User(email=email, username=username, first_name=first, last_name=last,
                    role=role, qpv_code=qpv, name_public=True)
        set_password(user, password)
        db.session.add(user)
    return user


def load() -> str:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Qpv)) == 0:
        import_qpv()
    for name, (description, codes) in TERRITORIES.items():
        if db.session.scalar(sa.select(Territory.id).where(Territory.name == name)) is None:
            qpvs = db.session.scalars(sa.select(Qpv).where(Qpv.code.in_(codes))).all()
            db.session.add(Territory(name=name, description=description, qpvs=list(qpvs)))
    for email, username, first, last, role, qpv in ACCOUNTS:
        _ensure_user(email, username, first, last, role, qpv, PASSWORDS[role])
    for number, (first, last) in enumerate(MEMBER_NAMES, start=1):
        _ensure_user(None, f"membre{number}", first, last, Role.RESIDENT, "QN01352M",
                     MEMBER_PASSWORD)
    db.session.flush()
    return "demo: territories and accounts ready"
