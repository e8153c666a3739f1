"""Webhooks: registration, the outbox written with each change, and delivery."""
