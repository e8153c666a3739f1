"""The fact-checker's console: server-rendered pages calling the same services as the API."""
from flask import Blueprint, Flask, render_template, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException

from factcheck.console.secret import instance_secret
from factcheck.errors import DomainError

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
               static_folder="static", static_url_path="/static")


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, holding the key of a session the server keeps (console.auth)
    and, until the next page shows them, the messages of a form just sent. Sent Secure
    whenever the request came over HTTPS, not only when configured so."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def init_app(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(app.instance_path)
    app.session_interface = SessionInterface()
    app.register_blueprint(bp)


@bp.errorhandler(DomainError)
def domain_error(error: DomainError):
    return render_template("console/error.html", status=error.status, title=error.title,
                           detail=error.detail), error.status, error.headers


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return render_template("console/error.html", status=error.code, title=error.name,
                           detail=error.description), error.code


from factcheck.console import articles, auth, claims, review  # noqa: F401  (registers the views)
