"""The render service's logs: one JSON object per line, access log included.

``propgen api`` and ``propgen worker`` log through :data:`LOG_CONFIG` (a
:func:`logging.config.dictConfig` dictionary, which uvicorn takes as its
``log_config``): every line is ``{"time", "level", "logger", ...}`` with, for an
access line, ``client``, ``method``, ``path``, ``status``; for propgen's own
events, the event's fields (they are logged as JSON objects).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        line.update(_fields(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    args = record.args
    if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
        client, method, path, http_version, status = args
        return {
            "client": client,
            "method": method,
            "path": path,
            "http": http_version,
            "status": status,
        }
    message = record.getMessage()
    if message.startswith("{"):
        try:
            event = json.loads(message)
        except ValueError:
            pass
        else:
            if isinstance(event, dict):
                return event
    return {"message": message}


LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        name: {"handlers": ["stderr"], "level": "INFO", "propagate": False}
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "propgen", "dramatiq")
    },
}
