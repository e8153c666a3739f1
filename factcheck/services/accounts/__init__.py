"""Use cases for newsrooms, their users and tokens, sessions, rate limits and the audit trail."""
