"""The lookup page at `/`: a static file, so the page and its assets are cached like any static file."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

page = Blueprint("page", __name__)


@page.get("/")
def index() -> Response:
    """The lookup page."""
    # send_static_file gives ETag and Last-Modified, so a reload is a 304.
    return current_app.send_static_file("index.html")
