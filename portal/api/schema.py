"""The OpenAPI description of what every endpoint can answer besides success: our one error
shape (errors.py) under each status the API really sends, so that clients, the docs page
and schemathesis all know them."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="rows[2].UD_DIAM, reason, ra...")
    row = serializers.IntegerField(required=False, help_text="Row number, counted from 1.")
    code = serializers.CharField()
    message = serializers.CharField()
    severity = serializers.CharField(required=False)


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField(help_text="invalid, row_problems, not_authenticated, ...")
    message = serializers.CharField(help_text="What is wrong and what to do, for a person.")
    errors = ErrorItemSerializer(many=True)


ERRORS = {
    "400": "The request or a row is not valid: each problem names its field (and row).",
    "401": "No token, or a token that is unknown or revoked.",
    "403": "You may not do this (your role, or the object's state for you).",
    "404": "No such object, or not yours to see.",
    "409": "The object's state changed: it does not allow this now.",
    "413": "The request body is too large: send fewer rows.",
    "429": "Too many requests: wait the seconds of Retry-After.",
}
EXAMPLE = OpenApiExample(
    "A row problem",
    value={
        "status": 400,
        "code": "row_problems",
        "message": "1 error(s) must be fixed before submitting.",
        "errors": [
            {
                "row": 2,
                "field": "UD_DIAM",
                "code": "unreadable",
                "message": "'nineteen' is not a number",
                "severity": "error",
            }
        ],
    },
    response_only=True,
    status_codes=["400"],
)


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404", "429"]
        if self.method in ("POST", "PUT"):
            codes += ["409", "413"]
        for code in codes:
            if code not in responses:
                described = OpenApiResponse(
                    ErrorSerializer,
                    description=ERRORS[code],
                    examples=[EXAMPLE] if code == "400" else [],
                )
                responses[code] = self._get_response_for_code(described, code, direction=direction)
        return responses


STRICT_PARAMETERS = {"page", "page_size", "format"}


def empty_filters_are_absent(result, generator, request, public):
    """drf-spectacular postprocessing hook: a filter sent empty (``?instrument=``, as an HTML
    form sends every field) means "no filter", and the schema says so (allowEmptyValue)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "query" and parameter["name"] not in STRICT_PARAMETERS:
                    parameter["allowEmptyValue"] = True
    return result


class TokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes our personal tokens (registered by being defined: this module
    is the DEFAULT_SCHEMA_CLASS's, imported before any schema is generated)."""

    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: a personal token from /accounts/tokens/.",
        }
