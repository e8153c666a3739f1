"""Health, the OpenAPI spec and the offline docs page."""
import re

from tests.api.helpers import PROBLEM_JSON, assert_problem


def test_health(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def _resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        *_, kind, name = node["$ref"].split("/")
        node = spec["components"][kind][name]
    return node


def test_spec_is_openapi_3_with_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/claims"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/claims/{claim_id}"])
    assert "410" in paths["/api/v1/claims/{claim_id}"]["get"]["responses"]
    assert {p["name"] for p in paths["/api/v1/claims/{claim_id}"]["delete"]["parameters"]} >= {"reason", "If-Match"}
    assert "get" in paths["/api/v1/claimants"] and "get" in paths["/api/v1/outlets"]
    assert {p["name"] for p in paths["/api/v1/claims/contested"]["get"]["parameters"]} >= {"order"}
    assert "get" in paths["/api/v1/claims/contested"]
    assert "post" in paths["/api/v1/claims/{claim_id}/appearances"]
    assert "post" in paths["/api/v1/claims/{claim_id}/verdicts"]
    assert "get" in paths["/api/v1/health"]
    list_params = {p["name"] for p in paths["/api/v1/claims"]["get"]["parameters"]}
    filters = {"q", "order", "status", "claimant", "outlet", "category", "since", "until", "limit", "cursor"}
    assert filters <= list_params


def test_spec_documents_problem_json_for_every_error(client):
    spec = client.get("/api/v1/openapi.json").json
    errors = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            for status, response in operation["responses"].items():
                response = _resolve(spec, response)
                if (status.startswith(("4", "5")) or status == "default") and "content" in response:
                    errors += 1
                    assert list(response["content"]) == [PROBLEM_JSON], (path, method, status)
    assert errors > 0
    post = spec["paths"]["/api/v1/claims"]["post"]["responses"]
    for status in ("400", "401", "403", "422"):
        assert PROBLEM_JSON in _resolve(spec, post[status])["content"], status
    not_found = spec["paths"]["/api/v1/claims/{claim_id}"]["get"]["responses"]["404"]
    assert PROBLEM_JSON in _resolve(spec, not_found)["content"]
    unavailable = spec["paths"]["/api/v1/health"]["get"]["responses"]["503"]
    assert list(_resolve(spec, unavailable)["content"]) == [PROBLEM_JSON]


def test_spec_documents_bearer_auth_on_writes_only(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    claims = spec["paths"]["/api/v1/claims"]
    assert claims["post"]["security"] == [{"bearerAuth": []}]
    assert "security" not in claims["get"]
    for path in ("/api/v1/claims/{claim_id}/appearances", "/api/v1/claims/{claim_id}/verdicts"):
        assert spec["paths"][path]["post"]["security"] == [{"bearerAuth": []}]


def test_spec_documents_location_on_create(client):
    spec = client.get("/api/v1/openapi.json").json
    created = spec["paths"]["/api/v1/claims"]["post"]["responses"]["201"]
    assert "Location" in created["headers"]


def test_docs_page_works_offline(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        assert not asset.startswith(("http://", "https://", "//")), asset
    scripts_and_styles = [a for a in assets if a.endswith((".js", ".css"))]
    assert all(a.startswith("/api/v1/docs/assets/") for a in scripts_and_styles), scripts_and_styles
    for asset in scripts_and_styles:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert len(served.data) > 1000
    assert "/api/v1/openapi.json" in html


def test_missing_docs_asset_is_404_problem(client):
    response = client.get("/api/v1/docs/assets/no-such-file.js")
    assert response.status_code == 404
    assert response.mimetype == PROBLEM_JSON


def test_health_is_503_when_the_database_is_unreachable():
    from tests.conftest import make_app

    # Port 1 on loopback: nothing listens, the connection is refused at once.
    app = make_app("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2")
    response = app.test_client().get("/api/v1/health")
    assert assert_problem(response, 503)["detail"] == "The database cannot be reached."
