"""Reading SUMO wiki markup: text to a lossless syntax tree."""

from kb.markup.diagnostics import Diagnostic, Fix
from kb.markup.parser import parse

__all__ = ["parse", "Diagnostic", "Fix"]
