"""``propgen serve``: a web workspace over a folder of needs records.

An optional extra (``pip install 'propgen[serve]'``): Starlette, uvicorn,
ruamel.yaml. The CLI imports this package only when ``serve`` runs.

Modules: :mod:`~propgen.serve.app` (the ASGI app and its routers),
:mod:`~propgen.serve.views` (pages and partial updates),
:mod:`~propgen.serve.form` (the form ⇄ record data), :mod:`~propgen.serve.preview`
(the core's check and HTML on unsaved data), :mod:`~propgen.serve.workspace`
(records by id, versions, outputs), :mod:`~propgen.serve.yamlsave` (round-trip
saving), :mod:`~propgen.serve.security` (host, token, CSRF, size limits),
:mod:`~propgen.serve.catalogue` (the library's choices), :mod:`~propgen.serve.i18n`.
"""
