"""Liveness and database reachability."""
import marshmallow as ma
from flask.views import MethodView
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from factcheck.api.blueprint import Blueprint
from factcheck.services.uow import reading

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Service health")


class HealthSchema(ma.Schema):
    status = ma.fields.String(metadata={"description": "`ok`, or `unavailable`."})
    database = ma.fields.String(metadata={"description": "`ok`, or `unreachable`."})


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="The database cannot be reached.")
    def get(self):
        """Report whether the service and its database answer"""
        try:
            # A read-only use case's connection: in autocommit on PostgreSQL, one round trip.
            with reading() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return {"status": "unavailable", "database": "unreachable"}, 503
        return {"status": "ok", "database": "ok"}
