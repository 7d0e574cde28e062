"""Every API response a test produces is validated against the generated OpenAPI schema.

`install()` (called once from tests/conftest.py) wraps `django.test.Client.request`, which
`rest_framework.test.APIClient` also goes through. For a JSON response under /api/ the checker
finds the operation (path template, method), the response of its status (or `default`; an
undocumented 4xx/5xx is checked against the common `Error` body) and validates the body with
jsonschema. Objects are closed: a key the schema does not name is drift too. A mismatch raises an
AssertionError naming method, path, status, the JSON pointer and the message.

OpenAPI 3.0 schemas are JSON Schema draft 4 plus `nullable`; `to_json_schema` turns `nullable`
into a null alternative and points `$ref`s at one registered resource holding the components.
"""

import datetime
import json
import re
import uuid
from functools import cache

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = "urn:astral:openapi"
SKIPPED_PREFIXES = ("/api/schema", "/api/docs", "/api/redoc")  # the schema and its HTML viewers
METHODS = ("get", "put", "post", "delete", "patch")

state = {"enabled": True}


def _is_datetime(value) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value and parsed.tzinfo is not None


def _is_date(value) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_uuid(value) -> bool:
    if not isinstance(value, str):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("date-time")(_is_datetime)
FORMATS.checks("date")(_is_date)
FORMATS.checks("uuid")(_is_uuid)


def to_json_schema(node):
    """An OpenAPI 3.0 schema object as draft-4 JSON Schema (recursively); objects are closed."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref":
            out[key] = ROOT + value if value.startswith("#") else value
        elif key in ("properties", "patternProperties"):
            out[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key in ("example", "examples", "enum", "default", "required", "discriminator"):
            out[key] = value
        else:
            out[key] = to_json_schema(value)
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if out.pop("nullable", False):
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        elif "type" not in out:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


class Checker:
    def __init__(self, schema: dict):
        self.schema = schema
        components = to_json_schema(schema.get("components", {}))
        resource = Resource.from_contents({"components": components}, default_specification=DRAFT4)
        self.registry = Registry().with_resource(ROOT, resource)
        self.routes = []
        for template, item in schema["paths"].items():
            params = template.count("{")
            pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template.rstrip("/")))
            self.routes.append((params, re.compile(rf"^{pattern}/?$"), template, item))
        self.routes.sort(key=lambda route: route[0])  # literal segments win over {params}
        error = schema.get("components", {}).get("schemas", {}).get("Error")
        self.error_schema = {"$ref": "#/components/schemas/Error"} if error else None
        self.validators: dict[str, jsonschema.Draft4Validator] = {}

    def operation(self, path: str, method: str):
        for _, pattern, template, item in self.routes:
            if pattern.match(path):
                return template, item.get(method.lower())
        return None, None

    def response_schema(self, path: str, method: str, status: int):
        """(what, content) for the documented response: content is the `content` map (maybe
        empty); None when nothing documents this response and it must not be checked."""
        template, operation = self.operation(path, method)
        if operation is not None:
            responses = operation.get("responses", {})
            for key in (str(status), f"{str(status)[0]}XX", "default"):
                if key in responses:
                    return f"{method} {template} {key}", responses[key].get("content", {})
        if template is None and status < 400:
            raise AssertionError(f"{method} {path} → {status}: no path of the OpenAPI schema matches")
        if template is not None and operation is None and status < 400:
            raise AssertionError(f"{method} {path} → {status}: {template} documents no {method}")
        if status >= 400 and self.error_schema:
            return f"common Error body ({method} {template or path} {status})", {
                "application/json": {"schema": self.error_schema}
            }
        if operation is not None:
            raise AssertionError(f"{method} {template} documents no {status} response")
        return None, None

    def validate(self, body, schema: dict, where: str, key: str | None = None) -> None:
        """`key` names the documented response: its validator is built once and reused."""
        validator = self.validators.get(key) if key else None
        if validator is None:
            validator = jsonschema.Draft4Validator(
                to_json_schema(schema), registry=self.registry, format_checker=FORMATS
            )
            if key:
                self.validators[key] = validator
        error = jsonschema.exceptions.best_match(validator.iter_errors(body))
        if error is not None:
            pointer = "/" + "/".join(str(part) for part in error.absolute_path)
            raise AssertionError(
                f"{where}: response does not match the schema at {pointer}: {error.message} "
                f"(schema path: {'/'.join(str(p) for p in error.absolute_schema_path)})"
            )

    def check(self, method: str, path: str, response) -> None:
        if not path.startswith("/api/") or path.startswith(SKIPPED_PREFIXES):
            return
        if method in ("HEAD", "OPTIONS") or getattr(response, "streaming", False):
            return
        status = response.status_code
        where, content = self.response_schema(path, method, status)
        if where is None:
            return
        media = (response.get("Content-Type") or "").split(";")[0].strip()
        label = f"{method} {path} → {status} ({where})"
        if not response.content:
            return
        if content and media not in content:
            raise AssertionError(f"{label}: Content-Type {media!r}, the schema declares {sorted(content)}")
        if media != "application/json" and not media.endswith("+json"):
            return  # a file (CSV, zip): its media type matched, its bytes are not JSON
        if not content:
            raise AssertionError(f"{label}: a JSON body where the schema documents none")
        schema = content[media].get("schema")
        if schema is not None:
            self.validate(json.loads(response.content), schema, label, key=f"{where} {media}")


@cache
def checker() -> Checker:
    from drf_spectacular.generators import SchemaGenerator

    return Checker(SchemaGenerator().get_schema(request=None, public=True))


def install() -> None:
    """Wrap the test client once: every response of Client and APIClient passes `check`."""
    from django.test.client import Client

    original = Client.request
    if getattr(original, "_schema_checked", False):
        return

    def request(self, **request):
        response = original(self, **request)
        if state["enabled"]:
            environ = response.wsgi_request.META if hasattr(response, "wsgi_request") else request
            checker().check(environ["REQUEST_METHOD"], environ["PATH_INFO"], response)
        return response

    request._schema_checked = True
    Client.request = request
