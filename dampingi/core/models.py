"""Shared building blocks (forms, optimistic locking, commands); no models."""
