"""Admin: organisations, users and tokens; editors and admins: the audit log."""
from flask import g
from flask.views import MethodView

from factcheck.api.auth import etag, expected_version, requires
from factcheck.api.blueprint import Blueprint
from factcheck.api.pages import LINK_HEADER, page_response
from factcheck.schemas.accounts import (
    AuditPageSchema,
    NewTokenSchema,
    OrganisationPageSchema,
    OrganisationSchema,
    TokenCreateSchema,
    TokenPageSchema,
    TokenSchema,
    UserPageSchema,
    UserSchema,
)
from factcheck.schemas.common import PageArgsSchema
from factcheck.services import accounts, audit

blp = Blueprint("admin", __name__, url_prefix="/api/v1", description="Organisations, users, tokens, audit")
ETAG_HEADER = {"ETag": {"schema": {"type": "string"}}}


@blp.route("/organisations")
class Organisations(MethodView):
    @requires(blp, "admin")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, OrganisationPageSchema, headers=LINK_HEADER)
    def get(self, args):
        """List organisations"""
        return page_response(accounts.list_organisations(args))

    @requires(blp, "admin")
    @blp.arguments(OrganisationSchema)
    @blp.response(201, OrganisationSchema)
    @blp.alt_response(409, description="The name is taken.")
    def post(self, data):
        """Create an organisation (a newsroom)"""
        return accounts.create_organisation(data, g.actor)


@blp.route("/organisations/<id:organisation_id>/users")
class Users(MethodView):
    @requires(blp, "admin")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, UserPageSchema, headers=LINK_HEADER)
    @blp.alt_response(404, description="No organisation has this id.")
    def get(self, args, organisation_id):
        """List an organisation's users"""
        return page_response(accounts.list_users(organisation_id, args))

    @requires(blp, "admin")
    @blp.arguments(UserSchema)
    @blp.response(201, UserSchema)
    @blp.alt_response(404, description="No organisation has this id.")
    def post(self, data, organisation_id):
        """Add a user with a role to an organisation"""
        return accounts.create_user(organisation_id, data, g.actor)


@blp.route("/users/<id:user_id>/tokens")
class UserTokens(MethodView):
    @requires(blp, "admin")
    @blp.arguments(TokenCreateSchema)
    @blp.response(201, NewTokenSchema)
    @blp.alt_response(404, description="No user has this id.")
    def post(self, data, user_id):
        """Issue a token for a user; its secret is in this response only"""
        token, secret = accounts.create_user_token(user_id, data, g.actor)
        # The response schema dumps it: hand it the token's values, not an already dumped dict.
        return {**{name: getattr(token, name) for name in TokenSchema().fields}, "secret": secret}


@blp.route("/tokens")
class Tokens(MethodView):
    @requires(blp, "admin")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, TokenPageSchema, headers=LINK_HEADER)
    def get(self, args):
        """List tokens (prefixes, never secrets or hashes)"""
        return page_response(accounts.list_tokens(args))


@blp.route("/tokens/<id:token_id>")
class Token(MethodView):
    @requires(blp, "admin")
    @blp.response(200, TokenSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, description="No token has this id.")
    def get(self, token_id):
        """Show a token"""
        token = accounts.get_token(token_id)
        return token, etag(token.version)

    @requires(blp, "admin")
    @blp.response(200, TokenSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, description="No token has this id.")
    def delete(self, token_id):
        """Revoke a token"""
        token = accounts.revoke_token(token_id, g.actor, expected_version())
        return token, etag(token.version)


@blp.route("/audit")
class Audit(MethodView):
    @requires(blp, "editor")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, AuditPageSchema, headers=LINK_HEADER)
    def get(self, args):
        """The audit log: your organisation's writes (editors) or all of them (admins)"""
        return page_response(audit.audit_log(g.actor, args))
