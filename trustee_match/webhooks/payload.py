"""Reading a signed webhook body: JSON, a list, shallow, and nothing the database refuses.

A valid signature says who sent the bytes, not that they are sane; SendGrid sends a list of flat
event objects, so anything deeply nested is refused before (or, past Python's own limit,
while) it is parsed.
"""

from __future__ import annotations

import json
from typing import Any

# A batch is a list of events; an event's deepest part (a category list) is a third level.
MAX_DEPTH = 6


class BadPayload(ValueError):
    """The body is not a batch of events; the message says why, for the 400 answer."""


def load_events(body: bytes) -> list[Any]:
    """The batch in `body`, or BadPayload."""
    try:
        events = json.loads(body)
    except RecursionError:
        raise BadPayload("body is nested too deeply") from None
    except ValueError:
        raise BadPayload("body is not JSON") from None
    if not isinstance(events, list):
        raise BadPayload("body is not a list of events")
    _check_shape(events)
    return events


def _check_shape(events: list[Any]) -> None:
    stack: list[tuple[Any, int]] = [(events, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadPayload("body is nested too deeply")
        if isinstance(value, dict):
            stack.extend((part, depth + 1) for item in value.items() for part in item)
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and "\x00" in value:
            raise BadPayload("body holds a NUL character")
