"""Workflows. Services are the only code that writes to the database and commits."""
