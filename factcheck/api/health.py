"""Liveness and database reachability."""
import marshmallow as ma
from flask.views import MethodView
from sqlalchemy.exc import SQLAlchemyError

from factcheck.api.blueprint import Blueprint
from factcheck.api.pages import returns
from factcheck.services.driver_select import fetch_all
from factcheck.services.uow import reading

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Service health")


class HealthSchema(ma.Schema):
    status = ma.fields.String(metadata={"description": "`ok`, or `unavailable`."})
    database = ma.fields.String(metadata={"description": "`ok`, or `unreachable`."})


@blp.route("/health")
class Health(MethodView):
    @returns(blp, 200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="The database cannot be reached.")
    def get(self):
        """Report whether the service and its database answer"""
        try:
            # A read-only use case's connection: in autocommit on PostgreSQL, one round trip.
            with reading() as connection:
                fetch_all(connection, "SELECT 1")  # on the driver's cursor, as the hot reads run
        except SQLAlchemyError:
            return {"status": "unavailable", "database": "unreachable"}, 503
        return {"status": "ok", "database": "ok"}
