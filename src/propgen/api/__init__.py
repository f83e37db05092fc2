"""propgen's HTTP render service for CRMs (``propgen api``): a thin shell over the core.

- :mod:`propgen.api.store` — outputs stored by content hash, jobs, idempotency keys.
- :mod:`propgen.api.jobs` — one job: check and render a record, store its files.
- :mod:`propgen.api.webhooks` — signed callbacks with retries, to allowed hosts only.
- :mod:`propgen.api.queue` — the distributed mode: jobs on a Redis queue (Dramatiq)
  for ``propgen worker`` processes on any number of machines.
- :mod:`propgen.api.app` — the Starlette routes (``/v1/…``, ``/healthz``, ``/readyz``).

Two modes, one code path (:func:`propgen.api.jobs.run_job`): embedded (default — jobs
run in a thread of the API process, rendering with propgen's own PDF workers; nothing
else to install) and distributed (``--queue redis://…``).
"""
