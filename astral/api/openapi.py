"""drf-spectacular extensions describing our two authentication schemes."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
