"""Flask extensions, created unbound and initialised in the application factory."""

import sqlalchemy as sa
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

#: Named constraints make migrations reviewable and portable (Alembic docs).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
#: Limits are declared per view; storage comes from RATELIMIT_STORAGE_URI (Redis in production).
limiter = Limiter(key_func=get_remote_address, default_limits=[])

#: ``INSERT … RETURNING`` every column, one statement per table (see ``insert_now``).
_INSERTS: dict[sa.Table, sa.Insert] = {}


def insert_now(instance):
    """INSERT a new object at once through Core, without the unit of work, and attach it to
    the session as if it had just been loaded; return it.

    For the hot paths (a ballot, its e-mailed receipt): the flush of one object costs several
    times the statement. The column values given to the constructor are sent, the table's
    defaults fill the others, and every column is read back (``RETURNING``). Relationships set
    on the object are not written: give foreign keys as columns."""
    mapper = sa.inspect(type(instance))
    table = mapper.local_table
    statement = _INSERTS.get(table)
    if statement is None:
        statement = _INSERTS[table] = sa.insert(table).returning(*table.c)
    given = {attr.columns[0].key: instance.__dict__[attr.key]
             for attr in mapper.column_attrs if attr.key in instance.__dict__}
    row = db.session.execute(statement, given).one()
    for attr in mapper.column_attrs:
        setattr(instance, attr.key, row._mapping[attr.columns[0]])
    sa.orm.make_transient_to_detached(instance)
    db.session.add(instance)
    return instance
