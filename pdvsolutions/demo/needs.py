"""Demo rounds: one collecting residents' needs, one whose call is open (idempotent)."""

from datetime import date, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import Need, NeedStatus, Round, RoundField, RoundMilestone, Support, Territory, User
from ..rules.phases import Phase
from ..services import needs as needs_service
from ..services.rounds import DEFAULT_FIELDS, deadline_from_date
from ..timeutil import today

TERRITORY = "Marseille – Grand Saint-Barthélemy et Malpassé"
NEEDS_ROUND = "Appel à solutions 2026 – Grand Saint-Barthélemy et Malpassé"
CALL_ROUND = "Appel à solutions 2025 – Malpassé, suite"

#: (title, description, field, place, author login, number of supporters)
NEEDS = [
    ("On veut que nos bacheliers aient les mêmes chances d'entrer dans les grandes écoles",
     "On veut que nos bacheliers aient les mêmes chances d'entrer dans les grandes écoles, avec "
     "de vrais outils et un accompagnement de haut niveau : préparation aux concours, "
     "parrainage par des étudiants, visites des écoles.", "Éducation", "lycée Saint-Exupéry",
     "habitant@demo.pdvsolutions.fr", 9),
    ("On ne veut plus de cafards dans le quartier",
     "On ne veut plus de cafards dans le quartier. Chaque été ils reviennent dans les "
     "appartements et les caves ; les traitements faits bâtiment par bâtiment ne servent à rien.",
     "Cadre de vie", "bâtiments B et C", "membre1", 11),
    ("Des cours de soutien le soir pour les collégiens",
     "Beaucoup de parents ne peuvent pas aider aux devoirs. Il faudrait un lieu calme avec des "
     "adultes, après 17 h.", "Éducation", "près du collège", "membre2", 7),
    ("Accompagner les jeunes vers un premier emploi",
     "Les jeunes du quartier envoient des CV sans réponse. On attend du parrainage par des "
     "professionnels et des stages dans les entreprises de la zone.", "Emploi et insertion",
     None, "membre3", 6),
    ("Un médecin qui reçoit sans rendez-vous dans le quartier",
     "Le plus proche est à quarante minutes en bus. Une permanence de santé une fois par "
     "semaine changerait la vie des anciens.", "Santé", "centre social", "membre4", 8),
    ("Des ateliers de français pour les mamans",
     "Pour parler avec l'école, remplir les papiers, trouver du travail. Avec une garde "
     "d'enfants pendant l'atelier.", "Emploi et insertion", "centre social", "membre5", 5),
    ("Que les encombrants ne restent plus des semaines au pied des immeubles",
     "Les canapés et matelas restent des semaines, les enfants jouent dessus. On veut un "
     "ramassage régulier et des habitants relais.", "Cadre de vie", None, "membre6", 4),
    ("Des activités sportives pour les filles",
     "Le city stade est occupé par les garçons. On veut des créneaux et des éducatrices pour "
     "les filles de 10 à 16 ans.", "Culture", "city stade", "membre7", 3),
    ("Aider les anciens à faire leurs démarches en ligne",
     "Les impôts, la CAF, la retraite : tout est sur internet. Il faut quelqu'un pour aider, "
     "avec patience, en arabe et en comorien aussi.", "Emploi et insertion", None, "membre8", 6),
    ("Un festival de musique dans le quartier",
     "Les jeunes font de la musique dans les caves. Une scène une fois par an avec des "
     "professionnels, pour montrer le quartier autrement.", "Culture", "parc de Font-Obscure",
     "membre9", 2),
    ("Prévenir le diabète et l'obésité chez les enfants",
     "Des ateliers cuisine avec les familles et du sport à l'école.", "Santé", "école primaire",
     "membre10", 3),
    ("Des jardins partagés au pied des tours",
     "Cultiver ensemble, apprendre aux enfants d'où viennent les légumes, se parler entre "
     "voisins.", "Cadre de vie", "terrain vague rue Jean-Queillau", "membre11", 4),
    ("Une aide pour passer le permis de conduire",
     "Sans permis, pas de travail : les zones d'emploi sont loin et mal desservies.",
     "Emploi et insertion", None, "membre12", 5),
    ("Un lieu pour les ados le soir",
     "Les ados n'ont nulle part où aller après 19 h. Un local avec des animateurs.",
     "Culture", None, "habitant@demo.pdvsolutions.fr", 2),
]
#: A duplicate, merged into the "cafards" need (its supporters counted once there).
DUPLICATE = ("Dératisation et désinsectisation des caves",
             "Il y a des cafards et des rats dans les caves, il faut traiter tout le quartier.",
             "Cadre de vie", "caves", "membre2")
#: A need hidden by staff, with the reason shown to its author.
HIDDEN = ("Le gardien du bâtiment D ne fait rien",
          "Il faut le renvoyer, il ne sort jamais de sa loge.", "Cadre de vie", "bâtiment D",
          "membre3", "Ce message met en cause une personne reconnaissable : reformulez-le en "
          "décrivant le besoin (par exemple l'entretien des parties communes).")


def _users() -> dict[str, User]:
    logins = {row[4] for row in NEEDS} | {DUPLICATE[4], HIDDEN[4]}
    users = db.session.scalars(sa.select(User).where(
        sa.or_(User.email.in_(logins), User.username.in_(logins)))).all()
    return {u.email if u.email in logins else u.username: u for u in users}


def _round(territory: Territory, title: str, phase: Phase, start: date) -> Round:
    round_ = Round(territory_id=territory.id, title=title, phase=phase,
                   presentation="Un budget de fonctionnement décidé avec les habitants : les "
                   "habitants écrivent les solutions attendues, les associations y répondent, "
                   "un comité d'habitants choisit.", envelope_cents=15_000_000,
                   fields=[RoundField(label=label, position=i)
                           for i, label in enumerate(DEFAULT_FIELDS)],
                   milestones=[RoundMilestone(phase=p, planned_on=start + timedelta(days=45 * i))
                               for i, p in enumerate([Phase.NEEDS, Phase.CALL, Phase.REVIEW,
                                                      Phase.VOTE, Phase.RESULTS])])
    db.session.add(round_)
    db.session.flush()
    return round_


def _need(round_, fields, users, title, description, field, place, login, **extra) -> Need:
    need = Need(round_id=round_.id, author_id=users[login].id, field_id=fields[field],
                title=title, description=description, place=place, **extra)
    db.session.add(need)
    db.session.flush()
    return need


def _support(need: Need, supporters) -> None:
    db.session.add_all(Support(need_id=need.id, user_id=u.id) for u in supporters)
    needs_service.recount_supports([need.id])


def load() -> str:
    if db.session.scalar(sa.select(Round.id).where(Round.title == NEEDS_ROUND)) is not None:
        return "demo: needs rounds already there"
    territory = db.session.scalar(sa.select(Territory).where(Territory.name == TERRITORY))
    users = _users()
    supporters = sorted(users.values(), key=lambda u: u.id)
    round_ = _round(territory, NEEDS_ROUND, Phase.NEEDS, today() - timedelta(days=10))
    fields = {f.label: f.id for f in round_.fields}
    needs = []
    for title, description, field, place, login, count in NEEDS:
        need = _need(round_, fields, users, title, description, field, place, login)
        _support(need, supporters[:count])
        needs.append(need)
    title, description, field, place, login = DUPLICATE
    _need(round_, fields, users, title, description, field, place, login,
          status=NeedStatus.MERGED, merged_into_id=needs[1].id)
    title, description, field, place, login, reason = HIDDEN
    _need(round_, fields, users, title, description, field, place, login,
          status=NeedStatus.HIDDEN, hidden_reason=reason)

    call = _round(territory, CALL_ROUND, Phase.CALL, today() - timedelta(days=60))
    call.call_deadline = deadline_from_date(today() + timedelta(days=30))
    call_fields = {f.label: f.id for f in call.fields}
    for title, description, field, place, login, count in NEEDS[:4]:
        need = _need(call, call_fields, users, title, description, field, place, login,
                     status=NeedStatus.RETAINED)
        _support(need, supporters[:count])
    db.session.flush()
    return "demo: a round collecting needs and a round whose call is open"
