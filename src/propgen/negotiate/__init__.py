"""Negotiation: what moved from the library's standard positions.

- :mod:`.diff` — word-level (Latin) / character-level (Chinese) text differences
- :mod:`.tracked` — Word tracked changes (``w:ins`` / ``w:del``) as XML elements
- :mod:`.compare` — two documents compared into one with inserted/deleted inlines
- :mod:`.redline` — a deal's contract redlined against the standard positions
"""
