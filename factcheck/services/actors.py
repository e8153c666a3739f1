"""Who is acting: the user and token behind a write, handed by routes to services."""
from dataclasses import dataclass

from factcheck.models import ROLES


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    token_id: int | None
    organisation_id: int | None
    role: str
    name: str

    def allows(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


# Commands run by the operator (seed, imports): no user, full rights, audited as "system".
SYSTEM = Actor(user_id=None, token_id=None, organisation_id=None, role="admin", name="system")
