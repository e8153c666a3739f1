"""Admins: their newsroom's users and tokens; operators: every newsroom; editors up: the audit log."""
from flask import g
from flask.views import MethodView

from factcheck.api.auth import ETAG_HEADER, etag, expected_version, requires
from factcheck.api.blueprint import Blueprint
from factcheck.api.pages import LINK_HEADER, page_response
from factcheck.schemas.accounts import (
    AuditPageSchema,
    NewTokenSchema,
    OrganisationCreateSchema,
    OrganisationPageSchema,
    OrganisationSchema,
    OrganisationUpdateSchema,
    TokenCreateSchema,
    TokenPageSchema,
    TokenSchema,
    UserCreateSchema,
    UserPageSchema,
    UserSchema,
)
from factcheck.schemas.common import PageArgsSchema
from factcheck.services.accounts import audit, organisations
from factcheck.services.accounts import users as accounts

blp = Blueprint("admin", __name__, url_prefix="/api/v1", description="Organisations, users, tokens, audit")


@blp.route("/organisations")
class Organisations(MethodView):
    @requires(blp, "admin")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, OrganisationPageSchema, headers=LINK_HEADER)
    def get(self, args):
        """List organisations: every one (operators) or your own (admins)"""
        return page_response(organisations.list_organisations(g.actor, args))

    @requires(blp, "operator")
    @blp.arguments(OrganisationCreateSchema)
    @blp.response(201, OrganisationSchema, headers=ETAG_HEADER)
    @blp.alt_response(409, description="The name or the site is another newsroom's.")
    def post(self, data):
        """Create an organisation (a newsroom) with its site (operators)"""
        organisation = organisations.create_organisation(data, g.actor)
        return organisation, etag(organisation.version)


@blp.route("/organisations/<id:organisation_id>")
class Organisation(MethodView):
    @requires(blp, "admin")
    @blp.response(200, OrganisationSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, description="No organisation you manage has this id.")
    def get(self, organisation_id):
        """Show an organisation: any (operators) or your own (admins)"""
        organisation = organisations.get_organisation(organisation_id, g.actor)
        return organisation, etag(organisation.version)

    @requires(blp, "operator")
    @blp.arguments(OrganisationUpdateSchema)
    @blp.response(200, OrganisationSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, description="No organisation has this id.")
    @blp.alt_response(409, description="The site is another newsroom's.")
    def patch(self, data, organisation_id):
        """Set or change an organisation's site (operators)"""
        organisation = organisations.update_organisation(organisation_id, data, g.actor, expected_version())
        return organisation, etag(organisation.version)


@blp.route("/organisations/<id:organisation_id>/users")
class Users(MethodView):
    @requires(blp, "admin")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, UserPageSchema, headers=LINK_HEADER)
    @blp.alt_response(404, description="No organisation you manage has this id.")
    def get(self, args, organisation_id):
        """List an organisation's users"""
        return page_response(accounts.list_users(organisation_id, g.actor, args))

    @requires(blp, "admin")
    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    @blp.alt_response(404, description="No organisation you manage has this id.")
    def post(self, data, organisation_id):
        """Add a user with a newsroom role to an organisation"""
        return accounts.create_user(organisation_id, data, g.actor)


@blp.route("/users/<id:user_id>/tokens")
class UserTokens(MethodView):
    @requires(blp, "admin")
    @blp.arguments(TokenCreateSchema)
    @blp.response(201, NewTokenSchema)
    @blp.alt_response(403, description="The user is an operator: the command line issues their tokens.")
    @blp.alt_response(404, description="No user you manage has this id.")
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
        """List your newsroom's tokens, or every one (operators): prefixes, never secrets or hashes"""
        return page_response(accounts.list_tokens(g.actor, args))


@blp.route("/tokens/<id:token_id>")
class Token(MethodView):
    @requires(blp, "admin")
    @blp.response(200, TokenSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, description="No token you manage has this id.")
    def get(self, token_id):
        """Show a token"""
        token = accounts.get_token(token_id, g.actor)
        return token, etag(token.version)

    @requires(blp, "admin")
    @blp.response(200, TokenSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, description="No token you manage has this id.")
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
        """The audit log: your newsroom's writes (editors, admins) or every one (operators)"""
        return page_response(audit.audit_log(g.actor, args))
