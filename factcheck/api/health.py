"""Liveness and database reachability."""
import marshmallow as ma
from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from factcheck.api.blueprint import Blueprint
from factcheck.api.pages import returns
from factcheck.storage.uow import reading

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Service health")


class HealthSchema(ma.Schema):
    status = ma.fields.String(metadata={"description": "`ok`."})
    database = ma.fields.String(metadata={"description": "`ok`: it answered."})


@blp.route("/health")
class Health(MethodView):
    @returns(blp, 200, HealthSchema)
    @blp.alt_response(503, description="The database cannot be reached.")
    def get(self):
        """Report whether the service and its database answer"""
        try:
            # A read-only use case's connection: in autocommit on PostgreSQL, one round trip.
            with reading() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            abort(503, message="The database cannot be reached.")
        return {"status": "ok", "database": "ok"}
