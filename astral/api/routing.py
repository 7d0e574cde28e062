"""URL patterns exactly as the seeds write them: no trailing slash, but one is accepted too."""

import re

from django.urls import re_path

_PARAM = re.compile(r"<(\w+)>")


def endpoint(route: str, view, name: str):
    """`endpoint("organizations/<org_id>/members", View, "org-members")` → `^…/members/?$`."""
    pattern = _PARAM.sub(lambda m: f"(?P<{m.group(1)}>[^/]+)", route)
    return re_path(rf"^{pattern}/?$", view, name=name)
