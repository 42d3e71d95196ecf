"""The skills section of a pasted document: a CV's "Skills", a role's "Required skills".

People paste documents rather than fill in fields. When a document has a section whose heading
mentions skills, that section is a sharper summary of the person (or the role) than the prose
around it, and the ranker can compare those sections on their own.

A heading is a Markdown heading (``## Skills``), or a line of its own after a blank line that is
a label ending in a colon (``Key skills and experience:``) or at most four words (``Skills``);
bold markers are ignored.
"""

from __future__ import annotations

import re

_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)(?P<title>.*?)\s*#*\s*$")
_LABEL = re.compile(r"^(?P<title>[A-Za-z][\w &/',-]{0,40}?)\s*[:.]?$")
_MAX_BARE_WORDS = 4
_MAX_SECTION_CHARS = 5_000


def _heading(line: str, after_blank: bool) -> str | None:
    """The lower-cased title if the line is a heading, else None."""
    markdown = _MARKDOWN_HEADING.match(line)
    if markdown:
        return markdown.group("title").strip(" *_:.").lower()
    bare = line.strip().strip("*_").strip()
    label = _LABEL.match(bare)
    if not label:
        return None
    title = label.group("title").strip()
    if after_blank and (bare.endswith(":") or len(title.split()) <= _MAX_BARE_WORDS):
        return title.lower()
    return None


def sections(text: str) -> list[tuple[str, str]]:
    """``(heading, body)`` pairs of a text, in order; text before the first heading is dropped."""
    out: list[tuple[str, str]] = []
    title: str | None = None
    body: list[str] = []
    after_blank = True
    for line in text.splitlines():
        heading = _heading(line, after_blank) if line.strip() else None
        if heading is not None:
            if title is not None:
                out.append((title, "\n".join(body).strip()))
            title, body = heading, []
        elif title is not None:
            body.append(line)
        after_blank = not line.strip()
    if title is not None:
        out.append((title, "\n".join(body).strip()))
    return out


def skills_section(text: str) -> str:
    """The text of every section whose heading mentions skills ("" when there is none).

    >>> skills_section("## Education\\nBSc\\n\\n## Skills\\n- Networking\\n- VMware\\n")
    '- Networking\\n- VMware'
    """
    parts = [body for title, body in sections(text) if "skill" in title and body]
    return "\n".join(parts)[:_MAX_SECTION_CHARS]
