"""Demo data, loaded by ``flask demo load`` (and by the README's run command).

Each step is idempotent: it looks up what it would create and skips what exists.
Later features append their step to STEPS.
"""

from ..extensions import db
from . import accounts, followup, funds, needs, proposals, security
from . import voting as voting_demo

#: Steps in order; each takes no argument and returns a line for the console.
STEPS = [
    accounts.load,
    security.load,
    needs.load,
    proposals.load,
    voting_demo.load,
    followup.load,
    funds.load,
]


def load() -> list[str]:
    lines = []
    for step in STEPS:
        lines.append(step())
        db.session.commit()
    return lines
