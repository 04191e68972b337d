"""glossary: a Chinese–English terminology service for Chinese policy texts."""

from .base.model import Entry, Rendering, Source, Status
from .base.store import DataError
from .termbase import Glossary

__all__ = ["DataError", "Entry", "Glossary", "Rendering", "Source", "Status"]
