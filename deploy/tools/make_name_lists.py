"""Regenerates ingest/language/redaction/data/{first_names,surnames}.txt from Faker's
person providers (https://pypi.org/project/Faker/, MIT licence, maintained) and Mimesis's
person datasets (https://pypi.org/project/mimesis/, MIT licence, maintained).

    pip install 'faker==40.63.0' 'cyrtranslit==1.2.0' simplemma 'mimesis==22.2.0' \
        'gender-guesser==0.4.0'
    python deploy/tools/make_name_lists.py

data/also_words.txt (names that are also ordinary words) is kept by hand beside them.

Danish and Nordic lists first, then the languages of Aarhus's larger immigrant groups that
Faker writes in Latin letters (Turkish, Pakistani, Algerian, Bosnian/Croatian, Polish,
Somali-adjacent Swahili and Hausa, Vietnamese …, Central and Eastern European, West and
southern African), then English and German for visitors. Only names in Latin letters are
kept: transcripts are written in them. Ukrainian, Russian, Bulgarian and Macedonian names
are written in Latin letters as Whisper spells them, by cyrtranslit
(https://pypi.org/project/cyrtranslit/, MIT licence): "Оксана" -> "Oksana".

Mimesis adds the surnames Faker's Danish list lacks (about a thousand Danish ones, as
"Nygaard", "Bøgh", "Dahlgaard") and those of the Nordic, German, Polish, Turkish, Croatian,
Czech and Finnish datasets, under the same rule as the later Faker locales: no Danish or
English word.

Faker and Mimesis lack many Danish first names ("Ejvind", "Villum", "Frej", "Fie"). Jörg
Michael's nam_dict.txt, as gender-guesser ships it (https://pypi.org/project/gender-guesser/),
gives each first name a frequency per country: the names it counts in Denmark, the common
ones of Norway and Sweden, and, without Danish words and short ones, those it counts in
the Arab countries, Iran and Turkey, go to first_names_nam_dict.txt (GNU Free Documentation
Licence 1.2 or later, as nam_dict.txt itself; LICENSE-nam_dict.txt).
"""

import importlib
import importlib.resources
import re
from pathlib import Path

import cyrtranslit  # type: ignore[import-untyped]
import faker
import mimesis
import simplemma
from mimesis.enums import Locale

LOCALES = [
    "da_DK", "no_NO", "sv_SE", "fi_FI", "is_IS", "de_DE", "nl_NL", "pl_PL", "hr_HR",
    "ro_RO", "tr_TR", "az_AZ", "uz_UZ", "en_PK", "en_IN", "fr_DZ", "ha_NG", "yo_NG", "sw",
    "vi_VN", "id_ID", "en_US", "en_GB", "en_IE", "fr_FR", "es_ES", "it_IT", "pt_PT",
]  # fmt: skip
# Added later: their names count only where they are no Danish or English word that
# simplemma knows ("Bor", "Eller", "Hope" stay words) and have three letters or more.
MORE_LOCALES = [
    "cs_CZ", "sk_SK", "hu_HU", "lt_LT", "lv_LV", "sl_SI", "et_EE", "en_KE", "en_NG",
    "ig_NG", "tw_GH", "zu_ZA", "es_MX", "pt_BR", "ga_IE",
]  # fmt: skip
# Written in Cyrillic by Faker; cyrtranslit's language code for each (added later too).
CYRILLIC = {"uk_UA": "ua", "ru_RU": "ru", "bg_BG": "bg", "mk_MK": "mk"}
# Mimesis locales whose surnames are added, without Danish and English words.
MIMESIS_SURNAMES = ["da", "no", "sv", "fi", "de", "pl", "tr", "hr", "cs"]
LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-žǍ-ǰȘ-ț' -]+")
OUT = Path(__file__).parents[2] / "ingest" / "language" / "redaction" / "data"


def names(provider: type, prefix: str, cyrillic: str | None = None) -> set[str]:
    found: set[str] = set()
    for attribute in dir(provider):
        if attribute.startswith(prefix) and not attribute.endswith("_pairs"):
            value = getattr(provider, attribute)
            if isinstance(value, dict | tuple | list | set):
                found |= {n for n in value if isinstance(n, str)}
    if cyrillic:
        found = {cyrtranslit.to_latin(n, cyrillic).replace("'", "") for n in found}
    return {w for n in found if LATIN.fullmatch(n) for w in re.split(r"[ -]", n) if len(w) > 1}


def mimesis_surnames(locale: str) -> set[str]:
    dataset = mimesis.Person(Locale(locale))._dataset["surnames"]
    # a locale's surnames are one list, or lists by gender
    found = [n for part in dataset.values() for n in part] if isinstance(dataset, dict) else dataset
    return {w for n in found if LATIN.fullmatch(n) for w in re.split(r"[ -]", n) if len(w) > 1}


def not_words(found: set[str]) -> set[str]:
    return {
        name
        for name in found
        if len(name) > 2
        and not any(simplemma.is_known(name.lower(), lang=lang) for lang in ("da", "en"))
    }


# nam_dict.txt's columns (0-based) and the least frequency (1 rare … 13 very common) counted.
NORDIC = {46: 1, 47: 3, 48: 3}  # Denmark, Norway, Sweden
ABROAD = {72: 2, 76: 2}  # the Arab countries and Iran; Turkey


def counted(line: str, columns: dict[int, int]) -> bool:
    """The name on this line is counted at least so often in one of these countries."""
    return any(
        line[k] in "123456789ABCD" and int(line[k], 16) >= least for k, least in columns.items()
    )


def nam_dict_names(known: set[str]) -> set[str]:
    text = (importlib.resources.files("gender_guesser") / "data" / "nam_dict.txt").read_text(
        encoding="utf-8"
    )
    found: set[str] = set()
    for line in text.splitlines():
        # a "-" in column 29 marks a spelling that only points to another
        if line.startswith(("#", "=")) or len(line) < 30 or line[29] == "-":
            continue
        nordic, abroad = counted(line, NORDIC), counted(line, ABROAD)
        for name in line[3:29].replace("+", " ").split() if nordic or abroad else ():
            low = name.lower()
            if "<" in name or low in known or simplemma.is_known(low, lang="en"):
                continue
            if nordic or (len(name) > 3 and not simplemma.is_known(low, lang="da")):
                found.add(name)
    return found


def main() -> None:
    first: set[str] = set()
    last: set[str] = set()
    first_of_old: set[str] = set()  # a surname leaves the surname list only for these
    for locale in [*LOCALES, *MORE_LOCALES, *CYRILLIC]:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        found_first = names(provider, "first_name", CYRILLIC.get(locale))
        found_last = names(provider, "last_name", CYRILLIC.get(locale))
        if locale not in LOCALES:
            found_first, found_last = not_words(found_first), not_words(found_last)
        first |= found_first
        first_of_old |= found_first if locale in LOCALES else set()
        last |= found_last
    for locale in MIMESIS_SURNAMES:
        last |= mimesis_surnames(locale) if locale == "da" else not_words(mimesis_surnames(locale))
    header = (
        f"# Generated by deploy/tools/make_name_lists.py from Faker {faker.VERSION} person\n"
        f"# providers ({', '.join(LOCALES)}; then, without Danish and English words,\n"
        f"# {', '.join(MORE_LOCALES)}; {', '.join(CYRILLIC)} by cyrtranslit); surnames\n"
        f"# without Danish and English words from Mimesis {mimesis.__version__} person\n"
        f"# datasets ({', '.join(MIMESIS_SURNAMES)}).\n"
        "# Faker: Copyright (c) 2012 Daniele Faraglia; MIT licence, see LICENSE-faker.txt.\n"
        "# Mimesis: Copyright (c) 2016 Isaak Uchakaev (Likid Geimfari); MIT licence, see\n"
        "# LICENSE-mimesis.txt.\n"
    )
    for name, words in (("first_names.txt", first), ("surnames.txt", last - first_of_old)):
        (OUT / name).write_text(header + "\n".join(sorted(words)) + "\n", encoding="utf-8")
    hand_kept = (OUT / "also_words.txt").read_text(encoding="utf-8").splitlines()
    known = {n.lower() for n in first | last | set(hand_kept)}
    (OUT / "first_names_nam_dict.txt").write_text(
        "# Generated by deploy/tools/make_name_lists.py from nam_dict.txt as gender-guesser\n"
        "# 0.4.0 ships it: first names counted in Denmark, common in Norway and Sweden, and\n"
        "# counted in the Arab countries, Iran and Turkey, that the lists above lack.\n"
        "# nam_dict.txt: Copyright (c) 2007-2008 Jörg Michael; GNU Free Documentation\n"
        "# Licence 1.2 or later, see LICENSE-nam_dict.txt. This list is under it too.\n"
        + "\n".join(sorted(nam_dict_names(known)))
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
