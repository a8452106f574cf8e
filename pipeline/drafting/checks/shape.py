"""The genre's shape: what the genre requires of a section, whatever its facts.

The opening ends 「现将……述职如下：」 after saying something, the causes begin 究其原因, the closing
states a resolve for the year ahead, and no section is empty.
"""

from __future__ import annotations

import re

from ...genre import (
    CAUSES,
    CAUSES_START,
    CLOSING_MIN_CHARS,
    CLOSING_RESOLVE,
    CLOSING_START,
    OPENING_END,
    OPENING_MIN_LEAD,
    Part,
)
from ..outline.plan import Section
from .violations import Violation, violation


def genre_violations(text: str, section: Section) -> list[Violation]:
    """What the genre requires of a section's shape."""
    body = text.strip()
    if not body:
        return [violation("genre", key="genre.empty")]
    if section.part == Part.OPENING:
        end = OPENING_END.search(body)
        lead = body[:end.start()].rsplit("。", 1)[0] if end else body
        if not end:
            return [violation("genre", key="genre.opening_end")]
        if len(re.sub(r"\W", "", lead)) < OPENING_MIN_LEAD:
            return [violation("genre", key="genre.opening_lead")]
    if section.part == Part.CLOSING and (len(re.sub(r"\W", "", body)) < CLOSING_MIN_CHARS
                                         or not (CLOSING_START.match(body) or CLOSING_RESOLVE.search(body))):
        return [violation("genre", key="genre.closing")]
    if section.id == CAUSES and not CAUSES_START.match(body):
        return [violation("genre", key="genre.causes")]
    return []


