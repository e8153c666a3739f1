"""Domain errors raised by services; one handler turns each into a problem+json response."""


class DomainError(Exception):
    status = 400
    title = "Bad Request"

    def __init__(self, detail: str, *, errors: dict | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


class NotFound(DomainError):
    status = 404
    title = "Not Found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class Invalid(DomainError):
    """Well-formed input that means nothing here (an unknown id it refers to, say)."""

    status = 422
    title = "Unprocessable Entity"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"

    def __init__(self, detail: str):
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="factcheck"'})


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
