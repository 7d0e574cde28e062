"""drf-spectacular extensions describing our two authentication schemes."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from astral.api import hostile_input


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.authentication.BearerTokenAuthentication"
    name = "BearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Access token from auth/login or auth/register"}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "organizations.api.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "Organization API key"}


def strip_trailing_slashes(result, generator, request, public):
    """Our routes accept an optional trailing slash; document them as the seeds write them."""
    result["paths"] = {path.rstrip("/") or "/": item for path, item in result["paths"].items()}
    return result


SERVER_ERRORS = {
    "500": "Unexpected error: the body carries details.request_id (never a trace)",
    "503": "SERVICE_UNAVAILABLE: the database cannot be reached; nothing was changed (Retry-After)",
}


def document_server_errors(result, generator, request, public):
    """Every operation may answer 500 or 503, in the error body: say so once, for all of them."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for item in result["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                for code, description in SERVER_ERRORS.items():
                    operation["responses"].setdefault(code, {"description": description, "content": error})
    return result


# What a path segment of astral.api.routing.endpoint() is documented as by drf-spectacular.
_PATH_SEGMENT = "^[^/]+$"


def _text_pattern(schema: dict, forbidden: str, prefix: str = "") -> str:
    """`^[^…]{min,max}$`: the length bounds in the pattern too, so that generators build it directly."""
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    repeat = "*" if (low, high) == (0, None) else f"{{{low},{'' if high is None else high}}}"
    return f"^[^{prefix}{forbidden}]{repeat}$"


def _state_text_rule(schema: dict, forbidden: str) -> None:
    """Give a free-text string schema (no enum, format or pattern of its own) the pattern that
    refuses `forbidden`; walk objects, arrays and combinations. (Property names fall under the
    rule too, but OpenAPI 3.0 has no `propertyNames` to say so.)"""
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and not {"enum", "format", "pattern"} & schema.keys():
        schema["pattern"] = _text_pattern(schema, forbidden)
    elif schema.get("type") == "string" and schema.get("pattern") == _PATH_SEGMENT:
        schema["pattern"] = _text_pattern({**schema, "minLength": 1}, forbidden, prefix="/")
    for child in (*schema.get("properties", {}).values(), schema.get("items"), *schema.get("allOf", ())):
        _state_text_rule(child, forbidden)
    for child in (*schema.get("oneOf", ()), *schema.get("anyOf", ())):
        _state_text_rule(child, forbidden)


def document_control_characters(result, generator, request, public):
    """astral.api.hostile_input's rule, stated where a client (and a fuzzer) reads it: no control
    character in a path or query parameter, none but tab, LF and CR in a request body's strings
    and keys. Only free text gets the pattern: enums, formats and patterns already exclude them."""
    for item in result["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", ()) if isinstance(operation, dict) else ():
                if parameter.get("in") in ("path", "query"):
                    _state_text_rule(parameter.get("schema"), hostile_input.ANY_CONTROL)
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):  # COMPONENT_SPLIT_REQUEST: the request side of each serializer
            _state_text_rule(schema, hostile_input.BODY_CONTROL)
    return result
