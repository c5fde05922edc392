"""Access table of the security area: second login step, personal data."""

from .matrix import Case

CASES = [
    # Without a password just given (a pending login), both steps send back to the login page.
    Case("auth.login_code", "/connexion/code", ok=302),
    Case("auth.login_enrol", "/connexion/application", ok=302),
    Case("auth.account_data", "/compte/mes-donnees.json", allowed={"authenticated"}),
    # Residents delete their own account; other roles are told to ask an administrator.
    Case("auth.account_delete", "/compte/suppression", allowed={"resident"}),
]
