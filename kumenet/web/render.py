"""How the portal answers: a page rendered from its template, or its data as JSON under
``/api``; the not-found and error pages. Shared by the portal's routes
(:mod:`kumenet.web.app`) and the workspace's (:mod:`kumenet.web.workspace`)."""

from __future__ import annotations

from functools import cache

import jinja2
from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse

from kumenet.app import portal
from kumenet.messages import LANGS, fmt, percent, text


@cache
def _templates() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("kumenet.web", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["num"] = _number
    env.filters["stars"] = lambda n: "★" * int(n) + "☆" * (5 - int(n))
    env.filters["pct"] = lambda v, lang: "-" if v is None else percent(v, lang)
    return env


def _number(value, lang: str, digits: int | None = None) -> str:
    """A number for a page: whole numbers grouped (a float that is whole, too), others with
    ``digits`` decimals (3 by default)."""
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    if isinstance(value, int) or (digits is None and float(value).is_integer()):
        return fmt("{:,}", lang, int(value))
    return fmt("{:,.%df}" % (3 if digits is None else digits), lang, value)


def page(request: Request, template: str, data: dict, lang: str, title: str):
    """The page of ``template`` with ``data``, or ``data`` as JSON under /api."""
    snap = request.app.state.snap
    if request.url.path.startswith("/api/"):
        return JSONResponse(jsonable_encoder(data))
    session = getattr(request.state, "session", None)
    html = _templates().get_template(template).render(
        data=data, lang=lang, t=lambda key, **v: text(key, lang, **v), title=title,
        meta=snap.meta, path=request.url.path, query=dict(request.query_params),
        other_lang="en" if lang == "tr" else "tr",
        workspace=request.app.state.workspace is not None,
        me=session[0] if session else None, csrf=session[1] if session else "")
    return HTMLResponse(html)


def shown(request: Request, lang: str, template: str, make, title_of):
    """A page of ``make()``'s data, or the not-found page."""
    try:
        data = make()
    except portal.NotFound as err:
        return not_found(request, lang, str(err))
    return page(request, template, data, lang, title_of(data))


def data_or_404(request: Request, lang: str, make):
    """``make()``'s data as JSON, or the not-found answer."""
    try:
        return JSONResponse(make())
    except portal.NotFound as err:
        return not_found(request, lang, str(err))


def checked(lang: str) -> str:
    return lang if lang in LANGS else "tr"


def not_found(request: Request, lang: str, message: str):
    """A 404: the message as it is in JSON (scripts read it), on a page in the page's
    language."""
    from kumenet.said import said

    meta = request.app.state.snap.meta
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=404)
    html = _templates().get_template("error.html").render(
        lang=lang, t=lambda key, **v: text(key, lang, **v), title=text("portal.not_found", lang),
        message=said(message, lang), meta=meta, path=request.url.path, query={},
        other_lang="en" if lang == "tr" else "tr")
    return HTMLResponse(html, status_code=404)


def error_page(request: Request, status: int, ref: str):
    meta = request.app.state.snap.meta
    lang = checked(request.query_params.get("lang", "tr"))
    message = text("portal.error_text", lang, ref=ref)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message, "reference": ref}, status_code=status)
    html = _templates().get_template("error.html").render(
        lang=lang, t=lambda key, **v: text(key, lang, **v), title=text("portal.error", lang),
        message=message, meta=meta, path="", query={},
        other_lang="en" if lang == "tr" else "tr")
    return HTMLResponse(html, status_code=status)
