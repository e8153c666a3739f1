"""Request helpers shared by the API tests."""
PROBLEM_JSON = "application/problem+json"
CLAIMS = "/api/v1/claims"


def appearance(url: str = "https://www.example.com/news/1", **fields) -> dict:
    return {"url": url, **fields}


def verdict(rating: str, site: str = "politifact.com", name: str | None = None, **fields) -> dict:
    return {"publisher": {"name": name or site, "site": site}, "rating": rating, **fields}


def create_claim(client, auth, text: str = "The moon is made of cheese.", **fields) -> dict:
    response = client.post(CLAIMS, json={"text": text, **fields}, headers=auth)
    assert response.status_code == 201, response.json
    return response.json


def add_appearance(client, auth, claim_id: int, **fields) -> dict:
    response = client.post(f"{CLAIMS}/{claim_id}/appearances", json=appearance(**fields), headers=auth)
    assert response.status_code == 201, response.json
    return response.json


def add_verdict(client, auth, claim_id: int, rating: str, site: str = "politifact.com", **fields) -> dict:
    body = verdict(rating, site, **fields)
    response = client.post(f"{CLAIMS}/{claim_id}/verdicts", json=body, headers=auth)
    assert response.status_code == 201, response.json
    return response.json


def get_claim(client, claim_id: int) -> dict:
    response = client.get(f"{CLAIMS}/{claim_id}")
    assert response.status_code == 200, response.json
    return response.json


def assert_problem(response, status: int, *fields: str) -> dict:
    """An RFC 9457 problem with this status; `fields` must each have messages in `errors`."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == PROBLEM_JSON
    body = response.get_json(force=True)
    assert body["status"] == status
    assert isinstance(body["type"], str) and body["type"]
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    for field in fields:
        assert field in body.get("errors", {}), body
    return body


def walk(client, url: str, **params) -> list[dict]:
    """Every item of a keyset-paginated list, following next_cursor; checks the Link header."""
    items, cursor = [], None
    for _ in range(1000):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(url, query_string=query)
        assert response.status_code == 200, response.json
        body = response.json
        items.extend(body["items"])
        cursor = body["next_cursor"]
        link = response.headers.get("Link")
        if cursor is None:
            assert link is None
            return items
        assert link is not None and link.endswith('>; rel="next"'), link
        assert f"cursor={cursor}" in link
    raise AssertionError("pagination never ended")
