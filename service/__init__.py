"""The HTTP service: a thin Flask layer over the `glossary` library (`create_app` is in `service.app`)."""

from .app import create_app

__all__ = ["create_app"]
