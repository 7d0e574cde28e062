"""The success envelope of SPEC §3: `{"status": "ok", "data": ...}` (plus optional top-level keys)."""

from rest_framework.response import Response


def ok(data, status: int = 200, headers: dict | None = None, **extra) -> Response:
    return Response({"status": "ok", "data": data, **extra}, status=status, headers=headers)
