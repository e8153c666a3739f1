"""Rating labels in the languages fact-checkers publish in (factcheck.ratings, no app)."""
import pytest

from factcheck import ratings
from factcheck.ratings import normalise_rating


def category(label: str, **kwargs) -> str:
    result = normalise_rating(label, **kwargs)
    assert result.known or result.category == "other"
    return result.category


# Per language: labels as publishers print them, false / misleading / true / half-true /
# no evidence / satire and their kin.
LABELS = {
    "es": [("Falso", "false"), ("Engañoso", "mixed"), ("Verdadero", "true"), ("Verdad a medias", "mixed"),
           ("Sin evidencia", "unverifiable"), ("Sátira", "other"), ("Bulo", "false"),
           ("Mayormente falso", "false"), ("Sacado de contexto", "mixed"), ("Inchequeable", "unverifiable")],
    "pt": [("Falso", "false"), ("Enganoso", "mixed"), ("Verdadeiro", "true"), ("Meia verdade", "mixed"),
           ("Sem provas", "unverifiable"), ("Sátira", "other"), ("Distorcido", "mixed"),
           ("Fora de contexto", "mixed"), ("Boato", "false")],
    "fr": [("Faux", "false"), ("Trompeur", "mixed"), ("Vrai", "true"), ("Partiellement vrai", "mixed"),
           ("Non prouvé", "unverifiable"), ("Satire", "other"), ("Plutôt faux", "false"),
           ("Manque de contexte", "mixed"), ("C’est plus compliqué", "mixed")],
    "de": [("Falsch", "false"), ("Irreführend", "mixed"), ("Richtig", "true"), ("Halbwahr", "mixed"),
           ("Unbelegt", "unverifiable"), ("Satire", "other"), ("Größtenteils falsch", "false"),
           ("Fehlender Kontext", "mixed"), ("Frei erfunden", "false")],
    "it": [("Falso", "false"), ("Fuorviante", "mixed"), ("Vero", "true"), ("Parzialmente vero", "mixed"),
           ("Non dimostrato", "unverifiable"), ("Satira", "other"), ("Bufala", "false"),
           ("Senza contesto", "mixed")],
    "hi": [("ग़लत", "false"), ("भ्रामक", "mixed"), ("सच", "true"), ("आधा सच", "mixed"),
           ("अपुष्ट", "unverifiable"), ("व्यंग्य", "other"), ("फ़र्ज़ी", "false"), ("फर्जी", "false")],
    "ar": [("زائف", "false"), ("مضلل", "mixed"), ("صحيح", "true"), ("نصف صحيح", "mixed"),
           ("غير مؤكد", "unverifiable"), ("ساخر", "other"), ("مُضَلِّل", "mixed"), ("صحيح جزئياً", "mixed")],
    "zh": [("錯誤", "false"), ("错误", "false"), ("誤導", "mixed"), ("正確", "true"), ("半真半假", "mixed"),
           ("證據不足", "unverifiable"), ("諷刺", "other"), ("部分錯誤", "mixed"), ("事實釐清", "other")],
    "id": [("Salah", "false"), ("Menyesatkan", "mixed"), ("Benar", "true"), ("Sebagian benar", "mixed"),
           ("Tidak terbukti", "unverifiable"), ("Satire", "other"), ("Hoaks", "false"), ("Keliru", "false")],
}


@pytest.mark.parametrize("language, label, expected",
                         [(language, label, expected) for language, rows in LABELS.items()
                          for label, expected in rows])
def test_labels_in_each_language(language, label, expected):
    assert category(label) == expected, (language, label)


def test_every_language_of_the_table_is_tested():
    assert set(LABELS) <= set(ratings.WORDINGS)
    for language, wordings in ratings.WORDINGS.items():
        for level, labels in wordings.items():
            for label in labels:
                assert normalise_rating(label).category == level.category, (language, label)


@pytest.mark.parametrize("label", ["FALSO", "falso", "ENGAÑOSO", "enganoso", "Engañoso.", "  faux ",
                                   "IRREFUHREND", "Irreführend", "fuorviante!", "FAUX", "Plutot faux"])
def test_case_and_accents_do_not_matter(label):
    assert normalise_rating(label).known


@pytest.mark.parametrize("label, expected", [
    ("FALSO: el video es de 2019 y no muestra las protestas de ayer", "false"),
    ("Falso. La foto fue tomada en Chile", "false"),
    ("Engañoso, porque mezcla datos de dos años", "mixed"),
    ("sesat - video yang benar namun narasi salah", "mixed"),
    ("Verdadero, pero el dato es de 2019", "true"),
    ("Sebagian benar - pernyataan KPK tentang kebocoran anggaran", "mixed"),
    ("錯誤：影片是舊的", "false"),
    ("False. The photo was taken in 2015.", "false"),
    ("Mostly false: the figure was doubled", "false"),
])
def test_a_sentence_long_label_is_read_by_its_leading_verdict_words(label, expected):
    assert category(label) == expected


def test_a_label_whose_verdict_word_is_not_leading_stays_unknown():
    assert normalise_rating("Es un video de 2019, no de ayer").known is False
    assert normalise_rating("Not really, charts say").known is False


@pytest.mark.parametrize("label", ["Engañoso", "Falso", "錯誤", "Faux", "Falsch", "FALSO: el video es viejo",
                                   "Misleading", "Verdad a medias"])
@pytest.mark.parametrize("numbers", [
    {"rating_value": 1, "best_rating": 5, "worst_rating": 1},
    {"rating_value": 5, "best_rating": 5, "worst_rating": 1},
    {"rating_value": "", "best_rating": "", "worst_rating": ""},
])
def test_the_same_label_gets_the_same_category_with_or_without_numbers(label, numbers):
    assert normalise_rating(label, **numbers) == normalise_rating(label)


def test_misleading_is_the_same_verdict_in_every_language():
    misleading = normalise_rating("Misleading")
    for label in ("Engañoso", "Enganoso", "Trompeur", "Irreführend", "Fuorviante", "भ्रामक", "مضلل", "誤導",
                  "Menyesatkan"):
        assert normalise_rating(label) == misleading, label


@pytest.mark.parametrize("label, site, expected", [
    ("Verdadero, pero…", "chequeado.com", (0.75, "true")),
    ("Apresurado", "https://chequeado.com/ultimas-noticias/x", (0.5, "mixed")),
    ("Insostenible", "chequeado.com", (None, "unverifiable")),
    ("Tá certo, mas peraí", "apublica.org", (0.75, "true")),
    ("Blefe", "apublica.org", (0.0, "false")),
    ("De olho", "lupa.uol.com.br", (None, "other")),
    ("Pimenta na língua", "poligrafo.sapo.pt", (0.0, "false")),
    ("Nì", "pagellapolitica.it", (0.5, "mixed")),
    ("Pinocchio andante", "facta.news", (0.25, "false")),
    ("Panzana pazzesca", "pagellapolitica.it", (0.0, "false")),
])
def test_publishers_own_scales(label, site, expected):
    result = normalise_rating(label, publisher_site=site)
    assert (result.score, result.category, result.known) == (*expected, True)


def test_a_publisher_whose_numbers_are_codes_is_not_scored_by_them():
    numbers = {"rating_value": 2, "best_rating": 5, "worst_rating": 0}
    assert normalise_rating("konten satir", publisher_site="cekfakta.com", **numbers).known is False
    assert normalise_rating("konten satir", publisher_site="example.org", **numbers).known is True
    assert normalise_rating("Konten yang menyesatkan", publisher_site="cekfakta.com", **numbers).category == "mixed"


def test_an_unknown_label_is_flagged():
    assert (normalise_rating("Zweifelhaft bis albern").known, normalise_rating("").known) == (False, False)


def test_a_spelling_shared_by_two_languages_must_mean_the_same():
    rows = (ratings.RatingRow("generic", "Falso", 0.0, "false"),
            ratings.RatingRow("generic", "falso", 1.0, "true"))
    with pytest.raises(ValueError):
        ratings._build_index(ratings._table(*rows))
    assert len(ratings._table(*rows[:1], *rows[:1])) == 1
