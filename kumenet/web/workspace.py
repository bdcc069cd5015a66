"""The workspace's routes: login, the lists staff work from, introductions and their events,
notes and contact persons, the funnel, the shortlist, the audit page; and their JSON twins.

Every write needs a session (401 without one), a role and centre that allow it (403), and the
session's CSRF token in the ``X-CSRF-Token`` header or the form's ``csrf_token`` field (403),
from a page of this portal (an ``Origin`` or ``Referer`` of another site: 403). A write is
answered only after its transaction (and audit row) committed. The login form has a token of
its own (a cookie and the same value in the form), and a login always starts a new session.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Literal
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from kumenet.app import workspace as desk
from kumenet.errors import (
    Conflict,
    KumenetError,
    NotAllowed,
    NotLoggedIn,
    RecordNotFound,
    TooManyAttempts,
)
from kumenet.messages import LANGS, text
from kumenet.web.render import page

SESSION = "kumenet_session"
LOGIN = "kumenet_login"
MAX_BODY = 1_000_000  # bytes of a request body
#: Paths a visitor reaches without a login when the portal is open beyond this machine.
OPEN = ("/login", "/api/session", "/static/")
#: Paths that take POST (everything else is GET only).
WRITES = ("/login", "/logout", "/introductions", "/introduction/", "/api/introductions",
          "/api/notes", "/api/contacts", "/actor/", "/initiatives", "/initiative/",
          "/api/initiatives", "/api/initiative/")
STAGE = Literal[tuple(desk.STAGES)]  # type: ignore[valid-type]


class IntroductionIn(BaseModel):
    """A new introduction between two actors (or a group) of the network."""

    source: str = Field(min_length=1, max_length=200)
    target: str = Field(min_length=1, max_length=200)
    group: list[str] = Field(default_factory=list, max_length=20)
    note: str | None = Field(None, max_length=10_000)
    origin: Literal["suggestion", "profile", "consortium", "hand"] = "hand"
    private: bool = False


class EventIn(BaseModel):
    """A move of an introduction to a stage (see the stage model in the README)."""

    stage: STAGE
    side: Literal["a", "b", "both"] | None = None
    reason: str | None = Field(None, max_length=60)
    note: str | None = Field(None, max_length=10_000)
    details: dict | None = None
    correction: bool = False
    expected_seq: int | None = Field(None, ge=1, le=1_000_000)


class NoteIn(BaseModel):
    actor: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=10_000)
    visibility: Literal["private", "centre", "national"] = "centre"


class ContactIn(BaseModel):
    actor: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=200)
    role: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=60)
    email: str | None = Field(None, max_length=200)
    consent: bool
    consent_note: str | None = Field(None, max_length=500)


class Created(BaseModel):
    id: str


class InitiativeIn(BaseModel):
    """A new initiative: members by id or name (one per line), or every firm of a cluster."""

    name: str = Field(min_length=1, max_length=200)
    start_year: int = Field(ge=1950, le=2100)
    provinces: str = Field("", max_length=2_000)
    sectors: str = Field("", max_length=2_000)
    cluster: str = Field("", max_length=200)
    members: str = Field("", max_length=100_000)
    coordinator: str = Field("", max_length=200)


class MembersIn(BaseModel):
    """Firms (id or name, one per line) joining or leaving on a date."""

    actors: str = Field(min_length=1, max_length=100_000)
    action: Literal["join", "leave"]
    on: str = Field(min_length=4, max_length=40)


class ActivityIn(BaseModel):
    kind: Literal["b2b_day", "training", "trade_mission", "joint_fair", "shared_facility",
                  "study_visit", "other"]
    title: str = Field(min_length=1, max_length=200)
    held_on: str = Field(min_length=4, max_length=40)
    participants: str = Field("", max_length=100_000)
    place: str | None = Field(None, max_length=200)
    outcome: str | None = Field(None, max_length=10_000)


STATUS = {NotLoggedIn: 401, NotAllowed: 403, RecordNotFound: 404, Conflict: 409,
          TooManyAttempts: 429}
ERRORS = {400: {"description": "The request breaks a rule (the message says which)"},
          401: {"description": "No session: log in"},
          403: {"description": "Not allowed: role, centre, or a missing or wrong CSRF token"},
          404: {"description": "No such record (or none you may see)"},
          409: {"description": "Changed by someone else since you read it; nothing written"}}


def status_of(err: KumenetError) -> int:
    for kind, status in STATUS.items():
        if isinstance(err, kind):
            return status
    return 400


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


async def current(request: Request):
    """(user, csrf token) of the request's session, looked up once per request."""
    if not hasattr(request.state, "session"):
        ws = request.app.state.workspace
        request.state.session = None if ws is None else await run_in_threadpool(
            desk.session_user, ws, request.cookies.get(SESSION))
    return request.state.session


def same_origin(request: Request) -> bool:
    """Whether the request came from a page of this portal (a request without an ``Origin``
    or ``Referer``, as scripts send, relies on the token alone)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return True
    parts = urlsplit(origin)
    return parts.netloc == request.headers.get("host", "") and parts.scheme in ("http", "https")


def csrf_ok(request: Request, session, given: str | None) -> bool:
    if session is None or not given:
        return False
    return hmac.compare_digest(str(session[1]), str(given)) and same_origin(request)


def secure_cookie(request: Request) -> bool:
    return request.url.scheme == "https" or \
        request.headers.get("x-forwarded-proto", "") == "https"


# The workspace's routes: pages render as the portal's do (kumenet.web.render.page).
router = APIRouter()


def lang_of(lang: str) -> str:
    return lang if lang in LANGS else "tr"


def failed(request: Request, err: KumenetError, lang: str):
    status = status_of(err)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": str(err)}, status_code=status)
    if status == 401:
        return RedirectResponse(f"/login?lang={lang}&next={quote(request.url.path)}",
                                status_code=303)
    data = {"message": str(err), "status": status}
    response = page(request, "ws_error.html", data, lang, text("portal.error", lang))
    response.status_code = status
    return response


def refused_token(request: Request, lang: str):
    message = text("ws.csrf", lang)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=403)
    response = page(request, "ws_error.html", {"message": message, "status": 403}, lang,
                    text("portal.error", lang))
    response.status_code = 403
    return response


async def writing(request: Request, lang: str, token: str | None, work):
    """Run ``work(user)`` after the login, role and CSRF checks; a library error becomes
    its status."""
    session = await current(request)
    if session is None:
        return failed(request, NotLoggedIn(text("ws.login_needed", lang)), lang)
    if not csrf_ok(request, session, token or request.headers.get("x-csrf-token")):
        return refused_token(request, lang)
    try:
        return await run_in_threadpool(work, session[0])
    except KumenetError as err:
        return failed(request, err, lang)

# -- login -------------------------------------------------------------------------------

@router.get("/login", response_class=HTMLResponse, include_in_schema=False)

async def login_page(request: Request, lang: str = "tr", next: str = "/workspace"):
    lang = lang_of(lang)
    token = request.cookies.get(LOGIN) or secrets.token_urlsafe(32)
    response = page(request, "login.html", {"csrf_token": token, "next": _local(next),
                                            "error": None}, lang, text("ws.login", lang))
    response.set_cookie(LOGIN, token, httponly=True, samesite="lax",
                        secure=secure_cookie(request), max_age=3600)
    return response


@router.post("/login", include_in_schema=False)

async def login(request: Request, lang: str = "tr"):
    lang = lang_of(lang)
    form = await request.form()
    token = str(form.get("csrf_token") or "")
    expected = request.cookies.get(LOGIN) or ""
    if not token or not hmac.compare_digest(token, expected) or not same_origin(request):
        return refused_token(request, lang)
    ws = request.app.state.workspace
    try:
        session = await run_in_threadpool(desk.login, ws, str(form.get("username") or "")[:200],
                                          str(form.get("password") or "")[:2000],
                                          client_address(request))
    except (NotLoggedIn, TooManyAttempts) as err:
        response = page(request, "login.html", {"csrf_token": expected, "error": str(err),
                                                "next": _local(str(form.get("next") or ""))},
                        lang, text("ws.login", lang))
        response.status_code = status_of(err)
        return response
    response = RedirectResponse(_local(str(form.get("next") or "/workspace")) +
                                ("&" if "?" in _local(str(form.get("next") or "")) else "?")
                                + f"lang={lang}", status_code=303)
    response.set_cookie(SESSION, session.token, httponly=True, samesite="lax",
                        secure=secure_cookie(request), max_age=12 * 3600, path="/")
    response.delete_cookie(LOGIN)
    return response


@router.post("/logout", include_in_schema=False)

async def logout(request: Request, lang: str = "tr"):
    lang = lang_of(lang)
    form = await request.form()
    session = await current(request)
    if session is not None and not csrf_ok(request, session, form.get("csrf_token")):
        return refused_token(request, lang)
    await run_in_threadpool(desk.logout, request.app.state.workspace,
                            request.cookies.get(SESSION), bool(form.get("everywhere")))
    response = RedirectResponse(f"/login?lang={lang}", status_code=303)
    response.delete_cookie(SESSION)
    return response


@router.get("/api/session", summary="Who is logged in, and the CSRF token for writes")

async def session_info(request: Request):
    session = await current(request)
    if session is None:
        token = request.cookies.get(LOGIN) or secrets.token_urlsafe(32)
        response = JSONResponse({"logged_in": False, "user": None, "csrf_token": token})
        response.set_cookie(LOGIN, token, httponly=True, samesite="lax",
                            secure=secure_cookie(request), max_age=3600)
        return response
    user, csrf = session
    return {"logged_in": True, "csrf_token": csrf, "user": desk._user(user)}

# -- lists ---------------------------------------------------------------------------------

@router.get("/workspace", response_class=HTMLResponse, include_in_schema=False)

@router.get("/api/workspace", summary="A list of introductions staff work from",
            responses=ERRORS)

async def workspace_page(request: Request, lang: str = "tr",
                         list_name: str = Query("open", alias="list", max_length=20),
                         province: str | None = Query(None, max_length=80),
                         sector: str | None = Query(None, max_length=20),
                         scope: str | None = Query(None, max_length=20),
                         stage: str | None = Query(None, max_length=20),
                         page_no: int = Query(1, alias="page", ge=1, le=100_000)):
    lang = lang_of(lang)
    session = await current(request)
    user = session[0] if session else None
    snap = request.app.state.snap
    try:
        data = await run_in_threadpool(desk.desk, request.app.state.workspace, snap, user,
                                       lang, list_name, province=province or None,
                                       sector=sector or None, scope=scope or None,
                                       stage=stage or None, page=page_no)
    except KumenetError as err:
        return failed(request, err, lang)
    return page(request, "workspace.html", data, lang, text("ws.title", lang))


@router.get("/workspace/funnel", response_class=HTMLResponse, include_in_schema=False)

@router.get("/api/workspace/funnel", summary="A centre's funnel: suggested to project",
            responses=ERRORS)

async def funnel_page(request: Request, lang: str = "tr",
                      centre: str | None = Query(None, max_length=40)):
    lang = lang_of(lang)
    session = await current(request)
    try:
        data = await run_in_threadpool(desk.funnel, request.app.state.workspace,
                                       session[0] if session else None, lang, centre or None)
    except KumenetError as err:
        return failed(request, err, lang)
    return page(request, "funnel.html", data, lang, text("ws.funnel", lang))


@router.get("/workspace/shortlist", response_class=HTMLResponse, include_in_schema=False)

async def shortlist_page(request: Request, lang: str = "tr"):
    lang = lang_of(lang)
    session = await current(request)
    try:
        data = await run_in_threadpool(desk.shortlist, request.app.state.workspace,
                                       request.app.state.snap,
                                       session[0] if session else None, lang)
    except KumenetError as err:
        return failed(request, err, lang)
    return page(request, "shortlist.html", data, lang, text("ws.shortlist", lang))


@router.get("/workspace/shortlist.{fmt}", summary="The shortlist for a meeting day as "
            "an Excel workbook or a ;-separated CSV", responses=ERRORS)

async def shortlist_file(request: Request, fmt: Literal["xlsx", "csv"], lang: str = "tr"):
    lang = lang_of(lang)
    session = await current(request)
    try:
        body = await run_in_threadpool(desk.shortlist_file, request.app.state.workspace,
                                       request.app.state.snap,
                                       session[0] if session else None, lang, fmt)
    except KumenetError as err:
        return failed(request, err, lang)
    media = "text/csv; charset=utf-8" if fmt == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = text("ws.shortlist_file", lang)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})

# -- introductions -------------------------------------------------------------------------

@router.post("/api/introductions", status_code=201, response_model=Created,
             summary="Open an introduction (needs the session and X-CSRF-Token)",
             responses=ERRORS)

async def create_api(request: Request, body: IntroductionIn, lang: str = "en"):
    def work(user):
        row = desk.new_introduction(request.app.state.workspace, request.app.state.snap,
                                    user, body.source, body.target, group=body.group,
                                    origin=body.origin, note=body.note, private=body.private,
                                    address=client_address(request))
        return JSONResponse({"id": row["id"]}, status_code=201)
    return await writing(request, lang_of(lang), None, work)


@router.post("/introductions", include_in_schema=False)

async def create_form(request: Request, lang: str = "tr"):
    lang = lang_of(lang)
    form = await request.form()

    def work(user):
        row = desk.new_introduction(
            request.app.state.workspace, request.app.state.snap, user,
            str(form.get("source") or ""), str(form.get("target") or ""),
            origin=str(form.get("origin") or "hand") if form.get("origin") in
            ("suggestion", "profile", "consortium", "hand") else "hand",
            note=str(form.get("note") or "") or None, private=bool(form.get("private")),
            address=client_address(request))
        return RedirectResponse(f"/introduction/{row['id']}?lang={lang}", status_code=303)
    return await writing(request, lang, form.get("csrf_token"), work)


@router.get("/introduction/{introduction_id}", response_class=HTMLResponse,
            include_in_schema=False)

@router.get("/api/introductions/{introduction_id}",
            summary="An introduction with its events", responses=ERRORS)

async def introduction_page(request: Request, introduction_id: str, lang: str = "tr"):
    lang = lang_of(lang)
    session = await current(request)
    try:
        data = await run_in_threadpool(desk.introduction, request.app.state.workspace,
                                       request.app.state.snap,
                                       session[0] if session else None,
                                       introduction_id[:36], lang)
    except KumenetError as err:
        return failed(request, err, lang)
    if not request.url.path.startswith("/api/"):
        data["csrf_token"] = session[1] if session else ""
    return page(request, "introduction.html", data, lang,
                f"{data['source_name']} · {data['target_name']}")


@router.post("/api/introductions/{introduction_id}/events", status_code=201,
             response_model=Created, responses=ERRORS,
             summary="Move an introduction to a stage (needs the session and X-CSRF-Token)")

async def event_api(request: Request, introduction_id: str, body: EventIn,
                    lang: str = "en"):
    def work(user):
        event = desk.add_event(
            request.app.state.workspace, user, introduction_id[:36], body.stage,
            side=body.side, reason=body.reason, note=body.note, details=body.details,
            correction=body.correction, expected_seq=body.expected_seq,
            address=client_address(request))
        return JSONResponse({"id": event["id"], "seq": event["seq"]}, status_code=201)
    return await writing(request, lang_of(lang), None, work)


@router.post("/introduction/{introduction_id}/events", include_in_schema=False)

async def event_form(request: Request, introduction_id: str, lang: str = "tr"):
    lang = lang_of(lang)
    form = await request.form()

    def work(user):
        details = {k: form.get(k) for k in ("meeting_at", "place", "minutes", "held_at",
                                            "rating", "kind") if form.get(k)}
        if form.get("online"):
            details["online"] = True
        expected = form.get("expected_seq")
        desk.add_event(
            request.app.state.workspace, user, introduction_id[:36],
            str(form.get("stage") or ""), side=form.get("side") or None,
            reason=form.get("reason") or None, note=form.get("note") or None,
            details=details, correction=bool(form.get("correction")),
            expected_seq=int(expected) if expected and str(expected).isdigit() else None,
            address=client_address(request))
        return RedirectResponse(f"/introduction/{introduction_id[:36]}?lang={lang}",
                                status_code=303)
    return await writing(request, lang, form.get("csrf_token"), work)


@router.get("/introduction/{introduction_id}/meeting.ics",
            summary="The planned meeting as a calendar event", responses=ERRORS)

async def meeting(request: Request, introduction_id: str, lang: str = "tr"):
    lang = lang_of(lang)
    session = await current(request)
    try:
        body = await run_in_threadpool(desk.meeting_ics, request.app.state.workspace,
                                       request.app.state.snap,
                                       session[0] if session else None, introduction_id[:36])
    except KumenetError as err:
        return failed(request, err, lang)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="meeting.ics"'})

# -- notes and contact persons -----------------------------------------------------------

@router.post("/api/notes", status_code=201, response_model=Created, responses=ERRORS,
             summary="A note on an actor (needs the session and X-CSRF-Token)")

async def note_api(request: Request, body: NoteIn, lang: str = "en"):
    def work(user):
        row = desk.add_note(request.app.state.workspace, user, body.actor, body.text,
                            body.visibility, client_address(request))
        return JSONResponse({"id": row["id"]}, status_code=201)
    return await writing(request, lang_of(lang), None, work)


@router.post("/actor/{actor_id}/notes", include_in_schema=False)

async def note_form(request: Request, actor_id: str, lang: str = "tr"):
    lang = lang_of(lang)
    form = await request.form()

    def work(user):
        visibility = form.get("visibility") if form.get("visibility") in \
            ("private", "centre", "national") else "centre"
        desk.add_note(request.app.state.workspace, user, actor_id,
                      str(form.get("text") or ""), visibility, client_address(request))
        return RedirectResponse(f"/actor/{quote(actor_id)}?lang={lang}#workspace",
                                status_code=303)
    return await writing(request, lang, form.get("csrf_token"), work)


@router.post("/api/contacts", status_code=201, response_model=Created, responses=ERRORS,
             summary="A contact person of an actor, with consent (needs the session and "
             "X-CSRF-Token)")

async def contact_api(request: Request, body: ContactIn, lang: str = "en"):
    def work(user):
        row = desk.add_contact(
            request.app.state.workspace, user, body.actor, name=body.name, role=body.role,
            phone=body.phone, email=body.email, consent=body.consent,
            consent_note=body.consent_note, address=client_address(request))
        return JSONResponse({"id": row["id"]}, status_code=201)
    return await writing(request, lang_of(lang), None, work)


@router.post("/actor/{actor_id}/contacts", include_in_schema=False)

async def contact_form(request: Request, actor_id: str, lang: str = "tr"):
    lang = lang_of(lang)
    form = await request.form()

    def work(user):
        desk.add_contact(
            request.app.state.workspace, user, actor_id, name=str(form.get("name") or ""),
            role=form.get("role") or None, phone=form.get("phone") or None,
            email=form.get("email") or None, consent=bool(form.get("consent")),
            consent_note=form.get("consent_note") or None, address=client_address(request))
        return RedirectResponse(f"/actor/{quote(actor_id)}?lang={lang}#workspace",
                                status_code=303)
    return await writing(request, lang, form.get("csrf_token"), work)


@router.post("/api/contacts/{contact_id}/erase", status_code=200, responses=ERRORS,
             summary="Erase a contact person's data (KVKK; needs the session and "
             "X-CSRF-Token)")

async def erase_api(request: Request, contact_id: str, lang: str = "en"):
    def work(user):
        desk.erase_contact(request.app.state.workspace, user, contact_id[:36],
                           client_address(request))
        return JSONResponse({"erased": contact_id[:36]})
    return await writing(request, lang_of(lang), None, work)


@router.post("/actor/{actor_id}/contacts/{contact_id}/erase", include_in_schema=False)

async def erase_form(request: Request, actor_id: str, contact_id: str, lang: str = "tr"):
    lang = lang_of(lang)
    form = await request.form()

    def work(user):
        desk.erase_contact(request.app.state.workspace, user, contact_id[:36],
                           client_address(request))
        return RedirectResponse(f"/actor/{quote(actor_id)}?lang={lang}#workspace",
                                status_code=303)
    return await writing(request, lang, form.get("csrf_token"), work)

# -- audit ---------------------------------------------------------------------------------

@router.get("/admin/audit", response_class=HTMLResponse, include_in_schema=False)

async def audit_page(request: Request, lang: str = "tr",
                     page_no: int = Query(1, alias="page", ge=1, le=100_000)):
    lang = lang_of(lang)
    session = await current(request)
    try:
        data = await run_in_threadpool(desk.audit_page, request.app.state.workspace,
                                       session[0] if session else None, page_no)
    except KumenetError as err:
        return failed(request, err, lang)
    return page(request, "audit.html", data, lang, text("ws.audit", lang))


def _local(path: str) -> str:
    """Only a path of this site as the place to go after a login (no open redirect)."""
    path = str(path or "")
    if not path.startswith("/") or path.startswith("//") or "\\" in path or "\n" in path:
        return "/workspace"
    return path[:500]

# -- initiatives ---------------------------------------------------------------------------

@router.get("/initiatives", response_class=HTMLResponse, include_in_schema=False)

@router.get("/api/initiatives", summary="The cluster initiatives", responses=ERRORS)

async def initiatives_page(request: Request, lang: str = "tr"):
    from kumenet.app import initiatives as ini

    lang = lang_of(lang)
    session = await current(request)
    if session is None:
        return failed(request, NotLoggedIn(text("ws.login_needed", lang)), lang)
    data = await run_in_threadpool(ini.portal_list, request.app.state.workspace,
                                   request.app.state.snap, session[0], lang)
    return page(request, "initiatives.html", data, lang, text("ws.initiatives", lang))


@router.get("/initiative/{name}", response_class=HTMLResponse, include_in_schema=False)

@router.get("/api/initiative/{name}", summary="An initiative's yearly indicator panel, with "
            "what moved each value", responses=ERRORS)

async def initiative_page(request: Request, name: str, lang: str = "tr"):
    from kumenet.app import initiatives as ini

    lang = lang_of(lang)
    session = await current(request)
    if session is None:
        return failed(request, NotLoggedIn(text("ws.login_needed", lang)), lang)
    try:
        data = await run_in_threadpool(ini.portal_initiative, request.app.state.workspace,
                                       request.app.state.snap, session[0], name[:200], lang)
    except KumenetError as err:
        return failed(request, err, lang)
    if request.url.path.startswith("/api/"):
        data = {k: v for k, v in data.items() if k != "html"}
    return page(request, "initiative.html", data, lang, data["name"])


def _to_initiative(name: str, lang: str, anchor: str = ""):
    return RedirectResponse(f"/initiative/{quote(name)}?lang={lang}{anchor}", status_code=303)


@router.post("/api/initiatives", status_code=201, response_model=Created, responses=ERRORS,
             summary="A new initiative (needs the session and X-CSRF-Token)")

async def initiative_api(request: Request, body: InitiativeIn, lang: str = "en"):
    from kumenet.app import initiatives as ini

    def work(user):
        made = ini.portal_add(request.app.state.workspace, request.app.state.snap, user,
                              **body.model_dump(), address=client_address(request))
        return JSONResponse({"id": made["id"]}, status_code=201)
    return await writing(request, lang_of(lang), None, work)


@router.post("/initiatives", include_in_schema=False)

async def initiative_form(request: Request, lang: str = "tr"):
    from kumenet.app import initiatives as ini

    lang = lang_of(lang)
    form = await request.form()

    def work(user):
        made = ini.portal_add(request.app.state.workspace, request.app.state.snap, user,
                              **{k: str(form.get(k) or "")[:100_000] for k in (
                                  "name", "start_year", "provinces", "sectors", "cluster",
                                  "members", "coordinator")}, address=client_address(request))
        return _to_initiative(made["name"], lang)
    return await writing(request, lang, form.get("csrf_token"), work)


@router.post("/api/initiative/{name}/members", status_code=201, response_model=Created,
             responses=ERRORS, summary="Members joining or leaving (session and X-CSRF-Token)")

async def members_api(request: Request, name: str, body: MembersIn, lang: str = "en"):
    from kumenet.app import initiatives as ini

    def work(user):
        ini.portal_members(request.app.state.workspace, request.app.state.snap, user,
                           name[:200], body.actors, body.action, body.on,
                           client_address(request))
        return JSONResponse({"id": name}, status_code=201)
    return await writing(request, lang_of(lang), None, work)


@router.post("/initiative/{name}/members", include_in_schema=False)

async def members_form(request: Request, name: str, lang: str = "tr"):
    from kumenet.app import initiatives as ini

    lang = lang_of(lang)
    form = await request.form()

    def work(user):
        ini.portal_members(request.app.state.workspace, request.app.state.snap, user,
                           name[:200], str(form.get("actors") or "")[:100_000],
                           str(form.get("action") or ""), str(form.get("on") or "")[:40],
                           client_address(request))
        return _to_initiative(name, lang, "#record")
    return await writing(request, lang, form.get("csrf_token"), work)


@router.post("/api/initiative/{name}/activities", status_code=201, response_model=Created,
             responses=ERRORS, summary="An activity of an initiative (session and X-CSRF-Token)")

async def activity_api(request: Request, name: str, body: ActivityIn, lang: str = "en"):
    from kumenet.app import initiatives as ini

    def work(user):
        made = ini.portal_activity(request.app.state.workspace, request.app.state.snap, user,
                                   name[:200], **body.model_dump(),
                                   address=client_address(request))
        return JSONResponse({"id": made["id"]}, status_code=201)
    return await writing(request, lang_of(lang), None, work)


@router.post("/initiative/{name}/activities", include_in_schema=False)

async def activity_form(request: Request, name: str, lang: str = "tr"):
    from kumenet.app import initiatives as ini

    lang = lang_of(lang)
    form = await request.form()

    def work(user):
        ini.portal_activity(request.app.state.workspace, request.app.state.snap, user,
                            name[:200], **{k: str(form.get(k) or "")[:100_000] for k in (
                                "kind", "title", "held_on", "participants", "place",
                                "outcome")}, address=client_address(request))
        return _to_initiative(name, lang, "#record")
    return await writing(request, lang, form.get("csrf_token"), work)
