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
from propgen.errors import EnvironmentProblem, InvalidInput, Problem, PropgenError
from propgen.locales import LOCALES
from propgen.render.pdf_profile import PDF_PROFILES

if TYPE_CHECKING:
    from propgen.document import DocumentKind
    from propgen.render import Format
    from propgen.render.pdf_profile import PdfProfile

_DOC_KINDS = click.Choice(["proposal", "contract"])


def _library(path: Path | None) -> Any:
    from propgen.library import Library, default_library_root

    return Library(path or default_library_root())


library_option = click.option(
    "--library",
    "library_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A library folder (default: $PROPGEN_LIBRARY or the bundled one).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="propgen")
@click.option("--debug", is_flag=True, help="Show tracebacks for every error.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Proposals and contract drafts (DOCX and PDF) from needs records."""
    ctx.obj = {"debug": debug}


def _formats(value: str) -> tuple[Format, ...]:
    from propgen.render import FORMATS

    formats = tuple(f.strip() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise click.BadParameter(f"choose from {', '.join(FORMATS)} (got {value!r})")
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
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder.",
)
@click.option(
    "--format",
    "formats",
    default="docx,pdf",
    show_default=True,
    help="Comma-separated: docx, pdf, html.",
)
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
        )
        for written in result.files.values():
            click.echo(str(written))
        return
    started = time.monotonic()
    batch = [Job(f, out_dir, chosen, kind, allow_draft, library.root, pdf_profile) for f in files]
    outcomes = run_batch(batch, workers, Progress())
    for outcome in outcomes:
        for name in outcome.written:
            click.echo(name)
        for problem in outcome.problems:
            click.echo(f"Error: {problem}", err=True)
    failed = [o for o in outcomes if not o.ok]
    click.echo(
        f"rendered {len(outcomes) - len(failed)} of {len(outcomes)} files in "
        f"{time.monotonic() - started:.1f}s" + (f"; {len(failed)} failed" if failed else ""),
        err=True,
    )
    if failed:
        raise click.exceptions.Exit(2 if all(o.invalid for o in failed) else 1)


def _warn_without_harfbuzz_subset() -> None:
    from propgen.render.libraries import harfbuzz_subset_available

    if not harfbuzz_subset_available():
        click.echo(
            "Warning: HarfBuzz's font subsetter is missing, so PDFs (Chinese ones above "
            "all) render several times slower — install libharfbuzz-subset0 "
            "(apt-get install libharfbuzz-subset0).",
            err=True,
        )


@cli.command()
@click.argument("needs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--allow-draft", is_flag=True, help="Accept draft clauses.")
@library_option
def check(needs: tuple[Path, ...], allow_draft: bool, library_dir: Path | None) -> None:
    """Validate NEEDS files as render would, write nothing, and summarise each deal."""
    from propgen.locale import Formatter
    from propgen.pipeline import check as check_one

    library = _library(library_dir)
    failed = 0
    for path in _expand(needs):
        try:
            checked = check_one(path, library=library, allow_draft=allow_draft)
        except InvalidInput as err:
            failed += 1
            _report(err)
            continue
        record, priced = checked.plan.record, checked.pricing
        fmt = Formatter(record.document.locale, record.document.currency)
        click.echo(
            f"{path}: ok — {record.document.reference}, {record.customer.name}, "
            f"{checked.plan.industry.id}/{record.document.locale}, "
            f"{' + '.join(checked.documents)}"
        )
        click.echo(
            f"  subtotal {fmt.money(priced.subtotal)}  discount "
            f"{fmt.money(priced.discount)}  tax {fmt.money(priced.tax)}  "
            f"total {fmt.money(priced.total)}"
        )
        for step in priced.instalments:
            click.echo(
                f"  instalment {fmt.percent(step.percent):>5} {fmt.money(step.amount)}"
                f"  {step.milestone}"
            )
        for dev in checked.plan.deviations:
            state = (
                f"approved by {dev.approved_by.who} ({dev.approved_by.date})"
                if dev.approved_by
                else f"NEEDS APPROVAL by {dev.approval}"
            )
            click.echo(f"  deviation: {dev.detail} — {state}")
        if not checked.plan.deviations:
            click.echo("  no deviations: no approval needed")
    if failed:
        raise click.exceptions.Exit(2)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the needs record (for editor autocompletion)."""
    from propgen.needs.models import NeedsRecord

    click.echo(
        json.dumps(NeedsRecord.model_json_schema(mode="validation"), indent=2, ensure_ascii=False)
    )


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
        click.echo(text, nl=False)
        return
    if out_file.exists() and not force:
        raise InvalidInput(
            problems=[
                Problem(
                    message="already exists",
                    file=str(out_file),
                    hint="choose another name or pass --force",
                )
            ]
        )
    write_atomic(out_file, text.encode())
    click.echo(str(out_file))


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
    for industry_id in library.industry_ids():
        manifest = library.industry(industry_id).value
        title = manifest.title.get("en-US") or next(iter(manifest.title.values()))
        click.echo(f"{industry_id}: {title} [{', '.join(manifest.locales)}]")
        click.echo(f"  proposal: {', '.join(manifest.proposal.sections)}")
        if manifest.contract:
            click.echo(f"  contract: {', '.join(manifest.contract.clauses)}")


@cli.command()
@click.argument("out_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
def verify(out_dir: Path) -> None:
    """Check the files in OUT_DIR against the hashes in their provenance records."""
    from propgen.output import verify as verify_dir

    results = verify_dir(out_dir)
    if not results:
        raise InvalidInput(
            problems=[
                Problem(
                    message="no provenance records (*.provenance.json) to verify",
                    file=str(out_dir),
                    hint="give the folder `propgen render` wrote to",
                )
            ]
        )
    bad = 0
    for name, status in results:
        click.echo(f"{status:8} {name}")
        bad += status != "ok"
    if bad:
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
            message=f"propgen serve needs its extra ({err.name} is missing): "
            "pip install 'propgen[serve]'"
        ) from err
    run(workspace, host, port, token, _library(library_dir))


@cli.group()
def library() -> None:
    """Work on a library (legal's clauses, industry templates)."""


@library.command("check")
@library_option
def library_check(library_dir: Path | None) -> None:
    """Lint a library: metadata, references, clause status, template variables, samples."""
    import datetime as dt

    from propgen.lint import lint_library

    report = lint_library(_library(library_dir), dt.date.today())
    for problem in report.warnings:
        click.echo(f"Warning: {problem}", err=True)
    if report.errors:
        raise InvalidInput(problems=report.errors)
    click.echo(f"library ok: {report.checked_files} files checked, {len(report.warnings)} warnings")


def _report(err: PropgenError, debug: bool | None = None) -> None:
    """Print ``err`` as ``Error:`` lines, after its traceback under ``--debug``."""
    if debug is None:
        context = click.get_current_context(silent=True)
        debug = bool(context and (context.find_root().obj or {}).get("debug"))
    if debug:
        traceback.print_exception(err)
    problems = getattr(err, "problems", ())
    if problems:
        for problem in problems:
            click.echo(f"Error: {problem}", err=True)
    else:
        click.echo(f"Error: {err}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``propgen`` command; returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        # Without standalone mode click returns the code of an Exit it caught.
        code = cli.main(args=args, prog_name="propgen", standalone_mode=False)
    except click.exceptions.Abort as err:
        if isinstance(err.__cause__, KeyboardInterrupt):  # click's wrapping of Ctrl-C
            click.echo("Interrupted.", err=True)
            return 130
        click.echo("Aborted.", err=True)
        return 1
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except PropgenError as err:
        _report(err, debug)
        return err.exit_code
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except Exception:
        traceback.print_exc()
        click.echo(
            "Error: unexpected failure; please report it with the traceback above.", err=True
        )
        return 1
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
