"""Demo second factor: the demo agent and admin get fixed TOTP secrets, printed in the README.

Reviewers generate a code with
``python -c "import pyotp; print(pyotp.TOTP('SECRET').now())"``. Only demo data does this.
"""

from ..models import Role
from ..services import second_factor
from ..services.accounts import find_by_login

#: Demo accounts only: these secrets are public, like the demo passwords.
DEMO_SECRETS = {
    "agent@demo.pdvsolutions.fr": ("PDVDEMOAGENTTOTPSECRETAAAAAAAAAA", Role.STAFF),
    "admin@demo.pdvsolutions.fr": ("PDVDEMOADMINTOTPSECRETAAAAAAAAAA", Role.ADMIN),
}


def load() -> str:
    for login, (secret, role) in DEMO_SECRETS.items():
        user = find_by_login(login)
        if user is None or user.role is not role:
            continue
        row = second_factor.credential(user)
        if row is None or row.secret != secret:
            second_factor.reset(user, secret)
    return "demo: second factor of the demo agent and admin enrolled (secrets in the README)"
