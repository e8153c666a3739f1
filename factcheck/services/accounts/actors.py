"""Who is acting: the user and token behind a write, handed by routes to services."""
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, true

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

    @property
    def is_operator(self) -> bool:
        """Runs the instance: acts across newsrooms (granted by the CLI only)."""
        return self.role == "operator"

    def manages(self, organisation_id: int | None) -> bool:
        """Whether the newsroom's users, tokens, webhooks and audit entries are the actor's to
        see: its own newsroom's, or every one for an operator (None: the operators' alone)."""
        return self.is_operator or (organisation_id is not None and organisation_id == self.organisation_id)

    def managed(self, organisation_id: ColumnElement) -> ColumnElement[bool]:
        """`manages` as a condition on a column of newsroom ids, for the rows a list shows."""
        if self.is_operator:
            return true()
        return false() if self.organisation_id is None else organisation_id == self.organisation_id


# Commands run by the operator (seed, imports): no user, the operator's rights, audited as "system".
SYSTEM = Actor(user_id=None, token_id=None, organisation_id=None, role="operator", name="system")
