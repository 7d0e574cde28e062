"""The "Export my data" download of the web UI: the same streamed zip as `GET users/me/export`."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from analytics.downloads import export_response


@require_GET
@login_required
def export_my_data(request):
    return export_response(request.user)
