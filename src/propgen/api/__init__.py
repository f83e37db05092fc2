"""propgen's HTTP render service for CRMs (``propgen api``): a thin shell over the core.

- :mod:`propgen.api.store` — outputs stored by content hash, jobs, idempotency keys.
- :mod:`propgen.api.jobs` — one job: check and render a record, store its files.
- :mod:`propgen.api.webhooks` — signed callbacks with retries, to allowed hosts only.
- :mod:`propgen.api.app` — the Starlette routes (``/v1/…``, ``/healthz``, ``/readyz``).

Jobs run embedded, in a thread of the API process that renders with propgen's own
worker pool; nothing else needs installing.
"""
