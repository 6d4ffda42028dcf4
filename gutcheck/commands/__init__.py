"""The command modules; each exposes ``register(app)`` and imports heavy modules lazily."""
