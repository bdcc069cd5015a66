"""MkDocs hooks: the site's home page is the README (one text, not two), its links into
docs/ made relative to the site."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def on_page_read_source(page, config):
    if page.file.src_uri == "index.md":
        return (ROOT / "README.md").read_text(encoding="utf-8").replace("](docs/", "](")
    return None


_ROLE = re.compile(r":(?:func|class|data|meth|mod|attr|obj):(?=<code>|`)")


def on_page_content(html, page, config, files):
    """Docstrings name other objects the Sphinx way (``:func:`read_network```); the site
    shows the name as code, without the role."""
    return _ROLE.sub("", html)
