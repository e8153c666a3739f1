"""The console in a real browser: what a fact-checker sees and does, by mouse and by keyboard."""
import re

from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from factcheck import settings
from factcheck.extensions import db
from factcheck.models import ApiToken, ClaimLink
from factcheck.models.types import utcnow
from factcheck.services.accounts import tokens
from factcheck.services.verdicts import reviews as verdicts
from tests.console.store import CREW, NOTIFIED, S300, SHIELD, claim_id

TWEET = ("Did Israel warn the Russians before the Latakia strike? https://t.co/x "
         "— Jane Doe (@jdoe) September 24, 2018")


def sign_in(page: Page, served, secret: str) -> None:
    page.goto(served.url("/console/"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("API token").fill(secret)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("^Inbox"))).to_be_visible()


def link_card(page: Page, text: str):
    """The inbox's card of the link whose wordings include `text`."""
    return page.locator("[data-link]").filter(has_text=text)


def test_sign_in_sign_out_and_revoked_tokens(console, browser, context, shoot):
    served, store, app = console
    page = context.new_page()
    page.goto(served.url("/"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shoot(page, "sign-in")
    page.get_by_label("API token").fill("fc_not-a-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("This token is unknown, revoked or expired.")

    sign_in(page, served, store.desk_a)
    expect(page.get_by_text("3 suggested links waiting")).to_be_visible()
    cookie = next(c for c in context.cookies() if c["name"] == "factcheck_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert store.desk_a not in cookie["value"]
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(served.url("/console/contested"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    # Signing out ended the session on the server: a copy of its cookie opens nothing.
    copied = browser.new_context()
    try:
        copied.add_cookies([cookie])
        replayed = copied.new_page()
        replayed.goto(served.url("/console/contested"))
        expect(replayed.get_by_role("heading", name="Sign in")).to_be_visible()
    finally:
        copied.close()

    # A token revoked while signed in ends the session at the next page.
    sign_in(page, served, store.desk_a)
    with app.app_context():
        db.session.execute(update(ApiToken).values(revoked_at=utcnow()))
        db.session.commit()
    page.goto(served.url("/console/contested"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_confirming_a_link_spreads_the_verdict_to_both_wordings(console, context, shoot):
    served, store, app = console
    page = context.new_page()
    sign_in(page, served, store.desk_a)
    card = link_card(page, S300)
    expect(card.locator("mark").first).to_be_visible()  # the words that differ
    expect(card).to_contain_text("Russia will provide Syria with S-300s.")
    shoot(page, "inbox")
    card.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status").filter(has_text="confirmed")).to_be_visible()
    expect(page.get_by_text("2 suggested links waiting")).to_be_visible()
    with app.app_context():
        new_id, seed_id = claim_id(S300), claim_id("Russia will provide Syria")
    page.goto(served.url(f"/console/claims/{new_id}"))
    verdict_rows = page.get_by_role("table", name=re.compile("Every verdict"))
    expect(verdict_rows).to_contain_text("Mostly True")
    wordings = page.get_by_role("region", name="Wordings across outlets")
    expect(wordings.get_by_role("link", name="Russia will provide Syria with S-300s.")).to_be_visible()
    shoot(page, "claim")
    page.goto(served.url(f"/console/claims/{seed_id}"))
    expect(wordings.get_by_role("link", name=S300)).to_be_visible()


def test_a_rejected_link_leaves_the_queue(console, context):
    served, store, _ = console
    page = context.new_page()
    sign_in(page, served, store.desk_a)
    link_card(page, CREW).get_by_role("button", name="Reject").click()
    expect(page.get_by_role("status").filter(has_text="rejected")).to_be_visible()
    expect(page.get_by_text("2 suggested links waiting")).to_be_visible()
    expect(link_card(page, CREW)).to_have_count(0)
    expect(link_card(page, S300)).to_have_count(1)


def test_the_contested_board_shows_who_asserts_and_who_denies(console, context, shoot):
    served, store, _ = console
    page = context.new_page()
    sign_in(page, served, store.reader_a)
    page.get_by_role("link", name="Contested").click()
    shield = page.get_by_role("article").filter(has=page.get_by_role("heading", name=re.compile(SHIELD)))
    expect(shield).to_contain_text("sources assert and deny it")
    sources = shield.get_by_role("listitem")
    expect(sources.filter(has=page.get_by_text("Russia", exact=True))).to_contain_text("Russia asserts")
    expect(sources.filter(has=page.get_by_text("Israel", exact=True))).to_contain_text("Israel denies")
    expect(shield.get_by_role("table")).to_contain_text("Unproven")
    shoot(page, "contested")


def test_checking_a_tweet_finds_the_stored_claim(console, context, shoot):
    served, store, _ = console
    page = context.new_page()
    sign_in(page, served, store.reader_a)
    page.get_by_role("link", name="Check", exact=True).click()
    page.get_by_label("Any text").fill(TWEET)
    page.get_by_role("button", name="Check").click()
    results = page.get_by_role("region", name=re.compile("stored claims? match"))
    expect(results.get_by_role("heading", level=3).first).to_contain_text("Latakia")
    expect(results).to_contain_text("Israel notified Russia in advance of its airstrike on Latakia.")
    shoot(page, "check")


def test_a_verdict_is_drafted_previewed_then_published(console, context, shoot):
    served, store, app = console
    with app.app_context():
        target = claim_id("The Russian plane was downed because of premeditated actions")
    page = context.new_page()
    sign_in(page, served, store.desk_a)
    page.goto(served.url(f"/console/claims/{target}"))
    expect(page.get_by_text("unchecked").first).to_be_visible()
    page.get_by_label("Label, as you publish it").fill("Mostly False")
    expect(page.get_by_text("Normalised score: 0.25 (false)")).to_be_visible()
    page.get_by_label("Draft (your newsroom only)").check()
    page.get_by_role("button", name="Save verdict").click()
    expect(page.get_by_role("status").filter(has_text="saved as draft")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Mostly False")
    expect(row).to_contain_text("draft")
    shoot(page, "verdict-draft")
    row.get_by_role("button", name="Publish “Mostly False”").click()
    expect(page.get_by_role("status").filter(has_text="now published")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Mostly False")).to_contain_text("published")
    expect(page.get_by_text("consensus false")).to_be_visible()


def test_a_form_without_the_csrf_token_is_refused(console, context):
    served, store, app = console
    page = context.new_page()
    sign_in(page, served, store.desk_a)
    card = link_card(page, NOTIFIED)
    action = card.locator("form").get_attribute("action")
    version = card.locator("input[name=version]").get_attribute("value")
    # The signed-in browser's own cookie, but a form from elsewhere: no token, then a wrong one.
    for form in ({"decision": "confirm", "version": version},
                 {"decision": "confirm", "version": version, "csrf_token": "guessed"}):
        response = page.request.post(served.url(action), form=form, max_redirects=0)
        assert response.status == 400
        assert "did not come from this console" in response.text()
    with app.app_context():
        assert {link.status for link in db.session.scalars(select(ClaimLink))} == {"suggested"}


def test_another_newsrooms_drafts_never_render(console, context):
    served, store, app = console
    with app.app_context():
        target = claim_id("Syrian air defenses accidentally")
        desk_b = tokens.authenticate(f"Bearer {store.desk_b}", "test", settings.current())
        verdicts.submit_verdict(target, {"rating": "Pants on Fire", "status": "draft"}, desk_b)
        db.session.remove()
    page = context.new_page()
    sign_in(page, served, store.desk_a)
    page.goto(served.url(f"/console/claims/{target}"))
    expect(page.get_by_role("heading", name="Verdicts")).to_be_visible()
    assert "Pants on Fire" not in page.content()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, served, store.desk_b)
    page.goto(served.url(f"/console/claims/{target}"))
    expect(page.get_by_role("row").filter(has_text="Pants on Fire")).to_contain_text("draft")


def test_review_by_keyboard_alone(console, context):
    served, store, _app = console
    page = context.new_page()
    page.goto(served.url("/console/"))
    expect(page.get_by_label("API token")).to_be_focused()  # focused for typing at once
    page.keyboard.type(store.desk_a)
    page.keyboard.press("Enter")
    expect(page.get_by_text("3 suggested links waiting")).to_be_visible()
    cards = page.locator("[data-link]")
    expect(cards.first).to_be_focused()
    page.keyboard.press("j")
    expect(cards.nth(1)).to_be_focused()
    page.keyboard.press("k")
    expect(cards.first).to_be_focused()
    page.keyboard.press("s")  # skip the best one, reject the second
    expect(cards.nth(1)).to_be_focused()
    second = cards.nth(1).get_by_role("heading").inner_text()
    page.keyboard.press("r")
    expect(page.get_by_text("2 suggested links waiting")).to_be_visible()
    expect(page.get_by_role("heading", name=second)).to_have_count(0)
    expect(cards.first).to_be_focused()  # the page is ready for keys again
    page.keyboard.press("c")  # the best one again, first in the queue
    expect(page.get_by_text("1 suggested link waiting")).to_be_visible()
    # Tab reaches the controls, with a visible focus ring.
    page.keyboard.press("Tab")
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused != "none"


def test_the_pages_fit_a_phone(console, browser, shoot):
    served, store, app = console
    with app.app_context():
        target = claim_id(SHIELD)
    phone = browser.new_context(viewport={"width": 375, "height": 740})
    try:
        page = phone.new_page()
        sign_in(page, served, store.desk_a)
        for name, path in (("inbox", "/console/"), ("contested", "/console/contested"),
                           ("claim", f"/console/claims/{target}"), ("check", "/console/check")):
            page.goto(served.url(path))
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
            shoot(page, f"phone-{name}")
    finally:
        phone.close()
