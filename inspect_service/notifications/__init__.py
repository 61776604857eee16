"""Notifications: an outbox written with its cause, the in-app feed, e-mail and signed webhooks."""
