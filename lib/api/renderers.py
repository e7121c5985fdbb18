"""The REST API's renderers beyond JSON: DRF's HTML pages under the site's CSP, and CSV."""

from __future__ import annotations

import base64
import hashlib

from django.utils.html import conditional_escape
from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML pages of the API, under the site's Content-Security-Policy but for this
    response type only: its template floats buttons with style="..." attributes (allowed:
    style attributes run no script) and inlines the code highlighter's <style> (allowed by
    its own hash, not by 'unsafe-inline')."""

    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        update = {"style-src-attr": ["'unsafe-inline'"]}
        if context.get("code_style"):
            text = str(conditional_escape(context["code_style"]))  # as the template writes it
            digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
            update["style-src"] = [f"'sha256-{digest}'"]
        response = renderer_context.get("response")
        if response is not None:
            response._csp_update = update
        return context


class CSVRenderer(renderers.BaseRenderer):
    """``?format=csv``: the catalogue's CSV, which the views stream themselves (the list and
    one measurement); what reaches this renderer is an error, written as its message."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, (bytes, str)):
            return data
        return (data or {}).get("message", "") if isinstance(data, dict) else ""
