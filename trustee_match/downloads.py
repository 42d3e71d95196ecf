"""Files the site hands over for saving, e.g. a person's data (GDPR)."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from werkzeug.wrappers import Response


def json_download(data: dict[str, Any], filename: str) -> Response:
    """A JSON file the browser saves rather than shows."""
    response = current_app.response_class(
        json.dumps(data, indent=2, ensure_ascii=False), mimetype="application/json"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
