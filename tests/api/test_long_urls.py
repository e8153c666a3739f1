"""Where a claim was made, kept however its platform spelt the address: the tracking a platform
adds stripped, and urls longer than 2048 characters stored (issue 19: every itemReviewed.url kept)."""
import base64
import hashlib

import flask_migrate
import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Appearance, Article
from tests.api.claimreview_variants import node
from tests.api.helpers import CLAIMS, appearance, assert_problem, create_claim, get_claim
from tests.cli.test_formats import run, snapshot
from tests.db.conftest import empty_app  # noqa: F401  (a fresh database per test, both engines)

IMPORT = "/api/v1/claimreviews/import"
# A photo as Facebook's web client links it: the photo (fbid) in the set it was opened from
# (an opaque token, as random as Facebook's: one a PostgreSQL index entry could not hold),
# where the viewer was paging, and the click's tracking. Only the first two say which photo.
SET = "basw." + base64.urlsafe_b64encode(b"".join(hashlib.sha256(bytes([n])).digest() for n in range(100))).decode()
STORED = f"https://facebook.com/photo?fbid=860744221529149&set={SET}"


def shared(cursor: str = "Abpu-8M77xMEU9DAsiG", click: str = "AZW6r2kwJlftt0gFsjclZ") -> str:
    """The photo's address as one reader's click gave it."""
    return (f"https://www.facebook.com/photo/?fbid=860744221529149&set={SET}&opaqueCursor={cursor * 40}"
            f"&__cft__[0]={click}&__tn__=EH-R")


def _count(model) -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_urls_are_as_long_as_the_case_needs():
    assert len(STORED) > 4000 and len(shared()) > len(STORED) + 800


def test_two_newsrooms_sharing_one_post_differently_keep_one_article(client, newsrooms):
    a, b = newsrooms
    mine = create_claim(client, a.factchecker, "Tipu Sultan's portrait shows him in a Maratha turban.",
                        appearances=[appearance(shared())])
    theirs = create_claim(client, b.factchecker, "A painting of Tipu Sultan was found in a palace.",
                          appearances=[appearance(shared("Zq9-cursor", "AZother"), stance="asserts")])
    assert mine["appearances"][0]["url"] == theirs["appearances"][0]["url"] == STORED
    assert get_claim(client, mine["id"])["appearances"][0]["url"] == STORED
    assert mine["appearances"][0]["outlet"]["domain"] == "facebook.com"
    assert (_count(Article), _count(Appearance)) == (1, 2)


def test_each_platforms_tracking_is_stripped_through_the_api(client, auth):
    given = {
        "https://x.com/someone/status/1266839666889809923?s=20&t=Abc-dEf": "https://x.com/someone/status/1266839666889809923",
        "https://www.instagram.com/reel/C1x/?igsh=MWQ1ZGUx": "https://instagram.com/reel/C1x",
        "https://youtu.be/jA8iEODBe5Q?si=Yx1-abc&t=1368": "https://youtu.be/jA8iEODBe5Q?t=1368",
        "https://www.tiktok.com/@someone/video/7311?_r=1&_t=8k&is_from_webapp=1": "https://tiktok.com/@someone/video/7311",
        "https://m.facebook.com/story.php?story_fbid=1&id=2&mibextid=Nif5oz&__tn__=%2CO":
            "https://m.facebook.com/story.php?id=2&story_fbid=1",
    }
    claim = create_claim(client, auth, appearances=[appearance(url) for url in given])
    assert [a["url"] for a in claim["appearances"]] == list(given.values())


@pytest.mark.parametrize("length", [2049, 8190])
def test_a_url_longer_than_2048_characters_is_kept(client, auth, length):
    url = "https://example.com/p?q=" + "x" * (length - 24)
    claim = create_claim(client, auth, appearances=[appearance(url)])
    assert claim["appearances"][0]["url"] == url and len(url) == length


@pytest.mark.parametrize("url, message", [
    ("https://example.com/p?q=" + "x" * 8167, "Longer than maximum length 8190."),  # 8191 characters
    ("https://example.com/" + "é" * 2800, "Longer than 8192 characters once percent-encoded."),
    ("https://example.com/" + "x" * 100_000, "Longer than maximum length 8190."),
])
def test_an_absurdly_long_url_is_422(client, auth, url, message):
    response = client.post(CLAIMS, json={"text": "A claim.", "appearances": [appearance(url)]}, headers=auth)
    body = assert_problem(response, 422, "appearances")
    assert message in str(body["errors"]["appearances"])
    assert _count(Article) == 0


def _review(url: str, **item) -> dict:
    return node("tipu", "टीपू सुल्तान की तस्वीर", "झूठ", itemReviewed={
        "@type": "Claim", "datePublished": "2021-07-30", "url": url, **item})


def _import(client, auth, document) -> dict:
    response = client.post(IMPORT, json=document, headers=auth)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def test_an_imported_reviews_long_source_is_kept_and_a_second_import_changes_nothing(client, auth):
    first = _import(client, auth, _review(shared(), firstAppearance={"@type": "CreativeWork",
                                                                     "url": shared("Other-cursor")}))
    assert (first["created"], first["rejected"], first["warnings"]) == (1, [], [])
    (claim,) = client.get(CLAIMS).json["items"]
    assert [a["url"] for a in claim["appearances"]] == [STORED]

    for document in (_review(shared()), _review(shared("Third-cursor", "AZthird"))):
        again = _import(client, auth, document)
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
    assert client.get(CLAIMS).json["items"] == [claim]
    assert _count(Article) == 1

    # As published here, and imported back: the same review.
    (published,) = client.get(f"{CLAIMS}/{claim['id']}/claimreview").json
    assert published["itemReviewed"]["firstAppearance"]["url"] == STORED
    assert [a["url"] for a in published["itemReviewed"]["appearance"]] == [STORED]
    back = _import(client, auth, published)
    assert (back["created"], back["updated"], back["unchanged"], back["rejected"]) == (0, 0, 1, [])
    assert client.get(CLAIMS).json["items"] == [claim]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_then_import_round_trips_a_long_url(app, client, auth, empty_app, tmp_path, fmt):  # noqa: F811
    create_claim(client, auth, "Tipu Sultan's portrait shows him in a Maratha turban.",
                 appearances=[appearance(shared(), stance="asserts")])
    source = snapshot(client)
    path = tmp_path / f"claims.{fmt}"
    run(app, "export-claims", "--format", fmt, str(path))

    with empty_app.app_context():
        flask_migrate.upgrade()
        assert "1 created" in run(empty_app, "import-claims", "--format", fmt, str(path))
        assert snapshot(empty_app.test_client()) == source
        assert "0 created, 0 updated, 1 unchanged" in run(empty_app, "import-claims", "--format", fmt, str(path))
        assert snapshot(empty_app.test_client()) == source
