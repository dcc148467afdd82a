"""``{for}`` conditions: the configuration of products, versions and
platforms (:mod:`.config`), the reader (:mod:`.context`) and predicates
with Kitsune's showfor semantics (:mod:`.predicate`)."""

from kb.conditions.config import Config, ConfigError, Platform, Product, Versions
from kb.conditions.context import Context, ContextError
from kb.conditions.predicate import Predicate, Term, matches

__all__ = [
    "Config",
    "ConfigError",
    "Context",
    "ContextError",
    "Platform",
    "Predicate",
    "Product",
    "Term",
    "Versions",
    "matches",
]
