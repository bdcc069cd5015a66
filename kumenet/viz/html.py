"""Self-contained HTML: inlined assets, safely embedded data, a strict Content-Security-Policy.

Every page kumenet writes is one file that works offline: vis-network (from the pyvis
package) and kumenet's own script are inlined, data travel as JSON in a non-executed
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and the page's
Content-Security-Policy allows no network request at all (``default-src 'none'``) and only
the page's own scripts (by their SHA-256), so even a string that slipped through escaping
could neither run nor call home. Text reaches the page through Jinja2 with autoescaping, and
from data through ``textContent`` in the browser.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from importlib import resources

import jinja2


__all__ = ["vis_network_js", "asset", "script_json", "csp", "render_page"]


@cache
def vis_network_js() -> str:
    """vis-network 9.1.2 as shipped inside the pyvis package (no CDN).

    >>> js = vis_network_js()
    >>> len(js) > 100_000, 'vis-network' in js[:300]
    (True, True)
    """
    return (resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text(
        encoding="utf-8")


@cache
def asset(name: str) -> str:
    """A file of ``kumenet/viz/assets``.

    >>> asset('kumenet.css').splitlines()[0][:4]
    'body'
    """
    return (resources.files("kumenet.viz") / "assets" / name).read_text(encoding="utf-8")


def script_json(data) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``).

    >>> script_json({"name": "</script><b>"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def csp(scripts: list[str]) -> str:
    """A Content-Security-Policy allowing exactly ``scripts`` and no network access.

    >>> csp([]).split("; ")[:3]
    ["default-src 'none'", "script-src 'none'", "style-src 'unsafe-inline'"]
    >>> "script-src 'sha256-" in csp(['alert(1)'])
    True
    """
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode('utf-8')).digest()).decode()}'"
        for s in scripts) or "'none'"
    return ("default-src 'none'; " f"script-src {hashes}; " "style-src 'unsafe-inline'; "
            "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; "
            "base-uri 'none'")


_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                          loader=jinja2.FunctionLoader(lambda name: asset(name)),
                          keep_trailing_newline=True)


def render_page(template: str, scripts: list[str], **context) -> str:
    """Render ``kumenet/viz/assets/<template>`` with the given inline ``scripts``.

    The template places ``scripts`` (already-safe JavaScript) and ``policy`` itself.

    >>> page = render_page('chart.html', [], lang='tr', title='<Başlık>', css='', chart='')
    >>> '&lt;Başlık&gt;' in page, 'Content-Security-Policy' in page
    (True, True)
    """
    page = _ENV.get_template(template)
    return page.render(scripts=[jinja2.utils.markupsafe.Markup(s) for s in scripts],
                       policy=csp(scripts), **context)
