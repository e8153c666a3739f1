"""Normalise fact-checkers' own rating labels to a 0..1 score and a coarse category."""

# How a verdict is normalised (first rule that applies wins; see normalise_rating):
#   1. A known label (RATING_TABLE) gives score and category straight from its row.
#      Numbers sent with a known label are ignored: the publisher's printed words are
#      the verdict, and taking everything from one row means score and category can
#      never contradict each other (no "score 0.8, category false"), and that a label
#      gets the same category with or without numbers, from any publisher.
#      Labels match ignoring case, accents, spaces and punctuation; a label that is a
#      sentence ("FALSO: el video es de 2019") is read by its leading verdict words.
#   2. Otherwise rating_value/best_rating/worst_rating, when all three are given and
#      best != worst: score = (value - worst) / (best - worst), clamped to [0, 1];
#      the formula also handles reversed scales (best < worst), which verdicts stored
#      before the API refused them (scale_errors) may still have. Skipped for publishers
#      whose numbers are codes of their own rather than a position on a scale.
#   3. Otherwise a label that is just "N/M", "N out of M" or "N of M" (e.g. "4/5"),
#      read as value N on the scale worst=1 .. best=M: schema.org's default worstRating
#      is 1. M must be > 1 and 0 <= N <= M; anything else ("24/7") is not read as a rating.
#   4. Otherwise the label is unknown: category "other", score None, known False.
# With rules 2 and 3 the category comes from the score:
# >= 0.75 true, <= 0.25 false, anything in between mixed.
# The table follows the same thresholds, and the checks at import time enforce them.

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "CATEGORIES",
    "RATING_TABLE",
    "SITE_SCALES",
    "WORDINGS",
    "Level",
    "Normalised",
    "RatingRow",
    "category_for",
    "is_false_side",
    "is_true_side",
    "normalise_rating",
    "scale_errors",
    "scale_for_site",
]

CATEGORIES: tuple[str, ...] = ("true", "mixed", "false", "unverifiable", "other")

TRUE_AT_LEAST = 0.75
FALSE_AT_MOST = 0.25


@dataclass(frozen=True)
class Normalised:
    score: float | None
    category: str   # one of CATEGORIES
    known: bool     # True when the label (or the numbers) were recognised


class RatingRow(NamedTuple):
    scale: str
    label: str
    score: float | None
    category: str


# Score levels. 0.35 / 0.65 are "mixed, leaning false/true": Misleading or Missing
# Context is not a 50/50 verdict, but it is not an outright False either.
# Unverifiable and off-scale ("other") labels have no score.
# Labels are matched ignoring case, spaces and punctuation, so spell them as printed.
# An entry on a publisher's own scale overrides the same label on "generic".
_ROWS: tuple[tuple[str, str, float | None, str], ...] = (
    # PolitiFact Truth-O-Meter, plus the Flip-O-Meter (consistency, not truth).
    ("politifact", "True", 1.0, "true"),
    ("politifact", "Mostly True", 0.75, "true"),
    ("politifact", "Half True", 0.5, "mixed"),
    ("politifact", "Mostly False", 0.25, "false"),
    ("politifact", "Barely True", 0.25, "false"),  # pre-2011 name of Mostly False
    ("politifact", "False", 0.0, "false"),
    ("politifact", "Pants on Fire", 0.0, "false"),
    ("politifact", "Full Flop", None, "other"),
    ("politifact", "Half Flip", None, "other"),
    ("politifact", "No Flip", None, "other"),
    # Snopes. Attribution, caption, provenance and genre ratings describe where the
    # content came from rather than grading the claim, so (as in ClaimsKG) they are "other".
    ("snopes", "True", 1.0, "true"),
    ("snopes", "Mostly True", 0.75, "true"),
    ("snopes", "Mixture", 0.5, "mixed"),
    ("snopes", "Mostly False", 0.25, "false"),
    ("snopes", "False", 0.0, "false"),
    ("snopes", "Fake", 0.0, "false"),
    ("snopes", "Unproven", None, "unverifiable"),
    ("snopes", "Unfounded", None, "unverifiable"),  # "no demonstrable evidence to support it"
    ("snopes", "Research In Progress", None, "unverifiable"),
    ("snopes", "Outdated", None, "other"),
    ("snopes", "Miscaptioned", None, "other"),
    ("snopes", "Correct Attribution", None, "other"),
    ("snopes", "Misattributed", None, "other"),
    ("snopes", "Scam", None, "other"),
    ("snopes", "Legend", None, "other"),
    ("snopes", "Lost Legend", None, "other"),
    ("snopes", "Satire", None, "other"),
    ("snopes", "Labeled Satire", None, "other"),
    ("snopes", "Originated as Satire", None, "other"),
    ("snopes", "Recall", None, "other"),
    # Meta third-party fact-checking ratings, used by AFP and other Meta partners.
    ("meta", "True", 1.0, "true"),
    ("meta", "Missing Context", 0.35, "mixed"),
    ("meta", "Partly False", 0.35, "mixed"),
    ("meta", "False", 0.0, "false"),
    ("meta", "Altered", 0.0, "false"),  # manipulated media; Meta treats it like False
    ("meta", "Satire", None, "other"),
    # AAP FactCheck verdicts (plus the Somewhat/Meta labels it has also published).
    ("aap", "True", 1.0, "true"),
    ("aap", "Mostly True", 0.75, "true"),
    ("aap", "Somewhat True", 0.65, "mixed"),
    ("aap", "Mixture", 0.5, "mixed"),
    ("aap", "Somewhat False", 0.35, "mixed"),
    ("aap", "Misleading", 0.35, "mixed"),
    ("aap", "Missing Context", 0.35, "mixed"),
    ("aap", "Mostly False", 0.25, "false"),
    ("aap", "False", 0.0, "false"),
    ("aap", "Altered", 0.0, "false"),
    ("aap", "Unproven", None, "unverifiable"),
    ("aap", "Satire", None, "other"),
    # Full Fact writes free-text conclusions; these are its recurring wordings.
    ("fullfact", "Correct", 1.0, "true"),
    ("fullfact", "Not quite right", 0.35, "mixed"),
    ("fullfact", "Needs context", 0.35, "mixed"),
    ("fullfact", "Misleading", 0.35, "mixed"),
    ("fullfact", "Exaggerated", 0.35, "mixed"),
    ("fullfact", "Incorrect", 0.0, "false"),
    ("fullfact", "Inaccurate", 0.0, "false"),
    ("fullfact", "Unsupported", None, "unverifiable"),
    ("fullfact", "No evidence", None, "unverifiable"),
    # Washington Post Fact Checker: the Post itself likens One/Two/Three Pinocchios to
    # mostly true / half true / mostly false. Bottomless = a 3-4 Pinocchio claim repeated 20+ times.
    ("washingtonpost", "Geppetto Checkmark", 1.0, "true"),
    ("washingtonpost", "One Pinocchio", 0.75, "true"),
    ("washingtonpost", "Two Pinocchios", 0.5, "mixed"),
    ("washingtonpost", "Three Pinocchios", 0.25, "false"),
    ("washingtonpost", "Four Pinocchios", 0.0, "false"),
    ("washingtonpost", "Bottomless Pinocchio", 0.0, "false"),
    ("washingtonpost", "Upside-Down Pinocchio", None, "other"),  # flip-flop
    ("washingtonpost", "Verdict Pending", None, "unverifiable"),
    # LIAR dataset (Wang 2017), PolitiFact labels as spelled in the dataset.
    ("liar", "true", 1.0, "true"),
    ("liar", "mostly-true", 0.75, "true"),
    ("liar", "half-true", 0.5, "mixed"),
    ("liar", "barely-true", 0.25, "false"),
    ("liar", "false", 0.0, "false"),
    ("liar", "pants-fire", 0.0, "false"),
    # Generic wordings used by many smaller publishers.
    ("generic", "True", 1.0, "true"),
    ("generic", "Accurate", 1.0, "true"),
    ("generic", "Correct", 1.0, "true"),
    ("generic", "Mostly True", 0.75, "true"),
    ("generic", "Mostly Accurate", 0.75, "true"),
    ("generic", "Mostly Correct", 0.75, "true"),
    ("generic", "Partly True", 0.65, "mixed"),
    ("generic", "Partially True", 0.65, "mixed"),
    ("generic", "Half True", 0.5, "mixed"),
    ("generic", "Mixed", 0.5, "mixed"),
    ("generic", "Mixture", 0.5, "mixed"),
    ("generic", "Partly False", 0.35, "mixed"),
    ("generic", "Partially False", 0.35, "mixed"),
    ("generic", "Misleading", 0.35, "mixed"),
    ("generic", "Missing Context", 0.35, "mixed"),
    ("generic", "Lacks Context", 0.35, "mixed"),
    ("generic", "Needs Context", 0.35, "mixed"),
    ("generic", "Out of Context", 0.35, "mixed"),
    ("generic", "False Context", 0.35, "mixed"),  # genuine content, wrongly placed
    ("generic", "Exaggerated", 0.35, "mixed"),
    ("generic", "Exaggeration", 0.35, "mixed"),
    ("generic", "Mostly False", 0.25, "false"),
    ("generic", "Mostly Inaccurate", 0.25, "false"),
    ("generic", "Distorted", 0.25, "false"),
    ("generic", "False", 0.0, "false"),
    ("generic", "Inaccurate", 0.0, "false"),
    ("generic", "Incorrect", 0.0, "false"),
    ("generic", "Wrong", 0.0, "false"),
    ("generic", "Not True", 0.0, "false"),
    ("generic", "Untrue", 0.0, "false"),
    ("generic", "Really False", 0.0, "false"),
    ("generic", "Fake", 0.0, "false"),
    ("generic", "Hoax", 0.0, "false"),
    ("generic", "Fabricated", 0.0, "false"),
    ("generic", "Altered", 0.0, "false"),
    ("generic", "Manipulated", 0.0, "false"),
    ("generic", "Edited", 0.0, "false"),
    ("generic", "Doctored", 0.0, "false"),
    ("generic", "Morphed", 0.0, "false"),  # India: an image altered
    ("generic", "Photoshopped", 0.0, "false"),
    ("generic", "Old Video", 0.35, "mixed"),  # genuine footage shared as recent
    ("generic", "Old Image", 0.35, "mixed"),
    ("generic", "Old Photo", 0.35, "mixed"),
    ("generic", "Unverified", None, "unverifiable"),
    ("generic", "Unverifiable", None, "unverifiable"),
    ("generic", "Unproven", None, "unverifiable"),
    ("generic", "Unsubstantiated", None, "unverifiable"),
    ("generic", "Unsupported", None, "unverifiable"),
    ("generic", "No Evidence", None, "unverifiable"),
    ("generic", "Insufficient Evidence", None, "unverifiable"),
    ("generic", "Disputed", None, "unverifiable"),  # contested, not a grade
    ("generic", "Research In Progress", None, "unverifiable"),
    ("generic", "Too Early to Tell", None, "unverifiable"),
    ("generic", "Satire", None, "other"),
    ("generic", "Parody", None, "other"),
    ("generic", "Opinion", None, "other"),
    ("generic", "Outdated", None, "other"),
    ("generic", "Flip-Flop", None, "other"),
)

class Level(NamedTuple):
    score: float | None
    category: str


# The levels of the table above, to write the verdicts of other languages by meaning.
TRUE = Level(1.0, "true")
MOSTLY_TRUE = Level(0.75, "true")      # also "true, but ...": the claim stands, with a caveat
PARTLY_TRUE = Level(0.65, "mixed")
HALF_TRUE = Level(0.5, "mixed")
MISLEADING = Level(0.35, "mixed")      # misleading, partly false, out of context, exaggerated
MOSTLY_FALSE = Level(0.25, "false")
FALSE = Level(0.0, "false")            # false, fake, fabricated, manipulated
UNPROVEN = Level(None, "unverifiable")  # no evidence either way
OTHER = Level(None, "other")           # satire, scams, clarifications: not a grade of the claim

# Verdict labels as fact-checkers print them, by language (on the generic scale: a label
# means the same from any publisher that has no scale of its own). Feminine and
# Traditional/Simplified Chinese spellings are listed where publishers use both.
WORDINGS: dict[str, dict[Level, tuple[str, ...]]] = {
    "es": {
        TRUE: ("Verdadero", "Verdadera", "Verdad", "Cierto", "Cierta", "Correcto", "Correcta"),
        MOSTLY_TRUE: ("Mayormente verdadero", "Mayormente cierto", "En su mayoría verdadero",
                      "Casi verdadero", "Verdadero, pero", "Cierto, pero"),
        PARTLY_TRUE: ("Parcialmente verdadero", "Parcialmente cierto", "Parcialmente correcto"),
        HALF_TRUE: ("Verdad a medias", "Media verdad", "Mixto", "Mixta"),
        MISLEADING: ("Engañoso", "Engañosa", "Parcialmente falso", "Parcialmente falsa", "Impreciso",
                     "Imprecisa", "Exagerado", "Exagerada", "Sacado de contexto", "Fuera de contexto",
                     "Descontextualizado", "Sin contexto", "Falta contexto", "Le falta contexto",
                     "Contexto faltante", "Distorsionado", "Cuestionable"),
        MOSTLY_FALSE: ("Mayormente falso", "Mayormente falsa", "En su mayoría falso"),
        FALSE: ("Falso", "Falsa", "Incorrecto", "Incorrecta", "No es cierto", "No es verdad", "Bulo",
                "Mentira", "Montaje", "Manipulado", "Manipulada", "Alterado", "Alterada", "Inventado",
                "Fabricado"),
        UNPROVEN: ("Sin evidencia", "Sin evidencias", "Sin pruebas", "No hay pruebas", "No hay evidencia",
                   "Inchequeable", "No verificable", "Inverificable", "No comprobado", "Insostenible",
                   "Discutible", "Dudoso"),
        OTHER: ("Sátira", "Satírico", "Parodia", "Humor", "Timo", "Estafa", "Opinión"),
    },
    "pt": {
        TRUE: ("Verdadeiro", "Verdadeira", "Verdade", "Correto", "Correta", "Certo", "Comprovado"),
        MOSTLY_TRUE: ("Verdadeiro, mas", "Maioritariamente verdadeiro", "Praticamente verdadeiro",
                      "Em grande parte verdadeiro"),
        PARTLY_TRUE: ("Parcialmente verdadeiro", "Parcialmente correto"),
        HALF_TRUE: ("Meia verdade", "Misto"),
        MISLEADING: ("Enganoso", "Enganosa", "Enganador", "Enganadora", "Distorcido", "Distorcida",
                     "Impreciso", "Imprecisa", "Exagerado", "Exagerada", "Sem contexto", "Fora de contexto",
                     "Falta contexto", "Falta de contexto", "Descontextualizado", "Descontextualizada",
                     "Parcialmente falso", "Parcialmente falsa", "Contraditório", "Subestimado"),
        MOSTLY_FALSE: ("Maioritariamente falso", "Praticamente falso"),
        FALSE: ("Falso", "Falsa", "Incorreto", "Incorreta", "Não é verdade", "Boato", "Mentira", "Montagem",
                "Manipulado", "Manipulada", "Alterado", "Alterada", "Inventado", "Fake", "Fake news"),
        UNPROVEN: ("Insustentável", "Sem provas", "Sem evidências", "Não comprovado", "Impossível provar",
                   "Inconclusivo", "Discutível"),
        OTHER: ("Sátira", "Golpe", "Outros"),
    },
    "fr": {
        TRUE: ("Vrai", "Correct", "Exact", "Avéré", "Confirmé"),
        MOSTLY_TRUE: ("Plutôt vrai", "Globalement vrai", "Globalement correct", "Vrai, mais"),
        PARTLY_TRUE: ("Partiellement vrai", "En partie vrai"),
        HALF_TRUE: ("C'est plus compliqué", "Mitigé"),  # Le Monde: 1 on its 0..2 scale
        MISLEADING: ("Trompeur", "Trompeuse", "Partiellement faux", "En partie faux", "Exagéré", "Imprécis",
                     "Manque de contexte", "Contexte manquant", "Hors contexte", "Sorti de son contexte",
                     "Sans contexte", "Décontextualisé", "Sous-estimé", "Sous-estimé/Exagéré", "À nuancer"),
        MOSTLY_FALSE: ("Plutôt faux", "Globalement faux"),
        FALSE: ("Faux", "Fausse", "Incorrect", "Inexact", "Intox", "Infox", "Canular", "Montage", "Truqué",
                "Manipulé", "Retouché", "Inventé", "Fausse information", "Fake"),
        UNPROVEN: ("Non prouvé", "Non démontré", "Invérifiable", "Pas de preuve", "Aucune preuve",
                   "Non vérifié", "Infondé", "Douteux", "Incertain"),
        OTHER: ("Satire", "Satirique", "Parodie", "Humour", "Arnaque"),
    },
    "de": {
        TRUE: ("Richtig", "Wahr", "Stimmt", "Korrekt", "Zutreffend"),
        MOSTLY_TRUE: ("Größtenteils richtig", "Größtenteils wahr", "Überwiegend richtig", "Überwiegend wahr",
                      "Weitgehend richtig"),
        PARTLY_TRUE: ("Teilweise richtig", "Teilweise wahr"),
        HALF_TRUE: ("Halbwahr", "Halb wahr", "Halbwahrheit"),
        MISLEADING: ("Irreführend", "Teilweise falsch", "Fehlender Kontext", "Kontext fehlt", "Ohne Kontext",
                     "Aus dem Kontext gerissen", "Falscher Kontext", "Übertrieben", "Ungenau", "Verzerrt"),
        MOSTLY_FALSE: ("Größtenteils falsch", "Überwiegend falsch", "Weitgehend falsch"),
        FALSE: ("Falsch", "Unwahr", "Stimmt nicht", "Frei erfunden", "Erfunden", "Manipuliert", "Gefälscht",
                "Falschmeldung", "Fake"),
        UNPROVEN: ("Unbelegt", "Unbewiesen", "Nicht belegt", "Keine Belege", "Nicht nachweisbar", "Unklar"),
        OTHER: ("Satire", "Veraltet", "Falsche Zuschreibung"),
    },
    "it": {
        TRUE: ("Vero", "Vera", "Corretto", "Giusto"),
        MOSTLY_TRUE: ("Quasi vero", "In gran parte vero", "Per lo più vero", "Sostanzialmente vero", "Vero, ma"),
        PARTLY_TRUE: ("Parzialmente vero", "In parte vero"),
        HALF_TRUE: ("Mezza verità",),
        MISLEADING: ("Fuorviante", "Ingannevole", "Parzialmente falso", "In parte falso", "Fuori contesto",
                     "Senza contesto", "Decontestualizzato", "Manca di contesto", "Contesto mancante",
                     "Esagerato", "Impreciso", "Distorto"),
        MOSTLY_FALSE: ("In gran parte falso", "Per lo più falso"),
        FALSE: ("Falso", "Falsa", "Non è vero", "Bufala", "Notizia falsa", "Sbagliato", "Errato", "Inventato",
                "Manipolato", "Alterato", "Fake", "Fake news"),
        UNPROVEN: ("Non dimostrato", "Non provato", "Non verificabile", "Senza prove", "Nessuna prova",
                   "Infondato", "Controverso", "Dubbio"),
        OTHER: ("Satira", "Parodia", "Truffa"),
    },
    "hi": {
        TRUE: ("सच", "सही", "सत्य"),
        MOSTLY_TRUE: ("ज़्यादातर सच", "अधिकतर सच"),
        PARTLY_TRUE: ("आंशिक रूप से सच", "आंशिक रूप से सही", "आंशिक सच"),
        HALF_TRUE: ("आधा सच", "अर्धसत्य"),
        MISLEADING: ("भ्रामक", "गुमराह करने वाला", "आंशिक रूप से ग़लत", "आंशिक रूप से झूठ", "संदर्भ से बाहर",
                     "ग़लत संदर्भ", "संदर्भहीन", "अतिशयोक्तिपूर्ण"),
        MOSTLY_FALSE: ("ज़्यादातर ग़लत", "अधिकतर ग़लत"),
        FALSE: ("ग़लत", "झूठ", "झूठा", "झूठी", "फ़र्ज़ी", "फ़ेक", "असत्य", "नकली", "एडिटेड", "छेड़छाड़"),
        UNPROVEN: ("अपुष्ट", "असत्यापित", "कोई सबूत नहीं"),
        OTHER: ("व्यंग्य",),
    },
    "ar": {
        TRUE: ("صحيح", "حقيقي", "صح", "صادق"),
        MOSTLY_TRUE: ("صحيح في معظمه", "صحيح غالبا"),
        PARTLY_TRUE: ("صحيح جزئيا",),
        HALF_TRUE: ("نصف صحيح", "نصف حقيقة"),
        MISLEADING: ("مضلل", "مضللة", "خارج السياق", "مجتزأ", "انتقائي", "مبالغ فيه", "خاطئ جزئيا",
                     "إثارة"),  # Misbar's "commotion": true facts told to alarm
        FALSE: ("زائف", "زائفة", "كاذب", "كاذبة", "خطأ", "خاطئ", "خاطئة", "غير صحيح", "غير دقيق", "مفبرك",
                "مفبركة", "ملفق", "مزيف", "مزيفة", "شائعة", "إشاعة"),
        UNPROVEN: ("غير مؤكد", "غير مثبت", "لا دليل", "لا يوجد دليل", "مشكوك فيه"),
        OTHER: ("ساخر", "سخرية", "خرافة"),
    },
    "zh": {
        TRUE: ("正確", "正确", "真實", "真实", "屬實", "属实"),
        MOSTLY_TRUE: ("大致正確", "大致正确", "基本屬實", "基本属实", "大部分正確", "大部分正确"),
        PARTLY_TRUE: ("部分正確", "部分正确", "部分屬實", "部分属实"),
        HALF_TRUE: ("半真半假", "真假參半", "真假参半"),
        MISLEADING: ("誤導", "误导", "易生誤解", "易生误解", "部分錯誤", "部分错误", "缺乏背景", "缺乏脈絡",
                     "缺乏脉络", "斷章取義", "断章取义", "誇大", "夸大"),
        FALSE: ("錯誤", "错误", "假", "虛假", "虚假", "不實", "不实", "謠言", "谣言", "假消息", "偽造", "伪造",
                "造假", "變造", "变造", "合成", "捏造"),
        UNPROVEN: ("證據不足", "证据不足", "無法證實", "无法证实", "未經證實", "未经证实"),
        OTHER: ("諷刺", "讽刺", "事實釐清", "事实厘清", "詐騙", "诈骗"),  # 事實釐清: a clarification
    },
    "id": {
        TRUE: ("Benar", "Fakta", "Sahih"),
        MOSTLY_TRUE: ("Sebagian besar benar",),
        PARTLY_TRUE: ("Sebagian benar",),
        HALF_TRUE: ("Separuh benar", "Setengah benar"),
        MISLEADING: ("Sesat", "Menyesatkan", "Konten yang menyesatkan", "Konten menyesatkan", "Sebagian salah",
                     "Konteks yang salah", "Konteks keliru", "Kurang konteks", "Tanpa konteks",
                     "Dilebih-lebihkan"),
        MOSTLY_FALSE: ("Sebagian besar salah",),
        FALSE: ("Salah", "Keliru", "Tidak benar", "Tidak akurat", "Bohong", "Hoaks", "Hoax", "Disinformasi",
                "Misinformasi", "Palsu", "Konten palsu", "Konten yang dimanipulasi", "Konten dimanipulasi",
                "Manipulasi", "Koneksi yang salah", "Konten tiruan"),
        UNPROVEN: ("Tidak terbukti", "Belum terbukti", "Tidak ada bukti", "Belum ada bukti", "Tanpa bukti"),
        OTHER: ("Satire", "Satir", "Parodi", "Klarifikasi", "Penipuan"),
    },
    "bn": {
        TRUE: ("সত্য", "সঠিক"),
        PARTLY_TRUE: ("আংশিক সত্য",),
        MISLEADING: ("বিভ্রান্তিকর", "আংশিক মিথ্যা", "বিকৃত", "প্রসঙ্গবহির্ভূত"),
        FALSE: ("মিথ্যা", "ভুয়া", "ভুল", "সম্পাদিত", "বানোয়াট"),
        UNPROVEN: ("অপ্রমাণিত",),
        OTHER: ("ব্যঙ্গাত্মক", "স্যাটায়ার"),
    },
    "da": {
        TRUE: ("Sandt", "Korrekt", "Rigtigt"),
        MOSTLY_TRUE: ("Overvejende sandt",),
        PARTLY_TRUE: ("Delvist sandt", "Delvis sandt"),
        MISLEADING: ("Misvisende", "Vildledende", "Delvist forkert", "Delvis forkert", "Mangler kontekst",
                     "Mangler sammenhæng", "Overdrevet"),
        MOSTLY_FALSE: ("Overvejende forkert",),
        FALSE: ("Falsk", "Forkert", "Usandt", "Manipuleret"),
        UNPROVEN: ("Udokumenteret", "Ikke dokumenteret"),
        OTHER: ("Satire",),
    },
    # Further languages of IFCN signatories, from their scales as X-Fact's label maps list
    # them (Gupta & Srikumar 2021).
    "pl": {
        TRUE: ("Prawda",), MISLEADING: ("Manipulacja", "Częściowa prawda"), FALSE: ("Fałsz", "Fake news"),
        UNPROVEN: ("Nieweryfikowalne",),
    },
    "ru": {  # and Ukrainian
        TRUE: ("Правда",), HALF_TRUE: ("Полуправда", "Напівправда"),
        MISLEADING: ("Манипуляция", "Маніпуляція", "Вводит в заблуждение"),
        FALSE: ("Ложь", "Фейк", "Неправда", "Дезинформация", "Дезінформація"),
        UNPROVEN: ("Без вердикта", "Не доказано"),
    },
    "tr": {
        TRUE: ("Doğru",), HALF_TRUE: ("Karma",), MISLEADING: ("Yanıltıcı", "Kısmen yanlış"),
        FALSE: ("Yanlış",), UNPROVEN: ("Sonuçlandırılamadı",),
    },
    "ro": {
        TRUE: ("Adevărat",), PARTLY_TRUE: ("Parțial adevărat",), MISLEADING: ("Parțial fals", "Trunchiat", "Înșelător"),
        FALSE: ("Fals",), UNPROVEN: ("Imposibil de verificat",),
    },
    "nl": {
        TRUE: ("Waar",), MISLEADING: ("Deels onwaar", "Misleidend"), FALSE: ("Onwaar", "Niet waar"),
        UNPROVEN: ("Niet te checken",),
    },
    "no": {
        TRUE: ("Helt sant",), PARTLY_TRUE: ("Delvis sant",), MISLEADING: ("Delvis feil",), FALSE: ("Helt feil",),
        UNPROVEN: ("Ikke sikkert",),
    },
    "sr": {  # Latin script
        TRUE: ("Istina",), MOSTLY_TRUE: ("Skoro istina",), HALF_TRUE: ("Poluistina",),
        MOSTLY_FALSE: ("Skoro neistina",), FALSE: ("Neistina", "Kratke noge"),
    },
}

# Publishers' own verdicts, whose words mean something particular to the publisher
# (from their methodology pages), by the scale of SITE_SCALES below.
PUBLISHER_WORDINGS: dict[str, dict[Level, tuple[str, ...]]] = {
    "chequeado": {  # Argentina
        MOSTLY_TRUE: ("Verdadero, pero…",),
        HALF_TRUE: ("Apresurado",),  # "premature": plausible, not yet borne out
        MISLEADING: ("Exagerado", "Engañoso"),
        UNPROVEN: ("Insostenible", "Discutible", "Inchequeable"),
        OTHER: ("Cumplida", "Incumplida", "En proceso"),  # promise tracking, not a claim's truth
    },
    "lupa": {  # Agência Lupa (Brazil)
        MOSTLY_TRUE: ("Verdadeiro, mas",),
        MISLEADING: ("Exagerado", "Contraditório", "Subestimado"),
        UNPROVEN: ("Ainda é cedo para dizer", "Insustentável"),
        OTHER: ("De olho",),  # "watching": a promise or a situation followed up
    },
    "apublica": {  # Truco, Agência Pública (Brazil)
        MOSTLY_TRUE: ("Tá certo, mas peraí",),
        MISLEADING: ("Não é bem assim", "Exagerado", "Distorcido", "Sem contexto"),
        FALSE: ("Blefe",),
        UNPROVEN: ("Impossível provar", "Discutível"),
        OTHER: ("Candidato em crise", "Subestimado"),
    },
    "poligrafo": {  # Portugal
        MOSTLY_TRUE: ("Verdadeiro, mas…",),
        MISLEADING: ("Descontextualizado", "Impreciso"),
        FALSE: ("Pimenta na língua",),  # its "pants on fire"
    },
    "pagellapolitica": {  # Pagella Politica and Facta (Italy)
        MOSTLY_TRUE: ("C'eri quasi",),
        HALF_TRUE: ("Nì",),
        MOSTLY_FALSE: ("Pinocchio andante",),
        FALSE: ("Panzana pazzesca",),
    },
}


def _rows(scale: str, wordings: dict[Level, tuple[str, ...]]) -> tuple[tuple, ...]:
    return tuple((scale, label, *level) for level, labels in wordings.items() for label in labels)


def _table(*rows: tuple) -> tuple[RatingRow, ...]:
    """The rows, each label once per scale: a spelling shared by two languages with the same
    meaning ("Falso") is kept once; with two meanings, _build_index refuses it."""
    seen, table = set(), []
    for row in map(RatingRow._make, rows):
        if (row.scale, _key(row.label), row.score, row.category) not in seen:
            seen.add((row.scale, _key(row.label), row.score, row.category))
            table.append(row)
    return tuple(table)

# Publisher domains -> scale. Subdomains match too (www.politifact.com, factcheck.afp.com).
SITE_SCALES: dict[str, str] = {
    "politifact.com": "politifact",
    "snopes.com": "snopes",
    "afp.com": "meta",
    "aap.com.au": "aap",
    "fullfact.org": "fullfact",
    "washingtonpost.com": "washingtonpost",
    "chequeado.com": "chequeado",
    "lupa.uol.com.br": "lupa",
    "piaui.folha.uol.com.br": "lupa",
    "apublica.org": "apublica",
    "poligrafo.sapo.pt": "poligrafo",
    "pagellapolitica.it": "pagellapolitica",
    "facta.news": "pagellapolitica",
    "cekfakta.com": "cekfakta",
}

# Scales whose ratingValue is a code of the publisher's own, not a place on a scale:
# cekfakta.com's "2" goes with "misleading content" and "satire" alike, so its numbers
# never stand in for a label.
NUMBERS_ARE_CODES: frozenset[str] = frozenset({"cekfakta"})

GENERIC_SCALE = "generic"
# A sentence-long label is read by this many leading words at most ("Verdadero, pero el ...").
LEADING_WORDS = 5

# Accents, Arabic vowel marks and the Devanagari nukta change a word's spelling, not its
# meaning (ग़लत is written गलत too); other combining marks (Indic vowel signs) are letters.
_SPELLING_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670\u093c\u09bc]")


def _words(label: str) -> list[str]:
    """The label's words, case-folded, without accents; punctuation separates words."""
    # Turkish dotless ı is typed as i as often as not.
    text = _SPELLING_MARKS.sub("", unicodedata.normalize("NFKD", label)).casefold().replace("ı", "i")
    words, word = [], []
    for ch in text:
        if ch.isalnum() or unicodedata.category(ch).startswith("M"):
            word.append(ch)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return words


def _key(label: str) -> str:
    """Matching key: case-, accent-, whitespace- and punctuation-insensitive."""
    return "".join(_words(label))


def category_for(score: float) -> str:
    """The category of a score: the rule for a label's row, a number's and a consensus."""
    if score >= TRUE_AT_LEAST:
        return "true"
    if score <= FALSE_AT_MOST:
        return "false"
    return "mixed"


def _build_index(rows: tuple[RatingRow, ...]) -> dict[str, dict[str, RatingRow]]:
    """key -> {scale: row}, in table order. Rejects bad rows so a table edit fails loudly."""
    index: dict[str, dict[str, RatingRow]] = {}
    for row in rows:
        if row.score is None:
            if row.category not in ("unverifiable", "other"):
                raise ValueError(f"unscored row must be unverifiable/other: {row}")
        elif not 0.0 <= row.score <= 1.0 or category_for(row.score) != row.category:
            raise ValueError(f"score out of range or disagrees with category: {row}")
        by_scale = index.setdefault(_key(row.label), {})
        if row.scale in by_scale:
            raise ValueError(f"duplicate label on scale {row.scale!r}: {row.label!r}")
        by_scale[row.scale] = row
    return index


RATING_TABLE: tuple[RatingRow, ...] = _table(
    *_ROWS,
    *(row for scale, wordings in PUBLISHER_WORDINGS.items() for row in _rows(scale, wordings)),
    *(row for wordings in WORDINGS.values() for row in _rows(GENERIC_SCALE, wordings)),
)
_INDEX = _build_index(RATING_TABLE)


def scale_for_site(site: str | None) -> str | None:
    """The scale of a publisher given as a domain or URL, or None if not mapped."""
    if not site:
        return None
    host = site.strip().casefold().split("://")[-1].split("/")[0]
    host = host.rsplit("@", 1)[-1].split(":")[0].strip(".")
    parts = host.split(".")
    # Longest suffix first, so a more specific domain entry would win.
    for i in range(len(parts) - 1):
        scale = SITE_SCALES.get(".".join(parts[i:]))
        if scale:
            return scale
    return None


def _row_for_key(key: str, scale: str | None) -> RatingRow | None:
    by_scale = _INDEX.get(key)
    if not by_scale:
        return None
    # Publisher's scale, then generic, then whichever scale lists it first, so
    # "Pants on Fire" or "Four Pinocchios" are still recognised without a site.
    for wanted in (scale, GENERIC_SCALE):
        if wanted in by_scale:
            return by_scale[wanted]
    return next(iter(by_scale.values()))


def _lookup(label: str, scale: str | None) -> RatingRow | None:
    """The label's row, or for a sentence ("FALSO: el video ...") that of its longest run of
    leading words that is a label."""
    words = _words(label)
    for count in (len(words), *range(min(LEADING_WORDS, len(words) - 1), 0, -1)):
        row = _row_for_key("".join(words[:count]), scale)
        if row is not None:
            return row
    return None


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _scaled(value: float | None, best: float | None, worst: float | None) -> float | None:
    if value is None or best is None or worst is None or best == worst:
        return None
    return min(1.0, max(0.0, (value - worst) / (best - worst)))


_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/|out\s+of|of)\s*(\d+(?:\.\d+)?)\s*$", re.IGNORECASE)


def _score_from_fraction_label(label: str) -> float | None:
    match = _FRACTION.match(label)
    if not match:
        return None
    value, best = float(match.group(1)), float(match.group(2))
    if best <= 1 or value > best:
        return None
    return _scaled(value, best, 1.0)


def normalise_rating(rating: str, *, rating_value: float | None = None,
                     best_rating: float | None = None, worst_rating: float | None = None,
                     publisher_site: str | None = None) -> Normalised:
    """Score and category for a publisher's label; the label itself is the caller's to keep."""
    label = rating or ""
    scale = scale_for_site(publisher_site)
    row = _lookup(label, scale)
    if row is not None:
        return Normalised(row.score, row.category, True)
    score = None
    if scale not in NUMBERS_ARE_CODES:
        score = _scaled(_number(rating_value), _number(best_rating), _number(worst_rating))
    if score is None:
        score = _score_from_fraction_label(label)
    if score is not None:
        return Normalised(score, category_for(score), True)
    return Normalised(None, "other", False)


def scale_errors(value: float | None, best: float | None, worst: float | None) -> dict[str, str]:
    """Why numbers are no rating on their scale, by "value" or "best"; empty when they are.
    As schema.org defines them, bestRating is the scale's highest value and worstRating its
    lowest: best must be above worst, and the value between them."""
    if best is not None and worst is not None and best <= worst:
        return {"best": f"Must be above the worst rating ({worst:g})."}
    if value is not None and best is not None and value > best:
        return {"value": f"Must not be above the best rating ({best:g})."}
    if value is not None and worst is not None and value < worst:
        return {"value": f"Must not be below the worst rating ({worst:g})."}
    return {}


def is_true_side(score: float | None) -> bool:
    return score is not None and score > 0.5


def is_false_side(score: float | None) -> bool:
    return score is not None and score < 0.5
