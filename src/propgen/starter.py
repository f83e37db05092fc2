"""``propgen new``: a commented needs record to start a deal from."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from propgen.confined import read_confined
from propgen.errors import InvalidInput, Problem
from propgen.library.store import Library
from propgen.templating import render_text, sandbox

MAX_STARTER_BYTES = 1024 * 1024


def starter_needs(library: Library, industry_id: str, locale: str, today: dt.date) -> str:
    """The library's starter record for ``locale``, filled in for ``industry_id``.

    Raises:
        InvalidInput: unknown industry, or a locale the industry does not offer.
    """
    try:
        manifest = library.industry(industry_id).value
    except KeyError:
        raise InvalidInput(
            problems=[
                Problem(
                    message=f"unknown industry {industry_id!r}",
                    field="--industry",
                    hint=f"choose from {', '.join(library.industry_ids())}",
                )
            ]
        ) from None
    if locale not in manifest.locales:
        raise InvalidInput(
            problems=[
                Problem(
                    message=f"industry {industry_id!r} has no {locale} templates",
                    field="--locale",
                    hint=f"choose from {', '.join(manifest.locales)}",
                )
            ]
        )
    path = library.templates / "starter" / f"{locale}.yaml"
    source = read_confined(library.root, path, max_bytes=MAX_STARTER_BYTES)
    clauses = manifest.contract.clauses if manifest.contract else []
    context = {
        "industry": industry_id,
        "industry_title": manifest.title.get(locale, industry_id),
        "reference": f"PG-{today:%Y}-0001",
        "today": today.isoformat(),
        "valid_until": (today + dt.timedelta(days=30)).isoformat(),
        "start_date": (today + dt.timedelta(days=30)).isoformat(),
        "sections": ", ".join(manifest.proposal.sections),
        "clauses": ", ".join(clauses),
    }
    return render_text(  # in the sandbox, under the time and memory limits
        sandbox(escape=Markup),
        source.decode("utf-8", "replace"),
        context,
        file=str(path),
        first_line=0,
        field="starter",
    )
