"""Domain errors raised by services; one handler turns each into a problem+json response."""
from http import HTTPStatus

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError


class DomainError(Exception):
    status = 400

    def __init__(self, detail: str, *, errors: dict | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}

    @property
    def title(self) -> str:
        return HTTPStatus(self.status).phrase


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Gone(DomainError):
    """The object existed and was removed on purpose (a claim an editor removed)."""

    status = 410


class Invalid(DomainError):
    """Well-formed input that means nothing here (an unknown id it refers to, say)."""

    status = 422


class TooLarge(DomainError):
    """More than one request may carry: the detail says how to send it instead."""

    status = 413
    title = "Content Too Large"  # RFC 9110's name; Python's HTTPStatus keeps RFC 7231's


class UnsupportedMediaType(DomainError):
    status = 415


class Unauthorized(DomainError):
    status = 401

    def __init__(self, detail: str):
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="factcheck"'})


class Forbidden(DomainError):
    status = 403


class PreconditionFailed(DomainError):
    """The If-Match version is not the stored one: someone changed the object since."""

    status = 412


class PreconditionRequired(DomainError):
    status = 428


def check_version(what: str, current: int, expected: int | None) -> None:
    """Every change names the version it was read at (If-Match): none 428, stale 412."""
    if expected is None:
        raise PreconditionRequired(f"Send If-Match with the ETag you read the {what} with.")
    if current != expected:
        raise PreconditionFailed(f"The {what} changed since: it is at version {current}.")


def flush_version(session: Session, what: str) -> None:
    """Flush a change to a versioned object: its UPDATE names the version it was read at, so
    a writer that committed in between (the same If-Match sent twice, say) makes it 412."""
    try:
        session.flush()
    except StaleDataError as error:
        raise PreconditionFailed(f"The {what} changed since it was read; read it again.") from error
