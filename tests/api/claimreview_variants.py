"""ClaimReview nodes in the shapes fact-checking sites publish (invented content, real shapes)."""

SITE = "https://verificador.example.org"


def node(slug: str, text: str, label: str = "Falso", **fields) -> dict:
    """A review as a WordPress fact-check plugin writes one."""
    return {"@context": "https://schema.org", "@type": "ClaimReview", "url": f"{SITE}/checks/{slug}/",
            "claimReviewed": text, "datePublished": "2022-09-01",
            "author": {"@type": "Organization", "name": "Verificador", "url": f"{SITE}/"},
            "reviewRating": {"@type": "Rating", "alternateName": label}, **fields}


# name -> the node, as published. The tests say what each must become.
VARIANTS = {
    "empty numbers": node("empty-numbers", "El gobierno eliminará las pensiones en enero", reviewRating={
        "@type": "Rating", "ratingValue": "", "bestRating": "", "worstRating": "", "alternateName": "Falso"}),
    "relative author url": node("relative-author", "Video shows floods in Kolhapur this week", "Misleading",
                                author={"@type": "Organization", "name": "Verificador",
                                        "url": "/author/devesh"}),
    "scheme-less review url": {**node("x", "Vacina contra a gripe causa paralisia facial", "Falso"),
                               "url": "verificador.example.org/noticias/vacina-gripe/",
                               "author": {"@type": "Organization", "name": "Verificador",
                                          "url": "verificador.example.org"}},
    "offset without padding": node("offset", "यह वीडियो कश्मीर में हाल ही में हुई हिंसा का है", "भ्रामक",
                                   datePublished="2020-06-22T12:26:08+5:30"),
    "UTC suffix": node("utc-suffix", "Says the deficit doubled in the last two years", "False",
                       datePublished="2017-03-01 20:30:17 UTC"),
    "claimant list": node("claimants", "Les vaccins contiennent des puces électroniques", "Faux", itemReviewed={
        "@type": "Claim", "author": [{"@type": "Person", "name": "Jean Dupont"},
                                     {"@type": "Person", "name": "Marie Curie"}]}),
    "claim text list": node("text-list", ["Die Regierung plant eine Impfpflicht für Kinder"], "Falsch"),
    "explanation as a number": node("explanation", "Il vaccino altera il DNA", reviewRating={
        "@type": "Rating", "alternateName": "Falso", "ratingExplanation": 3}),
    "inLanguage with an underscore": node("in-language", "Drought is over, says the minister", "Not True",
                                          inLanguage="en_US"),
    "appearances that are not urls": node("appearances", "Video ini menunjukkan banjir di Jakarta kemarin",
                                          "Salah", itemReviewed={"@type": "Claim", "appearance": [
                                              "onde foi dito", {"@type": "CreativeWork", "url": "Facebook"},
                                              {"@type": "CreativeWork", "url": "https://social.example/p/1"}]}),
    "author by @id": {"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "@id": f"{SITE}/#organization", "name": "Verificador", "url": f"{SITE}/"},
        {"@type": "WebPage", "@id": f"{SITE}/checks/by-id/", "name": "A page"},
        {"@type": "ImageObject", "@id": f"{SITE}/#logo", "url": f"{SITE}/logo.png"},
        {**node("by-id", "喝熱水可以殺死新冠病毒", "錯誤"), "author": {"@id": f"{SITE}/#organization"}},
    ]},
    "claim's source in itemReviewed.url": node("item-url", "اللقاح يسبب العقم لدى النساء", "زائف", itemReviewed={
        "@type": "Claim", "url": "https://social.example/posts/42", "datePublished": "2022-08-30"}),
    "HTML entities": node("entities", "Rishi Sunak praises Manmohan Singh&#039;s economy ideas", "False",
                          itemReviewed={"@type": "Claim", "author": {"@type": "Person", "name": "Tom &amp; Jerry"}}),
    "sentence-long label": node("sentence", "Motociclistas se arrodillaron y oraron por Donald Trump",
                                "FALSO: los motociclistas pedían que cese la violencia contra granjeros"),
    "a value, no label": node("value-only", "Beber agua caliente con limón cura el coronavirus", reviewRating={
        "@type": "Rating", "ratingValue": "1", "bestRating": "5", "worstRating": "1"}),
    "an unreadable optional number": node("bad-number", "Messi anunció su retiro del fútbol", "Engañoso",
                                          reviewRating={"@type": "Rating", "alternateName": "Engañoso",
                                                        "ratingValue": "2", "bestRating": "cinco"}),
    "named by its page": {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "@id": f"{SITE}/checks/page-only/", "url": f"{SITE}/checks/page-only/"},
        {key: value for key, value in node("page-only", "Questa foto mostra la folla a Roma ieri", "Fuorviante",
                                           mainEntityOfPage={"@id": f"{SITE}/checks/page-only/"},
                                           author=[{"@type": "Person", "name": "Giulia Rossi"},
                                                   {"@type": "Organization", "name": "Verificador",
                                                    "url": f"{SITE}/"}]).items() if key != "url"},
    ]},
    "a journalist as author": node("journalist", "Foto mostra Lula com traficantes em festa no Rio", "Falso",
                                   author={"@type": "Person", "name": "Clarissa Pacheco",
                                           "url": "/autor/clarissa-pacheco"}),
}

# Google Fact Check Tools' claims:search answer (https://factchecktools.googleapis.com).
GOOGLE_SEARCH = {"claims": [
    {"text": "Windräder töten jährlich Millionen Vögel", "claimant": "Social-Media-Nutzer",
     "claimDate": "2022-03-01T00:00:00Z",
     "claimReview": [{"publisher": {"name": "Faktenprüfer", "site": "faktenpruefer.example.de"},
                      "url": "https://faktenpruefer.example.de/2022/03/windraeder/",
                      "title": "Nein, Windräder töten nicht Millionen Vögel", "reviewDate": "2022-03-04T10:00:00Z",
                      "textualRating": "Irreführend", "languageCode": "de"},
                     {"publisher": {"name": "Prüfstelle", "site": "pruefstelle.example.de"},
                      "url": "https://pruefstelle.example.de/windraeder-voegel",
                      "textualRating": "Falsch", "languageCode": "de"}]},
], "nextPageToken": "CBQ"}
