"""The renderers (services.claims.documents, services.links.documents) write exactly what the
schemas document: ClaimSchema, VerdictSchema, LinkSchema and the queue's QueueItemSchema.

The API, webhooks and the export build their answers with the renderers, without
marshmallow; these tests hold them to the schemas: the same fields, nested ones included,
equal to marshmallow's dump of the same objects loaded through the ORM, and valid against
the OpenAPI spec the app serves (types, nullability, enums)."""
from types import SimpleNamespace

import jsonschema_rs
import marshmallow as ma
import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Claim, ClaimLink, Verdict
from factcheck.schemas.claims import ClaimSchema
from factcheck.schemas.links import LinkSchema
from factcheck.schemas.review import QueueItemSchema
from factcheck.schemas.verdicts import VerdictSchema
from tests.api.helpers import (
    BASE_CLAIM,
    CLAIMS,
    LINKS,
    MATCH,
    NEAR_COPY,
    add_appearance,
    add_verdict,
    create_claim,
    get_claim,
    publisher_auth,
)


def marshmallow_dump(claim_id: int) -> dict:
    """What ClaimSchema makes of the claim as the ORM loads it: its own fields, and every
    published verdict of its group as `verdicts`."""
    db.session.remove()
    claim = db.session.get(Claim, claim_id)
    group_verdicts = db.session.scalars(
        select(Verdict).join(Claim, Claim.id == Verdict.claim_id)
        .where(Claim.group_id == claim.group_id, Verdict.status == "published").order_by(Verdict.id)).all()
    fields = {name: getattr(claim, name) for name in ClaimSchema().fields if name != "verdicts"}
    return ClaimSchema().dump(SimpleNamespace(**fields, verdicts=group_verdicts))


def json_schema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema says it."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def validator(client, name: str):
    """A validator for the schema `name` as the served OpenAPI document describes it."""
    spec = client.get("/api/v1/openapi.json").get_json()
    schema = {"$ref": f"#/components/schemas/{name}", "components": json_schema(spec["components"])}
    return jsonschema_rs.Draft202012Validator(schema)


@pytest.fixture
def spec_validator(client):
    return validator(client, "Claim")


def assert_fields(document: dict, schema: ma.Schema, seen: set, path: str = "") -> None:
    """The document has exactly the schema's fields, and so has each nested object it holds;
    `seen` gathers the paths of the nested schemas met (a null or empty list shows none)."""
    assert set(document) == set(schema.fields), f"{path or 'top'}: renderer and schema disagree"
    seen.add(path)
    for name, field in schema.fields.items():
        inner = field.inner if isinstance(field, ma.fields.List) else field
        if isinstance(inner, ma.fields.Nested):
            values = document[name] if isinstance(document[name], list) else [document[name]]
            for value in values:
                if value is not None:
                    assert_fields(value, inner.schema, seen, f"{path}.{name}")


def nested_paths(schema: ma.Schema, path: str = "") -> set:
    paths = {path}
    for name, field in schema.fields.items():
        inner = field.inner if isinstance(field, ma.fields.List) else field
        if isinstance(inner, ma.fields.Nested):
            paths |= nested_paths(inner.schema, f"{path}.{name}")
    return paths


@pytest.fixture
def rich_group(client, auth):
    """Two wordings joined by a confirmed link, with every optional field filled on one
    appearance and left out on another, published, draft and superseded verdicts."""
    original = create_claim(client, auth, BASE_CLAIM, claimant={"name": "Governor Smith"}, appearances=[{
        "url": "https://www.example.com/news/schools", "title": "Schools lose out",
        "published_at": "2026-03-01T09:30:00Z", "outlet": {"name": "Example News"},
        "quote": "cuts funding for every public school", "claimant": {"name": "Governor Smith"},
        "stance": "asserts"}])
    copy = create_claim(client, auth, NEAR_COPY, claimant={"name": "Senator Jones"})
    add_appearance(client, auth, copy["id"], url="https://other.example.org/a", stance="denies")
    add_verdict(client, original["id"], "Mostly False", explanation="Only some schools.",
                url="https://www.politifact.com/factchecks/1/")
    add_verdict(client, copy["id"], "4", site="fullfact.org", rating_value=4, best_rating=5, worst_rating=1)
    add_verdict(client, copy["id"], "True", site="fullfact.org")  # supersedes the "4"
    add_verdict(client, original["id"], "False", site="snopes.com", status="draft")
    return original["id"], copy["id"]


def test_a_claim_reads_as_marshmallow_dumps_it(client, rich_group, spec_validator):
    for claim_id in rich_group:
        document = get_claim(client, claim_id)
        assert document == marshmallow_dump(claim_id)
        spec_validator.validate(document)
    # The group shares its published verdicts: three, the draft left out.
    assert [v["rating"] for v in document["verdicts"]] == ["Mostly False", "4", "True"]
    assert document["verdicts"][1]["superseded_by_id"] == document["verdicts"][2]["id"]


def test_a_bare_claim_reads_as_marshmallow_dumps_it(client, auth, spec_validator):
    claim = create_claim(client, auth, "A claim with nothing else.")
    assert claim == get_claim(client, claim["id"]) == marshmallow_dump(claim["id"])
    assert (claim["claimant"], claim["consensus"], claim["appearances"], claim["verdicts"]) == (None, None, [], [])
    spec_validator.validate(claim)


def test_lists_and_match_answer_with_the_same_documents(client, rich_group, spec_validator):
    documents = {claim_id: get_claim(client, claim_id) for claim_id in rich_group}
    listed = client.get(CLAIMS).get_json()["items"]
    contested = client.get(f"{CLAIMS}/contested").get_json()["items"]
    matched = [item["claim"] for item in client.post(MATCH, json={"text": BASE_CLAIM}).get_json()["items"]]
    assert sorted(c["id"] for c in listed) == sorted(rich_group)
    assert sorted(c["id"] for c in contested) == sorted(rich_group)  # sources and verdicts disagree
    assert len(matched) == 1  # one answer per group
    for document in [*listed, *contested, *matched]:
        assert document == documents[document["id"]]


def test_every_renderer_writes_the_fields_its_schema_documents(client, auth, rich_group):
    """Adding a field to a renderer or to its schema alone fails here."""
    original = rich_group[0]
    shown = {"claim": [get_claim(client, claim_id) for claim_id in rich_group]}
    shown["verdict"] = [client.get(f"/api/v1/verdicts/{v['id']}").get_json()
                        for claim in shown["claim"] for v in claim["verdicts"]]
    shown["link"] = client.get(f"{CLAIMS}/{original}/links").get_json()["items"]
    shown["link"].append(client.get(f"{LINKS}/{shown['link'][0]['id']}").get_json())
    shown["queue"] = client.get(LINKS, query_string={"status": shown["link"][0]["status"]}).get_json()["items"]
    schemas = {"claim": ClaimSchema(), "verdict": VerdictSchema(), "link": LinkSchema(), "queue": QueueItemSchema()}
    for kind, documents in shown.items():
        seen: set = set()
        assert documents, kind
        for document in documents:
            assert_fields(document, schemas[kind], seen)
        assert seen == nested_paths(schemas[kind]), f"{kind}: the fixture leaves a nested object unshown"


def test_verdicts_and_links_read_as_marshmallow_dumps_them(client, auth, rich_group):
    draft = add_verdict(client, rich_group[1], "False", site="snopes.com", status="draft")
    verdict_ids = [v["id"] for v in get_claim(client, rich_group[0])["verdicts"]]
    link_ids = [link["id"] for link in client.get(f"{CLAIMS}/{rich_group[0]}/links").get_json()["items"]]
    answers = {("verdict", i): client.get(f"/api/v1/verdicts/{i}").get_json() for i in verdict_ids}
    answers["verdict", draft["id"]] = client.get(f"/api/v1/verdicts/{draft['id']}",
                                                 headers=publisher_auth("snopes.com")).get_json()
    answers.update({("link", i): client.get(f"{LINKS}/{i}").get_json() for i in link_ids})
    db.session.remove()
    for (kind, id_), answer in answers.items():
        model, schema = {"verdict": (Verdict, VerdictSchema()), "link": (ClaimLink, LinkSchema())}[kind]
        assert answer == schema.dump(db.session.get(model, id_))
    assert answers["verdict", draft["id"]] == draft
    validator(client, "Verdict").validate(draft)
    validator(client, "Link").validate(answers["link", link_ids[0]])
