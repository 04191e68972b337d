"""A module-level WSGI app for other servers, e.g. ``gunicorn service.wsgi:app``.

Configured from the environment as `glossary serve` is: $GLOSSARY_DATA, $GLOSSARY_INDEX_DIR, and
$GLOSSARY_REFERENCE=0 to leave the reference layer out. `glossary serve` itself does not use this module.
"""

from __future__ import annotations

import os

from .app import create_app

app = create_app({"REFERENCE": os.environ.get("GLOSSARY_REFERENCE", "1") not in ("0", "false", "no")})
