"""The command line: parse arguments, call the API, report. Nothing else lives here.

Errors are turned into messages and exit codes in one place, :func:`main`:
``2`` for input the user can fix, ``1`` for anything unexpected. A user mistake
never shows a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from propgen import __version__
from propgen.cli_help import LANGUAGE_KEY, Group
from propgen.errors import EnvironmentProblem, InvalidInput, Problem, PropgenError, printable
from propgen.i18n import N_
from propgen.locales import LOCALES
from propgen.render.pdf_profile import PDF_PROFILES

if TYPE_CHECKING:
    import datetime as dt

    from propgen.document import DocumentKind
    from propgen.render import Format
    from propgen.render.pdf_profile import PdfProfile


def _echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print ``text`` with control and escape sequences shown as escapes, never raw."""
    click.echo(printable(text), err=err, nl=nl)


_chosen: dict[str, str] = {}
"""The ``--lang`` given, if any."""

_WORDS = (
    N_("ok"),
    N_("changed"),
    N_("missing"),
    N_("unlisted"),
    N_("not a regular file"),
    N_("interrupted"),
    N_("same"),
    N_("differs"),
    N_("no differences"),
    N_("proposal"),
    N_("contract"),
    N_("approved"),
    N_("draft"),
    N_("retired"),
)
"""Words the CLI prints through ``_t(word)``, listed for the catalogue."""

_NEEDS_EXTRA = N_(
    "propgen {command} needs its extra ({module} is missing): pip install 'propgen[serve]'"
)

EXIT_PENDING_APPROVALS = 3
"""``check --strict``: every record is valid but a deviation still needs approval;
``review``: the edited document has changes someone must approve or review."""


def _language(record_locale: str | None = None) -> str:
    """``--lang``, else the record's locale for output about one record, else the
    environment's (``LANG`` ...)."""
    from propgen.i18n import environment_language

    return _chosen.get("lang") or record_locale or environment_language()


def _t(message: str, language: str | None = None) -> str:
    """``message`` (a catalogue msgid) in ``language`` (default: the CLI's)."""
    from propgen.i18n import translator

    return translator(language or _language())(message)


_DOC_KINDS = click.Choice(["proposal", "contract"])


def _library(path: Path | None) -> Any:
    from propgen.library import Library, default_library_root

    return Library(path or default_library_root())


out_option = click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder.",
)
formats_option = click.option(
    "--format",
    "formats",
    default="docx,pdf",
    show_default=True,
    help="Comma-separated: docx, pdf, html.",
)
library_option = click.option(
    "--library",
    "library_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A library folder (default: $PROPGEN_LIBRARY or the bundled one).",
)


def _remember_language(ctx: click.Context, _param: click.Parameter, lang: str | None) -> str | None:
    """``--lang`` is eager, so a ``--help`` after it is already in that language."""
    if lang:
        ctx.meta[LANGUAGE_KEY] = _chosen["lang"] = lang
    return lang


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="propgen")
@click.option("--debug", is_flag=True, help="Show tracebacks for every error.")
@click.option(
    "--lang",
    type=click.Choice(LOCALES),
    is_eager=True,
    callback=_remember_language,
    help="Message language (default: the record's, else $LANG).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, lang: str | None) -> None:
    """Proposals and contract drafts (DOCX and PDF) from needs records."""
    ctx.obj = {"debug": debug}
    _chosen.clear()
    if lang:
        _chosen["lang"] = lang


def _formats(value: str) -> tuple[Format, ...]:
    from propgen.render import FORMATS

    formats = tuple(f.strip() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise click.BadParameter(
            N_("choose from {options} (got {value!r})").format(
                options=", ".join(FORMATS), value=value
            )
        )
    return cast("tuple[Format, ...]", formats)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """Needs files, with folders expanded to the YAML and JSON files inside."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json"))
            )
        else:
            files.append(path)
    return files


@cli.command()
@click.argument("needs", nargs=-1, required=True, type=click.Path(path_type=Path))
@out_option
@formats_option
@click.option("--only", type=_DOC_KINDS, help="Render only this document.")
@click.option(
    "--allow-draft",
    is_flag=True,
    help="Allow draft clauses; the contract is then marked DRAFT-UNAPPROVED.",
)
@click.option(
    "--pdf-profile",
    type=click.Choice(PDF_PROFILES),
    default="standard",
    show_default=True,
    help="standard; archival: PDF/A-3b with the deal embedded and signature fields; "
    "tagged: PDF/UA-1 for assistive technology.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace outputs made from a different record or version.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes for several files (default: one per core).",
)
@library_option
def render(
    needs: tuple[Path, ...],
    out_dir: Path,
    formats: str,
    only: str | None,
    allow_draft: bool,
    pdf_profile: PdfProfile,
    force: bool,
    jobs: int | None,
    library_dir: Path | None,
) -> None:
    """Render the proposal and contract of each NEEDS file (or folder of them)."""
    import time

    from propgen import parallel

    chosen = _formats(formats)
    files = _expand(needs)
    workers = jobs or parallel.available_cores()
    # The workers' server imports the renderers while this process checks the input.
    if len(files) > 1 and workers > 1:
        parallel.warm_up(parallel.RECORD_PIPELINE)
    elif parallel.renders_pdf_in_workers(workers, chosen):
        parallel.warm_up(parallel.RENDERERS)
    from propgen.batch import Job, Progress, run_batch
    from propgen.pipeline import render as render_one

    library = _library(library_dir)
    if "pdf" in chosen:
        _warn_without_harfbuzz_subset()
    kind = cast("DocumentKind | None", only)
    if len(files) == 1:
        result = render_one(
            files[0],
            out_dir,
            formats=chosen,
            library=library,
            only=kind,
            allow_draft=allow_draft,
            workers=workers,
            pdf_profile=pdf_profile,
            force=force,
        )
        for written in result.files.values():
            _echo(str(written))
        from propgen.review.basis import keep_for_review

        keep_for_review(result.checked, chosen)
        return
    started = time.monotonic()
    batch = [
        Job(f, out_dir, chosen, kind, allow_draft, library.root, pdf_profile, force) for f in files
    ]
    outcomes = run_batch(batch, workers, Progress())
    for outcome in outcomes:
        for name in outcome.written:
            _echo(name)
        for problem in outcome.problems:
            _echo(_t("Error: {problem}").format(problem=problem), err=True)
    failed = [o for o in outcomes if not o.ok]
    summary = _t("rendered {done} of {total} files in {seconds}s").format(
        done=len(outcomes) - len(failed),
        total=len(outcomes),
        seconds=f"{time.monotonic() - started:.1f}",
    )
    if failed:
        summary += _t("; {failed} failed").format(failed=len(failed))
    _echo(summary, err=True)
    if failed:
        raise click.exceptions.Exit(2 if all(o.invalid for o in failed) else 1)


@cli.command()
@click.argument("needs", nargs=-1, required=True, type=click.Path(path_type=Path))
@out_option
@formats_option
@click.option("--allow-draft", is_flag=True, help="Allow draft clauses.")
@library_option
def redline(
    needs: tuple[Path, ...],
    out_dir: Path,
    formats: str,
    allow_draft: bool,
    library_dir: Path | None,
) -> None:
    """Write each NEEDS file's contract as a redline against the standard positions.

    Writes {reference}-contract-redline.docx (Word tracked changes, each by the role
    that must approve it) and .pdf (the same changes, after a summary of deviations).
    """
    from propgen.commit import check_folder, write_all
    from propgen.negotiate.redline import redline_files

    chosen = _formats(formats)
    library = _library(library_dir)
    check_folder(out_dir)
    for path in _expand(needs):
        files = redline_files(path, formats=chosen, library=library, allow_draft=allow_draft)
        write_all(out_dir, files)
        for name in files:
            _echo(str(out_dir / name))


def _warn_without_harfbuzz_subset() -> None:
    from propgen.render.libraries import harfbuzz_subset_available

    if not harfbuzz_subset_available():
        _echo(
            _t(
                "Warning: HarfBuzz's font subsetter is missing, so PDFs (Chinese ones above "
                "all) render several times slower — install libharfbuzz-subset0 "
                "(apt-get install libharfbuzz-subset0)."
            ),
            err=True,
        )


@cli.command()
@click.argument("needs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--allow-draft", is_flag=True, help="Accept draft clauses.")
@click.option(
    "--strict",
    is_flag=True,
    help=f"Exit {EXIT_PENDING_APPROVALS} while a deviation still needs approval (for CI).",
)
@library_option
def check(
    needs: tuple[Path, ...], allow_draft: bool, strict: bool, library_dir: Path | None
) -> None:
    """Validate NEEDS files as render would, write nothing, and summarise each deal.

    Exit codes: 0 valid; 2 invalid input; with --strict, 3 when every record is
    valid but a deviation still needs approval, or its discovery is weak and the
    library's policy says ``weak_discovery: block``.
    """
    from propgen.pipeline import check as check_one

    library = _library(library_dir)
    failed = pending = weak = 0
    for path in _expand(needs):
        try:
            checked = check_one(path, library=library, allow_draft=allow_draft)
        except InvalidInput as err:
            failed += 1
            _report(err, language=_language(_declared_locale(path)))
            continue
        pending += _summarise(path, checked)
        if library.policy.weak_discovery == "block":
            weak += len(checked.plan.warnings)
    if failed:
        raise click.exceptions.Exit(2)
    if strict and weak:
        _echo(
            _t(
                "{count} weak-discovery warning(s) and the policy blocks them "
                "(--strict: exit {code})"
            ).format(count=weak, code=EXIT_PENDING_APPROVALS),
            err=True,
        )
        raise click.exceptions.Exit(EXIT_PENDING_APPROVALS)
    if strict and pending:
        _echo(
            _t("{count} deviation(s) still need approval (--strict: exit {code})").format(
                count=pending, code=EXIT_PENDING_APPROVALS
            ),
            err=True,
        )
        raise click.exceptions.Exit(EXIT_PENDING_APPROVALS)


def _declared_locale(path: Path) -> str | None:
    """The ``document.locale`` a record declares, even when the record is invalid."""
    from propgen.source import SourceError, read_source

    try:
        document = read_source(path).data.get("document")
    except (SourceError, OSError):
        return None
    locale = document.get("locale") if isinstance(document, dict) else None
    return locale if locale in LOCALES else None


def _summarise(path: Path, checked: Any) -> int:
    """Print ``check``'s summary of one valid record; returns the deviations pending."""
    from dataclasses import replace

    from propgen.discovery import value
    from propgen.locale import Formatter

    record, priced = checked.plan.record, checked.pricing
    language = _language(record.document.locale)

    def t(message: str) -> str:
        return _t(message, language)

    fmt = Formatter(record.document.locale, record.document.currency)
    _echo(
        t("{path}: ok — {reference}, {customer}, {industry}/{locale}, {documents}").format(
            path=path,
            reference=record.document.reference,
            customer=record.customer.name,
            industry=checked.plan.industry.id,
            locale=record.document.locale,
            documents=" + ".join(t(kind) for kind in checked.documents),
        )
    )
    _echo(
        t("  subtotal {subtotal}  discount {discount}  tax {tax}  total {total}").format(
            subtotal=fmt.money(priced.subtotal),
            discount=fmt.money(priced.discount),
            tax=fmt.money(priced.tax),
            total=fmt.money(priced.total),
        )
    )
    if priced.has_recurring:
        _echo(
            t("  one-off {one_off}  annual recurring {annual}  TCV {tcv} over {term}").format(
                one_off=fmt.money(priced.one_off_total),
                annual=fmt.money(priced.annual_recurring),
                tcv=fmt.money(priced.tcv),
                term=fmt.count(len(priced.years), "year"),
            )
        )
    if priced.conversion:
        fx = priced.conversion
        _echo(
            t("  priced in {source} at {rate} {currency} as of {date}").format(
                source=fx.source_currency, rate=fx.rate, currency=priced.currency, date=fx.as_of
            )
        )
    for step in priced.instalments:
        share = fmt.percent(step.percent) if step.percent is not None else ""
        milestone = step.milestone or t("contract year {year}").format(year=step.year)
        _echo(
            t("  instalment {percent} {amount}  {milestone}").format(
                percent=f"{share:>5}",
                amount=fmt.money(step.amount),
                milestone=milestone,
            )
        )
    pending = 0
    for dev in checked.plan.deviations:
        detail = _translated(dev.detail, language)
        if dev.approved_by:
            _echo(
                t("  deviation: {detail} — approved by {who} ({date})").format(
                    detail=detail, who=dev.approved_by.who, date=dev.approved_by.date
                )
            )
            continue
        pending += 1
        _echo(
            t("  deviation: {detail} — NEEDS APPROVAL by {role}").format(
                detail=detail, role=dev.approval
            )
        )
        _echo(t("    to approve, add under approvals: {entry}").format(entry=dev.approval_entry()))
    if not checked.plan.deviations:
        _echo(t("  no deviations: no approval needed"))
    for clause in checked.plan.clauses:
        if clause.id in checked.plan.awaiting_approval:
            _echo(
                t(
                    "  clause {clause} {version}: changed since legal approved version "
                    "{approved}; the contract's cover names it until legal re-approves it"
                ).format(clause=clause.id, version=clause.version, approved=clause.approved_version)
            )
    for warning in (*checked.plan.assumptions, *checked.plan.warnings):
        shown = replace(
            warning,
            message=_translated(warning.message, language),
            hint=_translated(warning.hint, language),
        )
        _echo(t("  warning: {warning}").format(warning=shown))
    if not checked.plan.warnings:
        _echo(t("  discovery: every problem is addressed, quantified and resolved"))
    payback = value(checked.plan.record, priced.tcv)
    if payback is not None:
        _echo(
            t(
                "  value: the quantified problems cost {cost} a year; the TCV equals "
                "{months} months of that cost"
            ).format(cost=fmt.money(payback.annual_cost), months=fmt.number(payback.payback_months))
        )
    return pending


def _translated(text: str, language: str) -> str:
    from propgen.i18n import translate_text

    return translate_text(text, language)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the needs record (for editor autocompletion)."""
    from propgen.needs.schema import needs_schema

    _echo(json.dumps(needs_schema(), indent=2, ensure_ascii=False))


@cli.command()
@click.option("--industry", required=True, help="Industry id (see `propgen industries`).")
@click.option("--locale", type=click.Choice(LOCALES), required=True)
@click.option(
    "-o",
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: print).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@library_option
def new(
    industry: str, locale: str, out_file: Path | None, force: bool, library_dir: Path | None
) -> None:
    """Write a commented needs record to start a deal from."""
    import datetime as dt

    from propgen.starter import starter_needs

    text = starter_needs(_library(library_dir), industry, locale, dt.date.today())
    _write_record(text, out_file, force)


def _write_record(text: str, out_file: Path | None, force: bool) -> None:
    """A needs record to stdout, or to a new file (an existing one only with --force)."""
    from propgen.output import write_atomic

    if out_file is None:
        _echo(text, nl=False)
        return
    if out_file.exists() and not force:
        raise InvalidInput(
            problems=[
                Problem(
                    message=N_("already exists"),
                    file=str(out_file),
                    hint=N_("choose another name or pass --force"),
                )
            ]
        )
    write_atomic(out_file, text.encode())
    _echo(str(out_file))


@cli.command("import")
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    required=True,
    help="A mapping file, or the name of one in the library's templates/crm/ "
    "(hubspot, salesforce, fxiaoke).",
)
@click.option(
    "-o",
    "--output",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the record here (default: standard output).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@library_option
def import_(
    export: Path, mapping: str, out_file: Path | None, force: bool, library_dir: Path | None
) -> None:
    """Turn a CRM opportunity EXPORT (JSON) into a needs record."""
    from propgen.crm import import_crm

    mapping_path = Path(mapping)
    if not mapping_path.is_file() and re.fullmatch(r"[a-z0-9-]+", mapping):
        mapping_path = _library(library_dir).root / "templates" / "crm" / f"{mapping}.yaml"
    _write_record(import_crm(mapping_path, export).yaml_text, out_file, force)


@cli.command()
@library_option
def industries(library_dir: Path | None) -> None:
    """List the industry templates with their locales and sections."""
    library = _library(library_dir)
    language = _language()
    for industry_id in library.industry_ids():
        manifest = library.industry(industry_id).value
        title = (
            manifest.title.get(language)
            or manifest.title.get("en-US")
            or next(iter(manifest.title.values()))
        )
        _echo(f"{industry_id}: {title} [{', '.join(manifest.locales)}]")
        _echo(_t("  proposal: {ids}").format(ids=", ".join(manifest.proposal.sections)))
        if manifest.contract:
            _echo(_t("  contract: {ids}").format(ids=", ".join(manifest.contract.clauses)))


@cli.command()
@click.argument("out_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--rebuild",
    "needs",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also re-render this needs record and compare the files byte for byte.",
)
@library_option
def verify(out_dir: Path, needs: Path | None, library_dir: Path | None) -> None:
    """Check the files in OUT_DIR against their provenance records.

    Reports changed, missing and unlisted files (exit 1). With --rebuild, the record's files are
    also compared with a fresh render, which editing the provenance cannot fool.
    """
    from propgen.verify import verify_folder, verify_rebuild

    if needs is None:
        findings = verify_folder(out_dir)
    else:
        findings = verify_rebuild(out_dir, needs, _library(library_dir))
    for finding in findings:
        detail = f"  ({_t(finding.detail)})" if finding.detail else ""
        _echo(f"{_t(finding.status):8} {finding.name}{detail}")
    if not all(finding.ok for finding in findings):
        raise click.exceptions.Exit(1)


@cli.command()
@click.argument(
    "workspace",
    required=False,
    default=".",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--token",
    envvar="PROPGEN_SERVE_TOKEN",
    help="Required on every request (needed off 127.0.0.1); env PROPGEN_SERVE_TOKEN.",
)
@library_option
def serve(
    workspace: Path, host: str, port: int, token: str | None, library_dir: Path | None
) -> None:
    """Open a web workspace over the needs records in WORKSPACE (default: here)."""
    try:
        from propgen.serve.server import serve as run
    except ImportError as err:
        raise EnvironmentProblem(
            message=_NEEDS_EXTRA.format(command="serve", module=err.name)
        ) from err
    run(
        workspace,
        host,
        port,
        token,
        _library(library_dir),
        banner=_t("propgen workspace on {workspace}: {link}"),
    )


@cli.command()
@click.option(
    "--store",
    "store_dir",
    default="propgen-store",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for jobs and output files (content-addressed).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--token",
    envvar="PROPGEN_API_TOKEN",
    help="Bearer token required on every request (needed off 127.0.0.1).",
)
@click.option(
    "--webhook-secret",
    envvar="PROPGEN_WEBHOOK_SECRET",
    default="",
    help="HMAC-SHA256 key for callbacks' Propgen-Signature header.",
)
@click.option(
    "--allow-callback",
    "callback_hosts",
    multiple=True,
    help="A host callbacks may go to (repeatable; default: loopback only).",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes per render's PDFs.")
@click.option("--queue", help="redis://… : send jobs to `propgen worker` processes instead.")
@library_option
def api(
    store_dir: Path,
    host: str,
    port: int,
    token: str | None,
    webhook_secret: str,
    callback_hosts: tuple[str, ...],
    jobs: int | None,
    queue: str | None,
    library_dir: Path | None,
) -> None:
    """Serve the HTTP render API (POST /v1/check, /v1/renders) for CRMs."""
    try:
        import uvicorn

        from propgen.api.app import create_api
        from propgen.api.logs import LOG_CONFIG
        from propgen.serve.server import require_token
    except ImportError as err:
        raise EnvironmentProblem(
            message=_NEEDS_EXTRA.format(command="api", module=err.name)
        ) from err
    from propgen import parallel

    require_token(host, token, "PROPGEN_API_TOKEN")
    app = create_api(
        store_dir,
        library=_library(library_dir),
        token=token,
        secret=webhook_secret.encode(),
        callback_hosts=callback_hosts,
        workers=jobs or parallel.available_cores(),
        queue=queue,
    )
    click.echo(
        _t("propgen api on {url} (store {store})").format(
            url=f"http://{host}:{port}/", store=store_dir.resolve()
        )
    )
    uvicorn.run(app, host=host, port=port, log_config=LOG_CONFIG, server_header=False)


@cli.command()
@click.option("--queue", required=True, help="The Redis URL `propgen api --queue` uses.")
@click.option(
    "--webhook-secret",
    envvar="PROPGEN_WEBHOOK_SECRET",
    default="",
    help="HMAC-SHA256 key for callbacks' Propgen-Signature header.",
)
def worker(queue: str, webhook_secret: str) -> None:
    """Take render jobs from a Redis queue (the API's distributed mode) until stopped."""
    try:
        from propgen.api.queue import work
    except ImportError as err:
        raise EnvironmentProblem(
            message=_NEEDS_EXTRA.format(command="worker", module=err.name)
        ) from err
    work(queue, webhook_secret.encode())


@cli.command()
@click.argument("old", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@library_option
def diff(old: Path, new: Path, library_dir: Path | None) -> None:
    """List what changed between two revisions.

    OLD and NEW are provenance files or needs records. Lists version and dates, every
    price, sections and clauses (positions, versions, text), deviations and approvals.
    """
    from propgen.changes import compare, load_revision

    library = _library(library_dir)
    before, after = load_revision(old, library), load_revision(new, library)
    locale = after.get("locale")
    language = _language(locale if locale in LOCALES else None)
    changes = compare(before, after, language)
    for change in changes:
        _echo(change)
    if not changes:
        _echo(_t("no differences", language))


@cli.command()
@click.argument("edited", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--provenance",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The provenance of the rendered document (default: out/REF.provenance.json).",
)
@click.option(
    "--needs",
    "needs_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The needs record (default: the one the provenance names, found by its sha256).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "html", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--counter",
    "counter_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a counter-redline: EDITED with every unapproved change reverted as "
    "tracked changes.",
)
@click.option(
    "--date",
    "counter_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date of the counter-redline's changes (default: the latest of the "
    "record's document date and the dates EDITED records: its last save, its latest "
    "tracked change).",
)
@library_option
def review(
    edited: Path,
    provenance: Path | None,
    needs_path: Path | None,
    output_format: str,
    counter_path: Path | None,
    counter_date: dt.datetime | None,
    library_dir: Path | None,
) -> None:
    """Review EDITED, a contract (or proposal) DOCX the customer edited.

    Each clause is found again (content control, bookmark, else text similarity) and
    compared with the library's positions filled with the deal's values: unchanged,
    another library position (and who must approve it), new wording (with the diff),
    deleted; new text outside any clause; payment days, liability cap and discount
    checked against the policy again. Writes nothing but the --counter file: EDITED
    with each change still needing approval reverted as tracked changes (author: the
    seller; date: --date, else the latest of the record's date and EDITED's own).

    Exit codes: 0 nothing to approve; 3 something needs approval or review; 2 the
    file cannot be read safely or the record is not found.
    """
    from propgen.library.files import default_library_root
    from propgen.review import review_docx
    from propgen.review.report import as_html, as_json, as_text

    # the folder, not a Library: opened (pydantic and all) only if the basis is not cached
    root = library_dir or default_library_root()
    result = review_docx(edited, library=root, needs=needs_path, provenance=provenance)
    language = _language(result.locale)

    def t(message: str) -> str:
        return _t(message, language)

    if output_format == "json":
        _echo(as_json(result), nl=False)
    elif output_format == "html":
        click.echo(as_html(result, t), nl=False)
    else:
        _echo(as_text(result, t), nl=False)
    if counter_path is not None:
        from propgen.output import write_atomic
        from propgen.review.counter import counter_date as default_date
        from propgen.review.counter import counter_docx

        seller = result.basis.seller if result.basis else "propgen"
        date_iso = counter_date.date().isoformat() if counter_date else default_date(result)
        data = counter_docx(edited, result, author=seller, date_iso=date_iso)
        write_atomic(counter_path, data)
        _echo(str(counter_path), err=True)
    if result.approvals_needed:
        raise click.exceptions.Exit(EXIT_PENDING_APPROVALS)


@cli.group()
def library() -> None:
    """Work on a library (legal's clauses, industry templates)."""


@library.command("show")
@click.argument("industry_ids", nargs=-1)
@click.option("--locale", type=click.Choice(LOCALES), help="Only this locale.")
@library_option
def library_show(
    industry_ids: tuple[str, ...], locale: str | None, library_dir: Path | None
) -> None:
    """The catalogue: per industry and locale, sections (variants, locked, owner),
    clauses (positions, approval roles), SLA tiers and the approval keys check expects."""
    from propgen.catalogue import industry_catalogue

    library = _library(library_dir)
    known = library.industry_ids()
    for industry_id in industry_ids or known:
        if industry_id not in known:
            raise InvalidInput(
                problems=[
                    Problem(
                        message=N_("unknown industry {industry!r}").format(industry=industry_id),
                        field="INDUSTRY",
                        hint=N_("choose from {options}").format(options=", ".join(known)),
                    )
                ]
            )
        manifest = library.industry(industry_id).value
        for loc in [locale] if locale else manifest.locales:
            if loc not in manifest.locales:
                continue
            _print_catalogue(industry_catalogue(library, industry_id, loc))


def _print_catalogue(cat: Any) -> None:
    t = _t
    _echo(f"{cat.id} [{cat.locale}]: {cat.title}")
    _echo(t("  sections (sections[].id; variant: …):"))
    for s in cat.sections:
        flags = [t("locked") if s.locked else "", t("owner {owner}").format(owner=s.owner)]
        if s.variants:
            flags.insert(0, t("variants {names}").format(names=", ".join(s.variants)))
        _echo(f"    {s.id:<24} {s.title}  ({'; '.join(f for f in flags if f)})")
    if cat.clauses:
        _echo(t("  clauses (clauses: {id: position}):"))
        for c in cat.clauses:
            state = [
                t(c.status),
                t("locked") if c.locked else "",
                t("owner {owner}").format(owner=c.owner),
            ]
            _echo(f"    {c.id:<24} {c.title}  ({'; '.join(f for f in state if f)})")
            for p in c.positions:
                needs = t("needs {role}").format(role=p.role) if p.role else t("no approval")
                summary = f" — {p.summary}" if p.summary else ""
                _echo(f"      {p.id:<14} {needs}{summary}")
    for term, values in cat.choices.items():
        listed = ", ".join(f"{value} ({title})" for value, title in values)
        _echo(t("  {term}: {values}").format(term=term, values=listed))
    if cat.approval_keys:
        _echo(t("  approvals[].what keys (what / role / when):"))
        for key, role, when in cat.approval_keys:
            _echo(f"    {key:<36} {role:<18} {_translated(when, _language())}")


@library.command("check")
@library_option
def library_check(library_dir: Path | None) -> None:
    """Lint a library: metadata, references, clause status, template variables, samples."""
    import datetime as dt

    from propgen.lint import lint_library

    report = lint_library(_library(library_dir), dt.date.today())
    for problem in report.warnings:
        _echo(_t("Warning: {problem}").format(problem=_problem_in(problem, _language())), err=True)
    if report.errors:
        raise InvalidInput(problems=report.errors)
    _echo(
        _t("library ok: {files} files checked, {warnings} warnings").format(
            files=report.checked_files, warnings=len(report.warnings)
        )
    )


def _problem_in(problem: Problem, language: str) -> Problem:
    """``problem`` with its message and hint in ``language``."""
    from dataclasses import replace

    return replace(
        problem,
        message=_translated(problem.message, language),
        hint=_translated(problem.hint, language),
    )


def _report(err: PropgenError, debug: bool | None = None, *, language: str | None = None) -> None:
    """Print ``err`` as ``Error:`` lines in ``language`` (default: the CLI's), after
    its traceback under ``--debug``."""
    if debug is None:
        context = click.get_current_context(silent=True)
        debug = bool(context and (context.find_root().obj or {}).get("debug"))
    if debug:
        traceback.print_exception(err)
    language = language or _language()
    problems = getattr(err, "problems", ())
    prefix = _t("Error: {problem}", language)
    if problems:
        for problem in problems:
            _echo(prefix.format(problem=_problem_in(problem, language)), err=True)
    else:
        _echo(prefix.format(problem=_translated(str(err), language)), err=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``propgen`` command; returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    _chosen.clear()
    try:
        # Without standalone mode click returns the code of an Exit it caught.
        code = cli.main(args=args, prog_name="propgen", standalone_mode=False)
    except click.exceptions.Abort as err:
        if isinstance(err.__cause__, KeyboardInterrupt):  # click's wrapping of Ctrl-C
            _echo(_t("Interrupted."), err=True)
            return 130
        _echo(_t("Aborted."), err=True)
        return 1
    except click.ClickException as err:
        from propgen.cli_help import show_error

        show_error(err, _language())
        return err.exit_code
    except PropgenError as err:
        _report(err, debug)
        return err.exit_code
    except KeyboardInterrupt:
        _echo(_t("Interrupted."), err=True)
        return 130
    except Exception:
        traceback.print_exc()
        _echo(_t("Error: unexpected failure; please report it with the traceback above."), err=True)
        return 1
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
