"""Preloaded last by the workers' forkserver (:mod:`propgen.parallel`): when its last
client has gone, the server leaves at once.

Python would otherwise tear down everything the server imported, WeasyPrint above
all, one object at a time, and it does so only after the command itself has exited,
so a caller reading the command's output (a pipe, a script) waits for both in turn.
The server writes no files and its workers are separate processes: there is nothing
to tear down. Imported anywhere else, this module does nothing.
"""

from __future__ import annotations

import atexit
import os
import sys
from multiprocessing import forkserver
from types import FrameType


def _imported_by_the_forkserver() -> bool:
    """Whether this import runs inside :func:`multiprocessing.forkserver.main`."""
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        if frame.f_code is forkserver.main.__code__:
            return True
        frame = frame.f_back
    return False


if _imported_by_the_forkserver():
    atexit.register(os._exit, 0)
