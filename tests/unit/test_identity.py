"""When two names, sites or urls are one (factcheck.identity), without an app."""
import pytest

from factcheck.identity import canonical_url, display_name, name_key, normalise_site, site_of, url_key

SAME_ARTICLE = [
    # (as given, as stored)
    ("https://example.com/a", "https://example.com/a"),
    ("http://example.com/a", "https://example.com/a"),
    ("HTTPS://EXAMPLE.com/a", "https://example.com/a"),
    ("https://www.example.com/a", "https://example.com/a"),
    ("https://example.com./a", "https://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:80/a", "https://example.com/a"),
    ("https://example.com/a/", "https://example.com/a"),
    ("https://example.com/a#comments", "https://example.com/a"),
    ("https://user:secret@example.com/a", "https://example.com/a"),
    ("https://example.com/a?utm_source=x&utm_medium=y&UTM_Campaign=z", "https://example.com/a"),
    ("https://example.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&igshid=5&msclkid=6", "https://example.com/a"),
    ("https://example.com/%61", "https://example.com/a"),  # an unreserved character, escaped
    ("https://example.com", "https://example.com/"),
    ("https://example.com/", "https://example.com/"),
    ("https://example.com//", "https://example.com/"),
    ("  https://example.com/a \n", "https://example.com/a"),
    ("https://bücher.example/", "https://xn--bcher-kva.example/"),
    ("https://BÜCHER.example/", "https://xn--bcher-kva.example/"),
    ("https://xn--BCHER-kva.example/", "https://xn--bcher-kva.example/"),
    ("https://ｅｘａｍｐｌｅ.com/a", "https://example.com/a"),  # fullwidth, as UTS 46 maps it
    ("https://faß.de/", "https://xn--fa-hia.de/"),  # IDNA 2008: not fass.de
]
# What a platform adds to a post's address when it is shared or clicked, stripped on its hosts.
PLATFORM_TRACKING = [
    (("https://www.facebook.com/photo/?fbid=860744221529149&set=a.1&opaqueCursor=Abpu-8M&__cft__[0]=AZW6"
      "&__tn__=EH-R"), "https://facebook.com/photo?fbid=860744221529149&set=a.1"),
    ("https://m.facebook.com/story.php?story_fbid=1&id=2&__cft__%5B0%5D=AZ&__xts__%5B0%5D=68.A&mibextid=Nif5oz",
     "https://m.facebook.com/story.php?id=2&story_fbid=1"),
    (("https://www.facebook.com/groups/1/posts/2/?comment_tracking=%7B%22tn%22%3A%22O%22%7D&rdid=Xy&share_url="
      "https%3A%2F%2Fwww.facebook.com%2Fshare%2Fp%2F1&ref=share&sfnsn=mo"), "https://facebook.com/groups/1/posts/2"),
    ("https://fb.watch/abc/?mibextid=w8EBqM", "https://fb.watch/abc"),
    ("https://x.com/someone/status/1266839666889809923?s=20&t=Abc-dEf", "https://x.com/someone/status/1266839666889809923"),
    ("https://twitter.com/someone/status/1?ref_src=twsrc%5Etfw", "https://twitter.com/someone/status/1"),
    ("https://mobile.twitter.com/someone/status/1?s=46", "https://mobile.twitter.com/someone/status/1"),
    ("https://www.instagram.com/p/C1x/?igsh=MWQ1ZGUx&img_index=2", "https://instagram.com/p/C1x?img_index=2"),
    ("https://youtu.be/jA8iEODBe5Q?si=Yx1-abc&t=1368", "https://youtu.be/jA8iEODBe5Q?t=1368"),
    ("https://www.youtube.com/watch?v=jA8iEODBe5Q&feature=share&pp=ygUF&ab_channel=News&list=PL1",
     "https://youtube.com/watch?list=PL1&v=jA8iEODBe5Q"),
    ("https://www.tiktok.com/@someone/video/7311?_r=1&_t=8k&is_from_webapp=1&sender_device=pc&web_id=73",
     "https://tiktok.com/@someone/video/7311"),
]
DIFFERENT_SPELLINGS_KEPT = [
    ("https://example.com/b?id=2&a=1", "https://example.com/b?a=1&id=2"),  # sorted by name
    ("https://example.com/b?a=2&a=1", "https://example.com/b?a=2&a=1"),  # a repeated name keeps its order
    ("https://example.com/b?flag&flag=", "https://example.com/b?flag&flag="),
    ("https://example.com/b?q=a+b&r=a%20b", "https://example.com/b?q=a+b&r=a%20b"),
    ("https://example.com/a%2fb", "https://example.com/a%2Fb"),  # an escaped slash is not a slash
    ("https://example.com/r%c3%a9sum%c3%a9", "https://example.com/r%C3%A9sum%C3%A9"),
    ("https://example.com/résumé", "https://example.com/r%C3%A9sum%C3%A9"),
    ("https://example.com/100%", "https://example.com/100%25"),
    ("https://example.com/a b", "https://example.com/a%20b"),
    ("https://example.com/#!/story/1", "https://example.com/#!/story/1"),  # a route, not an anchor
    ("https://example.com:8443/a/", "https://example.com:8443/a"),
    ("http://example.com:8080/a", "http://example.com:8080/a"),  # another port may serve http alone
    ("https://Example.com/CaseSensitive", "https://example.com/CaseSensitive"),
]


@pytest.mark.parametrize("given, stored", SAME_ARTICLE + PLATFORM_TRACKING + DIFFERENT_SPELLINGS_KEPT)
def test_canonical_url(given, stored):
    assert canonical_url(given) == stored
    assert canonical_url(stored) == stored  # stored urls are their own canonical form


@pytest.mark.parametrize("first, second", [
    ("https://example.com/a", "https://example.com/b"),
    ("https://example.com/a", "https://example.org/a"),
    ("https://example.com/a", "https://news.example.com/a"),
    ("https://example.com/a?id=1", "https://example.com/a?id=2"),
    ("https://example.com/a?ref=1", "https://example.com/a"),  # not a declared tracking parameter
    # A platform's parameters are its own: elsewhere `s`, `t` or `si` may say what is shown.
    ("https://example.com/search?s=vaccines", "https://example.com/search"),
    ("https://example.com/a?si=2", "https://example.com/a"),
    ("https://notx.com/a?t=1", "https://notx.com/a"),
    ("https://youtu.be/jA8iEODBe5Q?t=1368", "https://youtu.be/jA8iEODBe5Q"),  # where the video starts
    ("https://facebook.com/photo.php?fbid=1", "https://facebook.com/photo.php?fbid=2"),
    ("https://instagram.com/p/C1x?img_index=2", "https://instagram.com/p/C1x?img_index=3"),
    ("https://example.com/A", "https://example.com/a"),
    ("https://example.com:8443/a", "https://example.com/a"),
])
def test_different_articles_stay_apart(first, second):
    assert canonical_url(first) != canonical_url(second)


@pytest.mark.parametrize("url", ["ftp://example.com/a", "mailto:a@example.com", "example.com/a", "https:///a",
                                 "https://example.com:99999/a"])
def test_what_is_not_an_http_url_is_refused(url):
    with pytest.raises(ValueError):
        canonical_url(url)


@pytest.mark.parametrize("name", [
    "Reuters", "reuters", "REUTERS", " Reuters ", "Reuters\u200b", "\ufeffReuters", "Reu\u00adters", "Reu\u200dters",
    "Reu\u2060ters", "\u200eReuters\u200f", "ＲＥＵＴＥＲＳ", "Ｒｅｕｔｅｒｓ", "Reuters\u3164",
])
def test_the_spellings_of_a_name_have_one_key(name):
    assert name_key(name) == "reuters"


@pytest.mark.parametrize("name, shown", [
    ("Ｒｅｕｔｅｒｓ\u200b ", "Reuters"),
    ("Dmitry \t\n Peskov", "Dmitry Peskov"),
    ("Dmitry\u00a0Peskov", "Dmitry Peskov"),
    ("Dmitry\u200b \u200bPeskov", "Dmitry Peskov"),
    ("Straße", "Straße"),  # case is kept for display
    ("\u200b\u200c\u200d\ufeff", ""),
])
def test_display_name(name, shown):
    assert display_name(name) == shown


def test_names_equal_after_case_folding_have_one_key():
    assert name_key("STRASSE") == name_key("Straße") == "strasse"
    assert name_key("Dmitry  Peskov") == name_key("dmitry peskov")
    assert name_key("Peskov") != name_key("Peskova")


@pytest.mark.parametrize("site", ["https://www.Bücher.example/", "xn--bcher-kva.example", "WWW.BÜCHER.EXAMPLE.",
                                  "bücher.example/path", "http://bücher.example:8080/x"])
def test_normalise_site(site):
    assert normalise_site(site) == "xn--bcher-kva.example"


def test_an_articles_key_is_one_size_however_long_its_url():
    long = "https://example.com/" + "a" * 8000
    assert len(url_key(long)) == len(url_key("https://example.com/")) == 64
    assert url_key(long) != url_key(long + "b")
    assert url_key(canonical_url("http://www.example.com/a/")) == url_key("https://example.com/a")


def test_the_site_of_a_url_is_its_outlets_domain():
    assert site_of("http://www.Example.COM:8080/a") == normalise_site("example.com") == "example.com"
