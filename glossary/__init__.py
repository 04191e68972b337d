"""glossary: a Chinese–English terminology service for Chinese policy texts."""

from .model import Entry, Rendering, Source, Status
from .store import DataError
from .termbase import Glossary

__all__ = ["DataError", "Entry", "Glossary", "Rendering", "Source", "Status"]
