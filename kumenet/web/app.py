"""The knowledge portal: server-rendered pages over a snapshot, each with a JSON twin.

GET only. Every page under ``/`` has its data under ``/api`` (the same dict); ``/openapi.json``
describes the API and ``/docs`` lists it (served here: no CDN). Templates autoescape; the
Content-Security-Policy allows only the portal's own scripts and no request elsewhere; an
error shows a reference id, never a traceback (the log has it).
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)

from kumenet.app import portal
from kumenet.errors import KumenetError
from kumenet.messages import text
from kumenet.web.render import checked, data_or_404, error_page, not_found, page, shown

log = logging.getLogger("kumenet.portal")

MAX_QUERY = 4096  # bytes of query string
REQUEST_SECONDS = 20.0
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
          "frame-ancestors 'none'")
NOT_FOUND = {404: {"description": "No such actor, cluster or region"}}
REFUSED = {400: {"description": "Not one read statement, or it failed"}}
STATIC = {"portal.css": "text/css", "portal.js": "text/javascript",
          "map.js": "text/javascript", "vis-network.min.js": "text/javascript"}


@cache
def _static(name: str) -> bytes:
    if name in ("vis-network.min.js", "map.js"):
        return portal.drawing_asset(name).encode("utf-8")
    own = (resources.files("kumenet.web") / "static" / name).read_bytes()
    if name == "portal.css":  # the drawings' styles, then the portal's own
        return (portal.drawing_asset("kumenet.css") + "\n" + portal.drawing_asset("brief.css")
                + "\n").encode() + own
    return own


def from_environment() -> FastAPI:
    """The app of ``KUMENET_SNAPSHOT`` and ``KUMENET_WORKSPACE_URL`` (how ``kumenet serve
    --workers N`` starts each worker process)."""
    import os

    return create_app(os.environ["KUMENET_SNAPSHOT"],
                      workspace=os.environ.get("KUMENET_WORKSPACE_URL") or None,
                      public=os.environ.get("KUMENET_PUBLIC") == "1")


def create_app(snapshot: str | Path, workspace=None, public: bool = False) -> FastAPI:
    """The portal over the snapshot file (everything it shows is in the snapshot), with the
    workspace at ``workspace`` (a path or URL) when given. ``public``: the portal is reached
    from beyond this machine, so every page needs a login; on loopback the read-only pages
    stay open and writing needs a login."""
    from kumenet.app.workspace import open_workspace

    snap = portal.Snapshot(snapshot)
    app = FastAPI(title="kumenet portal", version=str(snap.meta.get("version")),
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="The knowledge portal's data: every page's JSON twin; with a "
                              "workspace, the introductions staff record (writes need a "
                              "session and its CSRF token, see /api/session).")
    app.state.snap = snap
    app.state.public = public
    app.state.workspace = open_workspace(workspace) if workspace is not None else None
    app.router.on_shutdown.append(snap.close)
    if app.state.workspace is not None:
        app.router.on_shutdown.append(app.state.workspace.close)
    app.middleware("http")(guard)
    app.include_router(pages)
    if app.state.workspace is not None:
        from kumenet.web.workspace import router as desk_router

        app.include_router(desk_router)
    app.include_router(docs_and_static)
    app.add_exception_handler(404, _unknown_path)
    return app


async def _unknown_path(request: Request, exc):
    """A path the portal does not have: the not-found page (JSON under /api/), in the
    language asked for."""
    lang = checked(request.query_params.get("lang", "tr"))
    detail = getattr(exc, "detail", None)
    message = detail if isinstance(detail, str) and detail != "Not Found" else \
        f"page not found: {request.url.path[:200]}"
    return not_found(request, lang, message)


def snapshot(request: Request) -> portal.Snapshot:
    """The snapshot the app serves (a dependency of every page)."""
    return request.app.state.snap


pages = APIRouter()
docs_and_static = APIRouter()


async def guard(request: Request, call_next):
    """Methods, sizes, login and the security headers of every answer."""
    from kumenet.web import workspace as desk_web

    public = request.app.state.public
    ws = request.app.state.workspace
    path = request.url.path
    if request.method not in ("GET", "HEAD"):
        if request.method != "POST" or ws is None or not path.startswith(desk_web.WRITES):
            allowed = "GET, HEAD, POST" if ws is not None else "GET, HEAD"
            return PlainTextResponse("method not allowed", status_code=405,
                                     headers={"Allow": allowed})
        size = request.headers.get("content-length")
        if size is None or not size.isdigit() or int(size) > desk_web.MAX_BODY:
            return PlainTextResponse("a body of at most 1 MB, with its length",
                                     status_code=413 if size and size.isdigit() else 411)
    if len(request.url.query.encode()) > MAX_QUERY:
        return PlainTextResponse("query string too long", status_code=414)
    if ws is not None and not path.startswith("/static/"):
        await desk_web.current(request)  # every page shows who is logged in
    if public and ws is not None and not path.startswith(desk_web.OPEN) and \
            request.method != "POST" and await desk_web.current(request) is None:
        if path.startswith("/api/") or path == "/openapi.json":
            return JSONResponse({"error": "log in first"}, status_code=401)
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(path)}", status_code=303)
    try:
        response = await asyncio.wait_for(call_next(request), REQUEST_SECONDS)
    except asyncio.TimeoutError:
        response = error_page(request, 503, "timeout")
    except Exception:  # noqa: BLE001 - nothing of it may reach the browser
        ref = uuid.uuid4().hex[:10]
        log.exception("error %s on %s", ref, request.url.path)
        response = error_page(request, 500, ref)
    response.headers["Content-Security-Policy"] = POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Nothing of a page's address leaves for another site; pages of this portal name
    # themselves (a form's Origin is then this site, not "null": the CSRF check reads it).
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    return response


@pages.get("/", response_class=HTMLResponse, include_in_schema=False)
@pages.get("/api/home", summary="The programme at a glance")
def home(request: Request, lang: str = "tr",
         year: int | None = Query(None, ge=1000, le=9999),
         snap: portal.Snapshot = Depends(snapshot)):
    lang = checked(lang)
    data = portal.home(snap, lang, year)
    if not request.url.path.startswith("/api/"):
        data = {**data, "choropleth": portal.choropleth(snap, lang)}
    return page(request, "home.html", data, lang, text("portal.title", lang))


@pages.get("/search", response_class=HTMLResponse, include_in_schema=False)
@pages.get("/api/search", summary="Actors, clusters, communities, sectors and regions")
def search(request: Request, q: str = Query("", max_length=200), lang: str = "tr",
           kind: str | None = None, province: str | None = Query(None, max_length=80),
           sector: str | None = Query(None, max_length=20), page_no: int = Query(
               1, alias="page", ge=1, le=100_000),
           snap: portal.Snapshot = Depends(snapshot)):
    lang = checked(lang)
    data = portal.search(snap, q, lang, kind or None, province or None, sector or None,
                         page_no)
    return page(request, "search.html", data, lang, f"{text('portal.search', lang)}: {q}")


@pages.get("/actor/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
@pages.get("/api/actor/{actor_id}", summary="An actor's profile and suggested partners",
           responses=NOT_FOUND)
async def actor(request: Request, actor_id: str, lang: str = "tr",
                year: int | None = Query(None, ge=1000, le=9999),
         snap: portal.Snapshot = Depends(snapshot)):
    from fastapi.concurrency import run_in_threadpool

    from kumenet.app import workspace as desk
    from kumenet.web.workspace import current

    lang = checked(lang)
    ws = request.app.state.workspace
    session = await current(request) if ws is not None else None

    def make():
        data = portal.actor(snap, actor_id, lang, year)
        if ws is not None:  # what staff recorded, and the suggestions shown, logged
            user = session[0] if session else None
            data["workspace"] = desk.actor_records(ws, snap, user, actor_id, lang)
            if year is None:  # as today: re-ranked by the outcomes, explored when set
                data["suggestions"] = desk.profile_suggestions(ws, snap, actor_id,
                                                               data["suggestions"], lang)
            desk.log_shown(ws, user, actor_id, data["suggestions"],
                           snap.meta.get("scorer") or "snapshot", "profile")
        return data

    try:
        data = await run_in_threadpool(make)
    except portal.NotFound as err:
        return not_found(request, lang, str(err))
    return page(request, "actor.html", data, lang, data["actor"]["name"])


@pages.get("/download/actor/{actor_id}", summary="The actor's profile as an Excel workbook",
           responses=NOT_FOUND)
def actor_xlsx(request: Request, actor_id: str, lang: str = "tr",
               snap: portal.Snapshot = Depends(snapshot)):
    lang = checked(lang)
    try:
        body = portal.actor_workbook(snap, actor_id, lang)
    except portal.NotFound as err:
        return not_found(request, lang, str(err))
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in actor_id)[:60]
    return Response(body, media_type="application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{safe}.xlsx"'})


@pages.get("/api/actor/{actor_id}/map", summary="The actor's ego map (vis-network data)",
           responses=NOT_FOUND)
def actor_map(request: Request, actor_id: str, lang: str = "tr",
              snap: portal.Snapshot = Depends(snapshot)):
    lang = checked(lang)
    return data_or_404(request, lang, lambda: portal.ego_map(snap, actor_id, lang))


@pages.get("/clusters", response_class=HTMLResponse, include_in_schema=False)
@pages.get("/api/clusters", summary="Every declared cluster scored for each of the data's last "
           "years: the national comparison over time")
def clusters(request: Request, lang: str = "tr",
             province: str | None = Query(None, max_length=80),
             sector: str | None = Query(None, max_length=20),
             snap: portal.Snapshot = Depends(snapshot)):
    lang = checked(lang)
    data = portal.clusters_over_time(snap, lang, province or None, sector or None)
    if request.url.path.startswith("/api/"):
        data = {**data, "clusters": [{k: v for k, v in c.items() if k != "chart"}
                                     for c in data["clusters"]]}
    return page(request, "clusters.html", data, lang, text("portal.national", lang))


@pages.get("/cluster/{name}", response_class=HTMLResponse, include_in_schema=False)
@pages.get("/api/cluster/{name}", summary="A cluster's evaluation and members",
           responses=NOT_FOUND)
def cluster(request: Request, name: str, lang: str = "tr",
            snap: portal.Snapshot = Depends(snapshot)):
    lang = checked(lang)
    return shown(request, lang, "cluster.html", lambda: portal.cluster(snap, name, lang),
                 lambda data: name)


@pages.get("/cluster/{name}/brief", response_class=HTMLResponse, include_in_schema=False)
@pages.get("/api/cluster/{name}/brief", summary="The cluster's toolkit brief: identification, "
           "activation, governance, interregional and international, business plan",
           responses=NOT_FOUND)
def cluster_brief(request: Request, name: str, lang: str = "tr",
                  snap: portal.Snapshot = Depends(snapshot)):
    lang = checked(lang)
    api = request.url.path.startswith("/api/")

    def make():
        return portal.cluster_brief(snap, name, lang, html=not api)

    return shown(request, lang, "cluster_brief.html", make, lambda data: name)


@pages.get("/download/cluster/{name}/brief.{suffix}", summary="The cluster's toolkit brief "
           "as a Word document (an editable plan) or a page that prints on A4",
           responses=NOT_FOUND)
def cluster_brief_file(request: Request, name: str, suffix: Literal["docx", "html"],
                       lang: str = "tr", snap: portal.Snapshot = Depends(snapshot)):
    lang = checked(lang)
    try:
        body = portal.brief_file(snap, name, lang, f".{suffix}")
    except portal.NotFound as err:
        return not_found(request, lang, str(err))
    from kumenet.text import slug

    media = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"
             if suffix == "docx" else "text/html; charset=utf-8")
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{slug(name)}.{suffix}"'})


@pages.get("/api/cluster/{name}/map", summary="The cluster's members and their ties "
           "(vis-network data)", responses=NOT_FOUND)
def cluster_map(request: Request, name: str, lang: str = "tr",
                snap: portal.Snapshot = Depends(snapshot)):
    lang = checked(lang)
    return data_or_404(request, lang, lambda: portal.cluster_map(snap, name, lang))


@pages.get("/region/{code}", response_class=HTMLResponse, include_in_schema=False)
@pages.get("/api/region/{code}", summary="A NUTS-2 region: specialisation and potential",
           responses=NOT_FOUND)
def region(request: Request, code: str, lang: str = "tr",
           snap: portal.Snapshot = Depends(snapshot)):
    lang = checked(lang)
    return shown(request, lang, "region.html", lambda: portal.region(snap, code, lang),
                 lambda data: f"{code} {data['name']}")


@pages.get("/sql", response_class=HTMLResponse, include_in_schema=False)
@pages.get("/api/sql", summary="One read-only SQL statement over the snapshot",
           responses=REFUSED)
async def sql(request: Request, q: str = Query("", max_length=MAX_QUERY),
              lang: str = "tr", snap: portal.Snapshot = Depends(snapshot)):
    from fastapi.concurrency import run_in_threadpool

    from kumenet.app import workspace as desk
    from kumenet.web.workspace import current

    lang = checked(lang)
    ws = request.app.state.workspace
    # Logged in, the workspace's tables too (no notes, no personal data, nothing private).
    extra = await run_in_threadpool(desk.sql_tables, ws) \
        if ws is not None and await current(request) is not None else {}
    schema = snap.schema() + [
        {"table": name, "columns": [{"name": str(c), "type": str(t)} for c, t in
                                    frame.dtypes.items()]} for name, frame in extra.items()]
    data = {"sql": q, "schema": schema, "columns": [], "rows": [], "error": None,
            "truncated": False}
    if q.strip():
        try:
            data.update(await run_in_threadpool(portal.sql, snap, q, extra))
        except KumenetError as err:
            data["error"] = str(err)
    if request.url.path.startswith("/api/") and data["error"]:
        return JSONResponse(data, status_code=400)
    if data["error"]:  # the refusal in the page's language (the JSON keeps the library's)
        from kumenet.said import said

        data["error"] = said(re.sub(r"\. Write results with -o instead$", "", data["error"]),
                             lang)  # -o is the command line's; the page has its CSV link
    return page(request, "sql.html", data, lang, "SQL")


@pages.get("/sql.csv", summary="A read-only SQL statement's rows as CSV", responses=REFUSED)
async def sql_csv(request: Request, q: str = Query(..., max_length=MAX_QUERY),
                  snap: portal.Snapshot = Depends(snapshot)):
    from fastapi.concurrency import run_in_threadpool

    from kumenet.app import workspace as desk
    from kumenet.web.workspace import current

    ws = request.app.state.workspace
    extra = await run_in_threadpool(desk.sql_tables, ws) \
        if ws is not None and await current(request) is not None else {}
    try:
        data = await run_in_threadpool(portal.sql, snap, q, extra)
    except KumenetError as err:
        return PlainTextResponse(str(err), status_code=400)
    import pandas as pd

    body = pd.DataFrame(data["rows"], columns=data["columns"]).to_csv(index=False)
    return Response("\ufeff" + body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="query.csv"'})


@docs_and_static.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs(request: Request, lang: str = "tr"):
    lang = checked(lang)
    paths = [{"path": p, "summary": op.get("summary", "")}
             for p, ops in request.app.openapi()["paths"].items() for op in ops.values()]
    return page(request, "docs.html", {"paths": paths}, lang, text("portal.docs", lang))


@docs_and_static.get("/static/{name}", include_in_schema=False)
def static(name: str):
    if name not in STATIC:
        return PlainTextResponse("not found", status_code=404)
    return Response(_static(name), media_type=STATIC[name],
                    headers={"Cache-Control": "max-age=3600"})
