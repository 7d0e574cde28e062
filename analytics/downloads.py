"""Downloads the API and the pages serve alike (view-level: it builds an HTTP response)."""

from django.http import StreamingHttpResponse

from analytics.selectors.export import export_filename, user_export_chunks


def export_response(user) -> StreamingHttpResponse:
    """The streamed zip of everything the user owns (`GET users/me/export`, "Export my data")."""
    response = StreamingHttpResponse(user_export_chunks(user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(user)}"'
    response["Cache-Control"] = "no-store"
    return response
