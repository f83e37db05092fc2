"""``propgen library check``: everything legal's CI should refuse to merge.

Checks every file's metadata, that every reference resolves, that no industry
uses a retired clause, that every locale has its text, that every Jinja variable
a template uses exists (static analysis), and finally renders each industry
with its own sample records.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from propgen.context import VARIABLE_TYPES
from propgen.errors import InvalidInput, Problem
from propgen.frozen import data_fields
from propgen.i18n import N_
from propgen.library.models import ClauseFile, Manifest, SectionFile
from propgen.library.store import Library, Loaded
from propgen.locales import LOCALES
from propgen.regions import LOCALE_AUDIENCE, REGIONS, default_region, misfits
from propgen.render.frame_guard import FRAME, frame_problems
from propgen.templating import FILTER_NAMES, FUNCTION_NAMES

_MISSING = {
    "sections": N_("section {item!r} does not exist"),
    "clauses": N_("clause {item!r} does not exist"),
}
_MISFIT = N_(
    "{id!r} names {name}, which does not apply to a customer in {regions} "
    "(the {document} of {sample} rendered for that region)"
)
_MISFIT_EACH = N_(
    "{id!r} names {name}, which does not apply to a customer in {regions} "
    "(the {document} of {sample} rendered for each region)"
)


@dataclass(frozen=True)
class LintReport:
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    checked_files: int


def lint_library(library: Library, today: dt.date) -> LintReport:
    """Lint ``library``; ``today`` decides which review dates are past."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    files: set[Path] = set()

    def guard(action: Any, *args: Any) -> Any:
        try:
            return action(*args)
        except InvalidInput as err:
            errors.extend(err.problems)
        except KeyError:
            return None
        return None

    labels = {loc: guard(library.labels, loc) or {} for loc in LOCALES}
    every_key = set().union(*labels.values())
    # A proposal's own form of a label ("fees" where the contract says its defined
    # "Fees": key@proposal) is given only where the language needs one.
    missing = {
        key
        for per_locale in labels.values()
        for key in every_key - set(per_locale)
        if "@" not in key
    }
    for key in sorted(missing):
        errors.append(
            Problem(
                message=N_("label {key!r} is not given in every locale").format(key=key),
                file=str(library.templates / "labels"),
            )
        )
    for locale, per_locale in labels.items():
        for key in sorted(k for k in per_locale if "@" in k):
            base, _, document = key.partition("@")
            if base not in per_locale or document != "proposal":
                errors.append(
                    Problem(
                        message=N_(
                            "label {key!r} is no proposal form of a label of {locale}"
                        ).format(key=key, locale=locale),
                        file=str(library.templates / "labels" / f"{locale}.yaml"),
                        field=key,
                    )
                )
    for locale in LOCALES:  # the words of a bilingual contract's translated column
        translated = guard(lambda loc=locale: library.labels(loc, translated=True)) or {}
        for key in sorted(set(translated) - set(labels[locale])):
            errors.append(
                Problem(
                    message=N_("translated label {key!r} is not a label of {locale}").format(
                        key=key, locale=locale
                    ),
                    file=str(library.templates / "labels" / "translated" / f"{locale}.yaml"),
                    field=key,
                )
            )
    errors.extend(library.file_problems())  # links leading out, FIFOs, oversized files
    theme = guard(lambda: library.theme_dir)
    if theme is not None and ((theme / FRAME).exists() or (theme / FRAME).is_symlink()):
        errors.extend(frame_problems(theme / FRAME, theme))
    guard(lambda: library.seller)
    policy = guard(lambda: library.policy)
    roles = set(policy.roles) if policy is not None else set()
    guard(lambda: library.info)
    guard(lambda: library.choices)

    for industry_id in library.industry_ids():
        loaded: Loaded[Manifest] | None = guard(library.industry, industry_id)
        if loaded is None:
            continue
        files.add(loaded.source.path)
        manifest = loaded.value
        for item, kind, field in _references(manifest):
            if not library.has(industry_id, kind, item):
                errors.append(
                    Problem(
                        message=_MISSING[kind].format(item=item),
                        file=str(loaded.source.path),
                        line=loaded.source.line_of(field),
                        field=".".join(str(p) for p in field),
                    )
                )
                continue
            getter = library.section if kind == "sections" else library.clause
            item_file: Loaded[Any] | None = guard(getter, industry_id, item)
            if item_file is None:
                continue
            files.add(item_file.source.path)
            _check_locales(item_file, manifest.locales, errors)
            if isinstance(item_file.value, ClauseFile):
                _check_clause_status(item_file, industry_id, today, errors, warnings)
                errors.extend(_check_annexes(item_file, loaded))
        for sample in sorted(library.industry_dir(industry_id).glob("sample.*.yaml")):
            errors.extend(guard(_region_misfits, sample, library) or ())

    folders = [library.snippets] + [library.industry_dir(i) for i in library.industry_ids()]
    for folder in folders:
        for kind, model in (("sections", SectionFile), ("clauses", ClauseFile)):
            for path in sorted((folder / kind).glob("*.yaml")):
                item = guard(library.load, path, model)
                if item is not None:
                    files.add(path)
                    errors.extend(_check_variables(item))
                    errors.extend(_check_roles(item, roles))
                    errors.extend(_check_translations(item))
                    errors.extend(_check_priced(item))
    return LintReport(
        errors=tuple(_unique(errors)), warnings=tuple(_unique(warnings)), checked_files=len(files)
    )


def _check_roles(item: Loaded[Any], roles: set[str]) -> list[Problem]:
    """A clause position's ``approval:`` role must be one the policy declares."""
    if not roles or not isinstance(item.value, ClauseFile):
        return []
    return [
        Problem(
            message=N_("role {role!r} is not declared under roles in policy.yaml").format(
                role=position.approval
            ),
            file=str(item.source.path),
            line=item.source.line_of(("positions", name, "approval")),
            field=f"positions.{name}.approval",
            hint=N_("declared roles: {roles}").format(roles=", ".join(sorted(roles))),
        )
        for name, position in item.value.positions.items()
        if position.approval and position.approval not in roles
    ]


def _check_priced(item: Loaded[Any]) -> list[Problem]:
    """A clause a line can pay for (``priced``) reads those lines (``pays_for``) in
    every text, so none of them calls its service included in the fees while a line
    charges for it; a clause not marked so has no such line to read."""
    if not isinstance(item.value, ClauseFile):
        return []
    priced = item.value.priced
    return [
        Problem(
            message=N_(
                "the clause is priced, but this text does not read the lines that pay for it "
                "(pays_for)"
            )
            if priced
            else N_("this text reads pays_for, but the clause is not marked priced"),
            file=str(item.source.path),
            line=item.source.line_of(where),
            field=".".join(where),
            hint=N_("say how the service is charged when a line prices it")
            if priced
            else N_("add priced: true to the clause"),
        )
        for where, text in _texts(item)
        if ("pays_for" in text) != priced
    ]


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _references(manifest: Manifest) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    for index, section in enumerate(manifest.proposal.sections):
        yield section, "sections", ("proposal", "sections", index)
    if manifest.contract:
        if manifest.contract.recitals:
            yield manifest.contract.recitals, "sections", ("contract", "recitals")
        for index, clause in enumerate(manifest.contract.clauses):
            yield clause, "clauses", ("contract", "clauses", index)
        for index, annex in enumerate(manifest.contract.annexes):
            yield annex, "sections", ("contract", "annexes", index)


def _check_locales(item: Loaded[Any], locales: Sequence[str], errors: list[Problem]) -> None:
    value = item.value
    texts: dict[str, dict[str, str]] = {"title": value.title}
    if isinstance(value, SectionFile):
        if value.text or not value.blocks:
            texts["text"] = value.text
    else:
        for name, position in value.positions.items():
            texts[f"positions.{name}.text"] = position.text
    for field, per_locale in texts.items():
        for locale in locales:
            if not per_locale.get(locale, "").strip():
                errors.append(
                    Problem(
                        message=N_("no {locale} text").format(locale=locale),
                        file=str(item.source.path),
                        line=item.source.line_of(tuple(field.split("."))),
                        field=field,
                    )
                )


def _check_clause_status(
    item: Loaded[ClauseFile],
    industry_id: str,
    today: dt.date,
    errors: list[Problem],
    warnings: list[Problem],
) -> None:
    clause = item.value

    def at(field: str, message: str) -> Problem:
        return Problem(
            message=message,
            file=str(item.source.path),
            line=item.source.line_of((field,)),
            field=field,
        )

    if clause.status == "retired":
        errors.append(
            at(
                "status",
                N_("retired clause is used by industry {industry!r}").format(industry=industry_id),
            )
        )
    elif clause.status == "draft":
        warnings.append(
            at(
                "status",
                N_("draft clause is used by industry {industry!r}").format(industry=industry_id),
            )
        )
    if clause.awaits_approval:
        warnings.append(
            at(
                "approved_version",
                N_(
                    "version {version} awaits legal's re-approval: {who} approved version "
                    "{approved} on {date}"
                ).format(
                    version=clause.version,
                    who=clause.approved_by,
                    approved=clause.approved_version,
                    date=clause.approved_on,
                ),
            )
        )
        warnings[-1] = replace(
            warnings[-1],
            hint=N_(
                "legal re-approves it by setting approved_version to {version} and "
                "approved_by and approved_on to their own approval"
            ).format(version=clause.version),
        )
    if clause.review_by and clause.review_by < today:
        warnings.append(
            at("review_by", N_("review was due on {date}").format(date=clause.review_by))
        )


def _check_annexes(item: Loaded[ClauseFile], manifest: Loaded[Manifest]) -> list[Problem]:
    """What a clause incorporates, the contract attaches."""
    attached = manifest.value.contract.annexes if manifest.value.contract else []
    return [
        Problem(
            message=N_(
                "clause {clause!r} incorporates annex {annex!r}, which the contract does not attach"
            ).format(clause=item.value.id, annex=annex),
            file=str(manifest.source.path),
            line=manifest.source.line_of(("contract",)),
            field="contract.annexes",
            hint=N_("add {annex} to contract.annexes").format(annex=annex),
        )
        for annex in item.value.requires_annexes
        if annex not in attached
    ]


def _texts(item: Loaded[Any]) -> Iterator[tuple[tuple[str, ...], str]]:
    value = item.value
    if isinstance(value, SectionFile):
        if value.when:  # an expression: checked as the template printing it
            yield ("when",), "{{ (" + value.when + "\n) }}"
        for locale, text in value.text.items():
            yield ("text", locale), text
        for name, variant in value.variants.items():
            for locale, text in variant.items():
                yield ("variants", name, locale), text
        if value.translation:
            for locale, text in value.translation.text.items():
                yield ("translation", "text", locale), text
    else:
        for name, position in value.positions.items():
            for locale, text in position.text.items():
                yield ("positions", name, "text", locale), text
            if position.translation:
                for locale, text in position.translation.text.items():
                    yield ("positions", name, "translation", "text", locale), text


def _check_translations(item: Loaded[Any]) -> list[Problem]:
    """A translation for bilingual contracts was approved at the version of the text it
    translates; one left behind when the text moved on would put two different
    versions of a clause side by side (``propgen check`` refuses it too)."""
    value = item.value
    found: list[tuple[tuple[str, ...], Any]] = []
    if isinstance(value, SectionFile):
        found.append((("translation",), value.translation))
    else:
        found += [
            (("positions", n, "translation"), p.translation) for n, p in value.positions.items()
        ]
    return [
        Problem(
            message=N_(
                "translation approved at version {approved}, but the text is at {version}"
            ).format(approved=translation.version, version=value.version),
            file=str(item.source.path),
            line=item.source.line_of((*where, "version")),
            field=".".join((*where, "version")),
            hint=N_("have the translation of this version approved, then set its version"),
        )
        for where, translation in found
        if translation is not None and translation.version != value.version
    ]


_BARE_UNIT = re.compile(
    r"\}\}\s?(?:hour|day|Business Day|business day|week|month|year|installment)s?\b"
)
"""A number printed before a fixed English unit ("{{ n }} days" reads "1 days")."""

_BARE_CHINESE_COUNT = re.compile(
    r"(?<!第)\{\{[^{}]*\}\}\s?(?:个月|个工作日|个小时|小时|日|天|周|个星期|年|期)"
)
"""A value printed before a fixed Chinese unit ("{{ n }}日" reads 提前5日, where a PRC
contract writes 提前五日); an ordinal (第{{ m.week }}周) stays in figures."""

_FIXED_ADDRESS = re.compile("贵(?:司|公司|行|单位|院|校|局|集团)")
"""A form of address written into library text instead of ``{{ customer.you }}``."""


def _check_variables(item: Loaded[Any]) -> list[Problem]:
    """Every name and ``name.attribute`` a template uses must exist in the context."""
    env = jinja2.Environment(autoescape=False)
    problems = []
    for field, text in _texts(item):
        first = item.source.lines.get(field)

        def problem(
            message: str,
            line: int | None,
            field: tuple[str, ...] = field,
            first: int | None = first,
        ) -> Problem:
            at = first + line if first is not None and line else first
            return Problem(
                message=message, file=str(item.source.path), line=at, field=".".join(field)
            )

        english = field[-1].startswith("en")
        for number, line_text in enumerate(text.splitlines()):
            bare = _BARE_UNIT.search(line_text) if english else None
            if bare:
                problems.append(
                    problem(
                        N_(
                            '{found!r} does not agree in number ("1 days"); write {fix} '
                            '("1 day", "140 days")'
                        ).format(found=bare.group(), fix='{{ n | count("day") }}'),
                        number,
                    )
                )
            bare_count = None if english else _BARE_CHINESE_COUNT.search(line_text)
            if bare_count:
                problems.append(
                    problem(
                        N_(
                            "{found!r} prints a count in figures; write {fix} (三十日, "
                            "十二个月: Chinese numerals, as PRC contracts write counts)"
                        ).format(found=bare_count.group(), fix='{{ n | count("day") }}'),
                        number,
                    )
                )
            fixed = _FIXED_ADDRESS.search(line_text)
            if fixed:
                problems.append(
                    problem(
                        N_(
                            "{found} addresses every customer the same way; write {fix} "
                            "(贵司, 贵行, 贵单位 … from the record or industry)"
                        ).format(found=fixed.group(), fix="{{ customer.you }}"),
                        number,
                    )
                )
        try:
            tree = env.parse(text)
        except jinja2.TemplateSyntaxError as err:
            problems.append(
                problem(
                    N_("template syntax error: {reason}").format(reason=err.message), err.lineno
                )
            )
            continue
        local = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
        for name in tree.find_all(nodes.Name):
            if (
                name.ctx == "load"
                and name.name not in local
                and name.name not in VARIABLE_TYPES
                and name.name not in FUNCTION_NAMES
                and name.name != "loop"
            ):
                problems.append(
                    problem(N_("unknown variable {name!r}").format(name=name.name), name.lineno)
                )
        for attr in tree.find_all(nodes.Getattr):
            if isinstance(attr.node, nodes.Name) and attr.node.name in VARIABLE_TYPES:
                owner = VARIABLE_TYPES[attr.node.name]
                if owner is not None and attr.attr not in _attributes(owner):
                    problems.append(
                        problem(
                            N_("{variable} has no field {field!r}").format(
                                variable=attr.node.name, field=attr.attr
                            ),
                            attr.lineno,
                        )
                    )
        for flt in tree.find_all(nodes.Filter):
            if flt.name not in FILTER_NAMES and flt.name not in env.filters:
                problems.append(
                    problem(N_("unknown filter {name!r}").format(name=flt.name), flt.lineno)
                )
    return problems


def _attributes(owner: type) -> set[str]:
    """What a template finds on a context variable: its data fields, nothing else."""
    return set(data_fields(owner))


def _region_misfits(sample: Path, library: Library) -> list[Problem]:
    """Render ``sample`` for every region its locale may be addressed to, and as a
    public body's deal in its own region (so the text written for public buyers is
    rendered too), and report each section or clause that names another region's
    regulation (DORA for a US bank). The record's own words are the record's
    business, not the library's.

    Raises:
        InvalidInput: the sample itself does not render with this library.
    """
    from propgen.document import Section, inline_text, iter_blocks
    from propgen.pipeline import check

    own = sample.read_text(encoding="utf-8", errors="replace")
    as_written = check(sample, library=library, allow_draft=True)
    record = as_written.plan.record
    own_region = record.customer.region or default_region(record.document.locale)
    found: dict[tuple[str, str, str, str], list[str]] = {}
    renders = [
        # the sample as written is already rendered for its own region
        (region, None if region == own_region else region, False)
        for region in LOCALE_AUDIENCE.get(record.document.locale, REGIONS)
    ]
    if record.customer.sector != "public":
        renders.append((own_region, None, True))
    for region, move_to, public_body in renders:
        checked = (
            check(sample, library=library, allow_draft=True, region=move_to, public_body=True)
            if public_body
            else check(sample, library=library, allow_draft=True, region=move_to)
            if move_to
            else as_written
        )
        plan = checked.plan
        planned = [*plan.proposal, *plan.clauses, *plan.annexes]
        files = {text.id: text.file for text in planned if text.file}
        allowed = set(misfits(own, region))
        for kind, document in checked.documents.items():
            for block in document.blocks:
                if not isinstance(block, Section) or block.source_id not in files:
                    continue
                words = "\n".join(
                    inline_text(b.inlines) if hasattr(b, "inlines") else ""
                    for b in iter_blocks(block.blocks)
                )
                words += "\n" + "\n".join(_cell_texts(block))
                for name in misfits(words, region):
                    if name not in allowed:
                        key = (files[block.source_id], block.source_id, name, kind)
                        if region not in found.setdefault(key, []):
                            found[key].append(region)
    return [
        Problem(
            message=(_MISFIT_EACH if len(regions) > 1 else _MISFIT).format(
                id=source_id,
                name=name,
                regions=", ".join(regions),
                document=kind,
                sample=sample.name,
            ),
            file=file,
            field="regions",
            hint=N_(
                "declare the regions it fits (regions: [eu]) or word it by region ({example})"
            ).format(example='{% if customer.region == "eu" %} … {% endif %}'),
        )
        for (file, source_id, name, kind), regions in found.items()
    ]


def _cell_texts(section: Any) -> list[str]:
    from propgen.document import Table, inline_text, iter_blocks

    return [
        inline_text(cell.inlines)
        for block in iter_blocks(section.blocks)
        if isinstance(block, Table)
        for row in (*([block.header] if block.header else []), *block.rows, *block.footer)
        for cell in row.cells
    ]
