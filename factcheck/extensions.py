"""Extension instances shared by every app; create_app wires them (and builds the Api per app)."""
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Stable constraint names so that Alembic revisions can drop and alter them on every engine.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


# expire_on_commit=False: a service commits, then the route serialises what it returned.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
# Batch mode: SQLite can only ALTER a table by copying it.
migrate = Migrate(render_as_batch=True, compare_type=True)
