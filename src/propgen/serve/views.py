"""The web workspace's pages and partial updates (htmx). Each view parses the
request, calls the core (check, render, starter) or the workspace, and renders
a template — nothing here checks, prices or renders a document itself."""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from propgen.errors import InvalidInput, OtherRevision, Problem
from propgen.i18n import translate_text
from propgen.library import Library
from propgen.locales import LOCALES
from propgen.needs.models import currencies
from propgen.serve import form as deal_form
from propgen.serve.catalogue import Catalogue
from propgen.serve.i18n import choose_language, translator
from propgen.serve.preview import Preview, check_data, running_sums
from propgen.serve.security import Guard
from propgen.serve.workspace import DEAL_ID, StaleVersion, UnknownDeal, Workspace, version_of
from propgen.serve.yamlsave import updated_yaml
from propgen.source import SourceError, dotted, read_source

LANGUAGE_COOKIE = "propgen_lang"
_REFERENCE_LINE = re.compile(
    r"^(\s+reference:[ \t]*)(\"<(?:fill in|请填写)[:：][^\"\n]*\"|PG-\d{4}-\d{4}\b)", re.MULTILINE
)
"""The starter's reference line, whose value (a placeholder) the workspace fills in."""


@dataclass
class ServeState:
    """What every view needs; one per app, on ``app.state.serve``."""

    workspace: Workspace
    library: Library
    guard: Guard
    templates: Environment
    scratch: Path
    workers: int = 1
    """Processes rendering a deal's PDFs side by side (``propgen serve``: one per core,
    as ``propgen render`` does)."""
    render_lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    records: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    """Deal id → (file version, its data): each preview request applies the form to
    the file as saved, which is read and parsed again only when it changed."""


def routes() -> list[Route]:
    """The workspace's routes; an API router can be mounted beside them."""
    return [
        Route("/", deals_page, name="deals"),
        Route("/deals", create_deal, methods=["POST"], name="create_deal"),
        Route("/deals/{deal_id}", deal_page, name="deal"),
        Route("/deals/{deal_id}/preview", preview_panel, methods=["POST"], name="preview"),
        Route("/deals/{deal_id}/form", form_rows, methods=["POST"], name="form_rows"),
        Route("/deals/{deal_id}/save", save_deal, methods=["POST"], name="save"),
        Route("/deals/{deal_id}/render", render_deal, methods=["POST"], name="render"),
        Route("/deals/{deal_id}/files/{name}", download, name="download"),
        Route("/deals/{deal_id}/outputs.zip", download_zip, name="zip"),
        Route("/language/{code}", set_language, name="language"),
    ]


# --- helpers ------------------------------------------------------------------------------


def _state(request: Request) -> ServeState:
    state: ServeState = request.app.state.serve
    return state


def _language(request: Request) -> str:
    return choose_language(
        request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language", "")
    )


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = _state(request)
    language = _language(request)
    html = state.templates.get_template(template).render(
        t=translator(language),
        language=language,
        csrf=state.guard.csrf,
        path=request.url.path,
        dotted=dotted,
        **context,
    )
    return HTMLResponse(html, status_code=status)


def _text_data(path: Path) -> dict[str, Any]:
    """A record file as plain data, read by propgen's own (safe) YAML reader."""
    data = read_source(path).data
    assert isinstance(data, dict)
    return data


def _locale_and_currency(data: dict[str, Any]) -> tuple[str, str]:
    document = data.get("document") if isinstance(data.get("document"), dict) else {}
    assert isinstance(document, dict)
    locale = document.get("locale") if document.get("locale") in LOCALES else "en-US"
    currency = document.get("currency")
    currency = currency if isinstance(currency, str) and currency in currencies() else "USD"
    return str(locale), currency


def _formatter(data: dict[str, Any]) -> Any:
    """The record's own formatter: amounts and rates as its documents print them."""
    from propgen.locale import Formatter

    locale, currency = _locale_and_currency(data)
    return Formatter(locale, currency)


def _not_found(request: Request) -> HTMLResponse:
    t = translator(_language(request))
    return _page(request, "message.html", 404, message=t("not_found"))


# --- the deals list -----------------------------------------------------------------------


def _status(state: ServeState, deal_id: str) -> dict[str, Any]:
    """One row of the deals list. The check is cached per file version; whether the
    outputs are current is looked up every time (a render changes it, not the file)."""
    deal = state.workspace.read(deal_id)
    key = (deal_id, deal.version)
    row = state.statuses.get(key)
    if row is None:
        for old in [k for k in state.statuses if k[0] == deal_id]:
            del state.statuses[old]  # an older version of the file
        row = _checked_row(state, deal_id, deal.path)
        state.statuses[key] = row
    status = row["status"]
    if status == "valid" and _rendered_current(state, row["stem"], deal.raw):
        status = "current"
    return {**row, "status": status}


def _checked_row(state: ServeState, deal_id: str, path: Path) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": deal_id,
        "customer": "",
        "industry": "",
        "locale": "",
        "total": "",
        "stem": "",
        "status": "invalid",
    }
    try:
        data = _text_data(path)
    except SourceError:
        return row
    customer = data.get("customer") if isinstance(data.get("customer"), dict) else {}
    document = data.get("document") if isinstance(data.get("document"), dict) else {}
    assert isinstance(customer, dict) and isinstance(document, dict)
    row.update(
        customer=str(customer.get("name", "")),
        industry=str(document.get("industry", "")),
        locale=str(document.get("locale", "")),
    )
    preview = check_data(data, state.library, state.scratch, html=False)
    if preview.checked is not None:
        from propgen.output import safe_name

        row["total"] = _formatter(data).money(preview.checked.pricing.total)
        row["stem"] = safe_name(preview.checked.plan.record.document.reference)
        pending = [d for d in preview.checked.plan.deviations if not d.approved]
        row["status"] = "pending" if pending else "valid"
    return row


def _rendered_current(state: ServeState, stem: str, raw: bytes) -> bool:
    """Whether ``out/`` holds outputs rendered from exactly these file bytes."""
    import json

    path = state.workspace.output(stem, f"{stem}.provenance.json")
    if path is None:
        return False
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))["needs"]["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return bool(recorded == version_of(raw))


def deal_rows(state: ServeState) -> list[dict[str, Any]]:
    """The deals list: every record of the workspace with its status."""
    return [_status(state, deal_id) for deal_id in state.workspace.ids()]


async def deals_page(request: Request) -> Response:
    state = _state(request)
    rows = await run_in_threadpool(deal_rows, state)
    return _page(
        request,
        "deals.html",
        rows=rows,
        industries=state.library.industry_ids(),
        locales=LOCALES,
        today=dt.date.today(),
    )


async def create_deal(request: Request) -> Response:
    from propgen.starter import starter_needs

    state = _state(request)
    t = translator(_language(request))
    posted = await request.form()
    deal_id = str(posted.get("id", "")).strip()
    industry = str(posted.get("industry", ""))
    locale = str(posted.get("locale", ""))
    if not DEAL_ID.fullmatch(deal_id):
        return _page(request, "problems.html", 422, problems=[Problem(message=t("invalid_id"))])
    today = dt.date.today()
    try:
        text = starter_needs(state.library, industry, locale, today)
        # Each deal its own reference, so two deals' outputs never share file names.
        reference = state.workspace.next_reference(today.year)
        text = _REFERENCE_LINE.sub(rf"\g<1>{reference}", text, count=1)
        state.workspace.create(deal_id, text)
    except InvalidInput as err:
        return _page(request, "problems.html", 422, problems=err.problems)
    except FileExistsError:
        return _page(request, "problems.html", 409, problems=[Problem(message=t("exists"))])
    location = request.url_for("deal", deal_id=deal_id).path
    return Response(status_code=201, headers={"HX-Redirect": location, "Location": location})


async def set_language(request: Request) -> Response:
    code = request.path_params["code"]
    target = request.query_params.get("next", "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"
    response = RedirectResponse(target, status_code=303)
    if code in ("en-US", "zh-CN"):
        response.set_cookie(LANGUAGE_COOKIE, code, samesite="strict", httponly=True)
    return response


# --- the editor ---------------------------------------------------------------------------


def _editor(state: ServeState, deal_id: str, data: dict[str, Any], version: str) -> dict[str, Any]:
    """Everything the deal page and its form need."""
    preview = check_data(data, state.library, state.scratch)
    return {
        "deal_id": deal_id,
        "version": version,
        "data": data,
        "panels": deal_form.PANELS,
        "catalogue": Catalogue.of(state.library, data, preview),
        "lookup": deal_form.lookup,
        "shown": deal_form.shown,
        "kept": deal_form.kept,
        "yaml_only": deal_form.yaml_only,
        "Rows": deal_form.Rows,
        **_preview_context(state, data, preview),
    }


def _preview_context(state: ServeState, data: dict[str, Any], preview: Preview) -> dict[str, Any]:
    from propgen.output import safe_name

    fmt = _formatter(data)
    money = fmt.money
    pricing = preview.pricing
    # Problems in the record's language, as `propgen check` prints them for this record.
    locale, _currency = _locale_and_currency(data)
    problems = [
        replace(p, message=translate_text(p.message, locale), hint=translate_text(p.hint, locale))
        for p in preview.problems
    ]
    lines = {str(i): money(line.total) for i, line in enumerate(pricing.lines)} if pricing else {}
    outputs: dict[str, Path] = {}
    if preview.checked is not None:
        outputs = state.workspace.outputs(safe_name(preview.checked.plan.record.document.reference))
    return {
        "preview": preview,
        "pricing": pricing,
        "money": money,
        "percent": fmt.percent,
        "running": running_sums(pricing) if pricing else [],
        "problems": problems,
        "problem_data": [
            {"field": p.field, "message": p.message, "hint": p.hint} for p in problems
        ],
        "in_record_language": lambda text: translate_text(text, locale),
        "line_totals": lines,
        "outputs": outputs,
        "Decimal": Decimal,
    }


async def _deal_data(request: Request) -> tuple[str, Any, FormData, dict[str, Any]] | None:
    """The deal, the posted form, and the record data with the form applied."""
    state = _state(request)
    deal_id = request.path_params["deal_id"]
    try:
        deal = state.workspace.read(deal_id)
        base = _saved_data(state, deal_id, deal.path, deal.version)
    except (UnknownDeal, SourceError):
        return None
    posted = await request.form()
    fields = {k: v for k, v in posted.multi_items() if isinstance(v, str)}
    return deal_id, deal, posted, deal_form.apply_form(base, fields)


def _saved_data(state: ServeState, deal_id: str, path: Path, version: str) -> dict[str, Any]:
    """The deal's file as data (not to be changed: :func:`deal_form.apply_form` copies)."""
    cached = state.records.get(deal_id)
    if cached is not None and cached[0] == version:
        return cached[1]
    data = _text_data(path)
    state.records[deal_id] = (version, data)
    return data


async def deal_page(request: Request) -> Response:
    state = _state(request)
    deal_id = request.path_params["deal_id"]
    try:
        deal = state.workspace.read(deal_id)
        data = _text_data(deal.path)
    except UnknownDeal:
        return _not_found(request)
    except SourceError as err:
        return _page(request, "problems.html", 422, problems=err.problems, standalone=True)
    context = await run_in_threadpool(_editor, state, deal_id, data, deal.version)
    return _page(request, "deal.html", **context)


async def preview_panel(request: Request) -> Response:
    state = _state(request)
    found = await _deal_data(request)
    if found is None:
        return _not_found(request)
    deal_id, _deal, _posted, data = found
    preview = await run_in_threadpool(check_data, data, state.library, state.scratch)
    context = _preview_context(state, data, preview)
    return _page(request, "preview.html", deal_id=deal_id, **context)


async def form_rows(request: Request) -> Response:
    """Add or remove a row, and send the form back with the values as typed."""
    state = _state(request)
    found = await _deal_data(request)
    if found is None:
        return _not_found(request)
    deal_id, _deal, posted, data = found
    rows = deal_form.ROWS.get(request.query_params.get("list", ""))
    action = request.query_params.get("action", "")
    if rows is not None and action == "add":
        deal_form.add_row(data, rows)
    elif action == "approve":  # a pending deviation's approval entry, to be completed
        subject = request.query_params.get("what", "")
        role = request.query_params.get("role", "")
        deal_form.add_approval(data, subject, role)
    elif rows is not None and action == "remove":
        index = request.query_params.get("index", "")
        if index.isdigit():
            deal_form.remove_row(data, rows, int(index))
    version = str(posted.get("_version", ""))
    context = await run_in_threadpool(_editor, state, deal_id, data, version)
    response = _page(request, "form.html", **context)
    return response


async def save_deal(request: Request) -> Response:
    state = _state(request)
    t = translator(_language(request))
    found = await _deal_data(request)
    if found is None:
        return _not_found(request)
    deal_id, deal, posted, data = found
    expected = str(posted.get("_version", ""))
    if expected != deal.version:
        return _page(request, "saved.html", 409, message=t("stale"), ok=False, version=None)
    original = deal.raw.decode("utf-8-sig")
    text = await run_in_threadpool(updated_yaml, original, data)
    if text == original:
        return _page(request, "saved.html", message=t("unchanged"), ok=True, version=deal.version)
    try:
        saved = state.workspace.save(deal_id, expected, text)
    except StaleVersion:
        return _page(request, "saved.html", 409, message=t("stale"), ok=False, version=None)
    return _page(request, "saved.html", message=t("saved"), ok=True, version=saved.version)


async def render_deal(request: Request) -> Response:
    from propgen.output import safe_name
    from propgen.pipeline import render

    state = _state(request)
    t = translator(_language(request))
    deal_id = request.path_params["deal_id"]
    try:
        deal = state.workspace.read(deal_id)
    except UnknownDeal:
        return _not_found(request)
    posted = await request.form()
    if str(posted.get("_version", "")) != deal.version:
        problems = [Problem(message=t("render_unsaved"))]
        return _page(request, "outputs.html", 409, problems=problems, outputs={}, deal_id=deal_id)

    replace = posted.get("_replace") == "1"

    def run() -> Any:
        with state.render_lock:
            return render(
                deal.path,
                state.workspace.out_dir,
                library=state.library,
                force=replace,
                workers=state.workers,
            )

    try:
        rendered = await run_in_threadpool(run)
    except OtherRevision as err:
        return _page(
            request,
            "outputs.html",
            409,
            problems=err.problems,
            outputs=state.workspace.outputs(stem) if (stem := _stem(state, deal_id)) else {},
            deal_id=deal_id,
            version=deal.version,
            offer_replace=True,
            message=t("render_failed"),
        )
    except InvalidInput as err:
        return _page(
            request, "outputs.html", 422, problems=err.problems, outputs={}, deal_id=deal_id
        )
    stem = safe_name(rendered.checked.plan.record.document.reference)
    return _page(
        request,
        "outputs.html",
        outputs=state.workspace.outputs(stem),
        deal_id=deal_id,
        message=t("rendered"),
    )


def _stem(state: ServeState, deal_id: str) -> str | None:
    from propgen.output import safe_name

    try:
        data = _text_data(state.workspace.path(deal_id))
    except (UnknownDeal, SourceError):
        return None
    document = data.get("document")
    reference = document.get("reference") if isinstance(document, dict) else None
    return safe_name(str(reference)) if reference is not None else None


async def download(request: Request) -> Response:
    state = _state(request)
    stem = _stem(state, request.path_params["deal_id"])
    path = state.workspace.output(stem, request.path_params["name"]) if stem else None
    if path is None:
        return _not_found(request)
    return FileResponse(path, filename=path.name, content_disposition_type="attachment")


async def download_zip(request: Request) -> Response:
    state = _state(request)
    stem = _stem(state, request.path_params["deal_id"])
    if stem is None or not state.workspace.outputs(stem):
        return _not_found(request)
    body = await run_in_threadpool(state.workspace.zip_outputs, stem)
    return Response(
        body,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{stem}.zip"'},
    )
