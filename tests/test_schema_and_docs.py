"""OpenAPI schema, Swagger UI and ReDoc: generated without warnings, served without any CDN."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

CDN = re.compile(r"""(src|href)=["']https?://""")


def test_schema_generates_and_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in (
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/auth/me",
        "/api/v1/users/me",
        "/api/v1/users/me/integrations/{provider}",
        "/api/v1/organizations",
        "/api/v1/organizations/{org_id}/members",
        "/api/v1/organizations/{org_id}/members/{user_id}",
        "/api/v1/organizations/{org_id}/groups",
        "/api/v1/organizations/{org_id}/groups/{group_id}/members",
        "/api/v1/organizations/{org_id}/groups/{group_id}/members/{user_id}",
        "/api/v1/organizations/{org_id}/api_keys",
    ):
        assert f"{path}:" in text, path


def test_schema_endpoint_documents_security_schemes(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["BearerAuth"].items()
    assert schemes["ApiKeyAuth"]["name"] == "X-API-Key"
    register = schema["paths"]["/api/v1/auth/register"]["post"]
    assert set(register["responses"]) >= {"201", "400", "409"}


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_assets_locally(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert not CDN.search(html), "docs must not load assets from a CDN"
    assert "/static/drf_spectacular_sidecar/" in html
