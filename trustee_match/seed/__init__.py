"""Demo data for local development and demonstrations."""

from .demo import DEMO_PASSWORD, DemoLogins, is_empty_database, seed_demo

__all__ = ["DEMO_PASSWORD", "DemoLogins", "is_empty_database", "seed_demo"]
