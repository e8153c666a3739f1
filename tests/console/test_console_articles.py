"""The console's article page in a real browser: paste a story, accept and reject its candidates."""
import re

from playwright.sync_api import Page, expect

from tests.api.articles import STORY
from tests.console.test_console import sign_in


def card(page: Page, claim: str):
    return page.locator("[data-candidate]").filter(has=page.get_by_role("heading", name=claim, exact=True))


def test_paste_a_story_then_accept_and_reject_its_candidates(console, context, shoot):
    served, store, _ = console
    page = context.new_page()
    sign_in(page, served, store.desk_a)
    page.get_by_role("link", name="Articles").click()
    page.get_by_label("Article address").fill("https://news.example.com/il20/story")
    page.get_by_label("Title").fill("Israel and Russia to meet after the plane was downed")
    page.get_by_label("Outlet").fill("Example News")
    page.get_by_label("Article text").fill(STORY)
    shoot(page, "articles")
    page.get_by_role("button", name="Analyse").click()
    expect(page.get_by_role("heading", name="Israel and Russia to meet after the plane was downed")).to_be_visible()

    notified = card(page, "Russia was notified of the raid in advance.")
    expect(notified).to_contain_text("Israel · asserts")
    expect(notified).to_contain_text("Israel notified Russia in advance of its airstrike on Latakia.")
    shoot(page, "article")
    notified.get_by_role("button", name="Add to the best match").click()
    expect(page.get_by_role("status").filter(has_text=re.compile(r"accepted as claim \d+"))).to_be_visible()
    expect(card(page, "Russia was notified of the raid in advance.")).to_contain_text("Your newsroom accepted it")

    bolton = "Russia’s move was a “major mistake” that would generate a “significant escalation” of tensions."
    expect(card(page, bolton)).to_contain_text("U.S. National Security Adviser John Bolton · asserts")
    card(page, bolton).get_by_role("button", name="Reject").click()
    expect(card(page, bolton)).to_contain_text("Your newsroom rejected it")
    article_url = page.url.split("#")[0]

    # Desk B decides for itself: Desk A's decisions are not its own.
    other = context.browser.new_context()
    try:
        page_b = other.new_page()
        sign_in(page_b, served, store.desk_b)
        page_b.goto(article_url)
        expect(card(page_b, bolton).get_by_role("button", name="Reject")).to_be_visible()
        card(page_b, bolton).get_by_role("button", name="Accept as a new claim").click()
        expect(card(page_b, bolton)).to_contain_text("Your newsroom accepted it")
    finally:
        other.close()
    page.reload()
    expect(card(page, bolton)).to_contain_text("Your newsroom rejected it")
