"""Words of what was said, Danish first: stems for search, and the words a place used most.

Stems come from Snowball (PyStemmer: Danish and English). Stop words are the union of two
maintained lists, `stop-words` (Snowball's) and `stopwordsiso` (stopwords-iso, which has
the everyday words Snowball's short Danish list lacks: "ved", "fordi"), less the few nouns
and adjectives in it that say what a place needs ("ny", "stor", "tag"), plus the fillers
of speech and the number words no list of written stop words has. Redaction labels
("[CPR]", "[navn]") are never words, and neither is what a caller says around them ("cpr").

Danish drops an unstressed e when a word is inflected (cykel, cyklen, cykler; vinter,
vintre), and Snowball leaves the two forms with different stems (cykel, cykl). A search
term therefore also looks for its stem without that e, and matches stems by prefix, so
that "cykel" finds cyklen, cykler and the compound cykelsti.

The counts of words a place used most group the forms of a word under one key
(`count_key`): the Snowball stem without that e, and for the short words Snowball leaves
whole (træ, træer, træet, træerne; by, byen, byer) the stem of the word's lemma from
simplemma (a maintained lemmatizer with a Danish dictionary), where that lemma is what the
word begins with (never "cyklus" for cyklen).
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

import simplemma
import Stemmer  # type: ignore[import-not-found]
import stopwordsiso
from stop_words import get_stop_words  # type: ignore[import-untyped]

LANGUAGES = {"da": "danish", "en": "english"}
# Spoken fillers, and a few spoken words missing from the written stop word lists.
_DA_FILLERS = "øh øhm øhh hmm mm altså ligesom nå jo bare lige sådan ik ikk ikke også nok så"
_DA_SPOKEN = "ja nej okay ok gerne kan skal må lidt bag synes tror fx osv hej tak"
# Said aloud, numbers are words: they carry no opinion of their own.
_DA_NUMBERS = (
    "nul en et to tre fire fem seks syv otte ni ti elleve tolv tretten fjorten femten seksten"
    " sytten atten nitten tyve tredive fyrre halvtreds tres halvfjerds firs halvfems hundrede"
    " tusind million første anden tredje fjerde femte halv halvanden"
)
# What a caller says around personal data that redaction then hides.
_DA_AROUND_SECRETS = "cpr nummer nummeret telefonnummer mail email"
_EN_FILLERS = "um uh uhm er erm hmm mm like yeah okay ok oh well just really actually"
_EN_SPOKEN = "basically gonna wanna hello thanks"
_EN_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty"
    " fifty hundred thousand million first second third half"
)
_EN_AROUND_SECRETS = "cpr number phone email"
FILLERS = {
    "da": frozenset(f"{_DA_FILLERS} {_DA_SPOKEN} {_DA_NUMBERS} {_DA_AROUND_SECRETS}".split()),
    "en": frozenset(f"{_EN_FILLERS} {_EN_SPOKEN} {_EN_NUMBERS} {_EN_AROUND_SECRETS}".split()),
}
# Words in stopwords-iso's Danish list that name what a place has or needs: kept.
_DA_MEANINGFUL = frozenset(
    ["far", "mand", "tag", "tage", "lav", "ny", "nyt", "stor", "store", "lille", "god", "godt"]
)
_LABEL = re.compile(r"\[[^\]]*\]")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_SYNCOPE = re.compile(r"([^aeiouyæøå])e([lnr])$")  # cykel -> cykl, vinter -> vintr


@lru_cache(maxsize=4)
def _stemmer(language: str) -> "Stemmer.Stemmer":
    return Stemmer.Stemmer(LANGUAGES[language])


@lru_cache(maxsize=4)
def ignored(language: str) -> frozenset[str]:
    """The words of `language` that never count: stop words, fillers, number words."""
    listed = set(get_stop_words(LANGUAGES[language]))
    if language == "da":  # (stopwords-iso's English list holds nouns: "home", "world")
        listed |= set(stopwordsiso.stopwords("da")) - _DA_MEANINGFUL
    return frozenset(listed) | FILLERS[language]


def words(text: str) -> list[str]:
    """The words of `text`, lower case, redaction labels and numbers left out."""
    return _WORD.findall(_LABEL.sub(" ", text).lower())


def _languages(language: str | None) -> list[str]:
    """A clip's language; both when Whisper could not tell (or another was spoken)."""
    return [language] if language in LANGUAGES else list(LANGUAGES)


def index_terms(text: str | None, language: str | None) -> str:
    """What the search index holds for a text: its stems, space separated."""
    if not text:
        return ""
    found: set[str] = set()
    tokens = words(text)
    for lang in _languages(language):
        found.update(_stemmer(lang).stemWords(tokens))
    return " ".join(sorted(found))


PREFIX_MIN = 4  # shorter stems match whole: "lan" must not find "langs"
# Snowball leaves short Danish words whole ("træer", "byen": its suffixes come off only
# after the first three letters), so a short search word is also looked for with each
# ending Snowball's Danish algorithm knows, plus the genitive s: "træ" finds træer, træet,
# træerne; "by" finds byen, byer; and still "lan" does not find "langs".
_DA_ENDINGS = [
    "e",
    "en",
    "ene",
    "ens",
    "er",
    "ere",
    "erne",
    "ernes",
    "eres",
    "ers",
    "es",
    "et",
    "ets",
    "eret",
    "erets",
    "s",
    "hed",
    "heden",
    "heder",
    "heds",
]


def query_terms(query: str) -> list[list[tuple[str, bool]]]:
    """For each word of a search: the stems any of which may match it, and whether as a
    prefix (compounds: cykel finds cykelsti)."""
    terms = []
    danish = _stemmer("da")
    for word in dict.fromkeys(words(query)):
        stems = {_stemmer(lang).stemWord(word) for lang in LANGUAGES}
        stems |= {_SYNCOPE.sub(r"\1\2", stem) for stem in stems}
        options = {(stem, len(stem) >= PREFIX_MIN) for stem in stems if stem}
        for short in [stem for stem in stems if 0 < len(stem) < PREFIX_MIN]:
            inflected = [short + ending for ending in _DA_ENDINGS]
            options |= {(form, False) for form in (*inflected, *danish.stemWords(inflected))}
        # A form both whole and as a prefix: the prefix covers it.
        options -= {(form, False) for form, prefix in list(options) if prefix}
        terms.append(sorted(options))
    return [t for t in terms if t]


LONGEST = 40  # longer is not a word people say (and would not fit the counts table)


def word_forms(text: str, language: str | None) -> Counter[tuple[str, str, str]]:
    """The words of `text` that mean something, as (language, stem, form) counts: stop
    words and fillers left out. Undetected languages count as Danish."""
    lang = language if language in LANGUAGES else "da"
    left_out = ignored(lang)
    kept = [w for w in words(text) if 2 < len(w) <= LONGEST and w not in left_out]
    return Counter((lang, count_key(word, lang), word) for word in kept)


@lru_cache(maxsize=65_536)  # people use a few thousand words; simplemma is a dict lookup
def count_key(word: str, language: str) -> str:
    """What the forms of one word share in the counts: cykel, cyklen, cykler -> cykl;
    træ, træer, træet -> træ."""
    stem: str = _stemmer(language).stemWord(word)
    if language != "da":
        return stem
    root: str = _stemmer("da").stemWord(simplemma.lemmatize(word, lang="da"))
    if 2 <= len(root) < len(stem) and stem.startswith(root):
        stem = root  # Snowball leaves short words whole: træer, træet
    return _SYNCOPE.sub(r"\1\2", stem) if len(stem) >= 5 else stem


def rank_words(
    forms: Iterable[tuple[tuple[str, str, str], int]], limit: int
) -> list[tuple[str, int]]:
    """The stems used most, each under the form people used most."""
    counts: Counter[tuple[str, str]] = Counter()
    by_form: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for (lang, stem, form), count in forms:
        counts[(lang, stem)] += count
        by_form[(lang, stem)][form] += count
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [
        (by_form[key].most_common(1)[0][0], count) for key, count in ranked[:limit] if count > 0
    ]


def top_words(texts: Iterable[tuple[str, str | None]], limit: int = 20) -> list[tuple[str, int]]:
    """The most used words in (text, language) pairs, forms of one word counted together."""
    total: Counter[tuple[str, str, str]] = Counter()
    for text, language in texts:
        total.update(word_forms(text, language))
    return rank_words(total.items(), limit)
