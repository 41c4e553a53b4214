"""Search and word counts that understand Danish, on SQLite and PostgreSQL: moderators
search what was said, planners what they may read of it, the public only what was published."""

from ingest.roles import Role
from tests.integration.conftest import Api
from tests.integration.test_moderation import moderate

DANISH = [
    "Jeg vil gerne have en cykelsti langs havnen, så børnene kan cykle sikkert til skolen",
    "Cyklen bliver stjålet hver uge ved stationen, vi mangler en overdækket parkering",
    "Der er alt for mange cykler på fortovet, øh, altså man kan ikke gå der",
    "Hej, jeg hedder Anna Jensen og jeg vil gerne have flere bænke og træer i parken",
]


def approve(api: Api, clip_id: str) -> None:
    moderate(api, clip_id, "approve")


def ids(page: dict[str, list[dict[str, str]]]) -> set[str]:
    return {item["id"] for item in page["items"]}


def test_cykel_finds_cyklen_cykler_and_cykelsti(api: Api) -> None:
    path, sti, cyklen, cykler, names = [
        api.add_clip(t, language="da") for t in (DANISH[0], DANISH[0], *DANISH[1:])
    ]
    english = api.add_clip("We need safer bike lanes and more benches", language="en")
    assert ids(api.get("/api/clips", q="cykel")) == {path, sti, cyklen, cykler}
    assert ids(api.get("/api/clips", q="Cyklerne")) == {path, sti, cyklen, cykler}
    assert ids(api.get("/api/clips", q="cykel parkering")) == {cyklen}  # every word
    assert ids(api.get("/api/clips", q="bænk")) == {names}
    assert ids(api.get("/api/clips", q="bench")) == {english}
    assert ids(api.get("/api/clips", q="lane")) == {english}
    assert api.get("/api/clips", q="tog")["items"] == []
    # Words, never query syntax: quotes and stars are not operators.
    assert ids(api.get("/api/clips", q='"cykel*" (')) == {path, sti, cyklen, cykler}


def test_the_public_searches_only_published_words(api: Api) -> None:
    names = api.add_clip(DANISH[3], language="da")
    bikes = api.add_clip(DANISH[1], language="da")
    pending = api.add_clip(DANISH[2], language="da")
    approve(api, names)
    approve(api, bikes)
    # Planners search the text as redacted for them; moderators and admins the raw text.
    assert api.get("/api/clips", q="Jensen")["items"] == []
    assert ids(api.get("/api/clips", Role.MODERATOR, q="Jensen")) == {names}
    assert ids(api.get("/api/clips", Role.ADMIN, q="Jensen")) == {names}
    public = api.get("/public/clips", role=None, q="Jensen")
    assert public["items"] == []  # the name was redacted before publishing
    assert ids(api.get("/public/clips", role=None, q="cykler")) == {bikes}
    assert pending not in ids(api.get("/public/clips", role=None, q="fortovet"))
    assert ids(api.get("/public/clips", role=None, q="bænkene")) == {names}


def test_the_words_a_theme_heard_most(api: Api) -> None:
    for text in DANISH:
        approve(api, api.add_clip(text, language="da", theme="byliv"))
    approve(api, api.add_clip("Flere cykler og færre biler, tak", language="da", theme="trafik"))
    words = api.get("/public/words", role=None, neighborhood="gellerup", theme="byliv")
    counted = {w["word"]: w["count"] for w in words}
    # cykle, cyklen and cykler share a stem and count as one word (shown in one of its
    # forms); the compound cykelsti is a word of its own.
    cycling = [word for word in counted if word in ("cykle", "cyklen", "cykler")]
    assert len(cycling) == 1 and counted[cycling[0]] == 3 and counted["cykelsti"] == 1
    assert not {"jeg", "øh", "altså", "og", "der", "gerne", "ikke"} & counted.keys()
    assert "jensen" not in counted and "navn" not in counted  # redacted before counting
    assert "biler" not in counted  # another theme
    assert [w["count"] for w in words] == sorted((w["count"] for w in words), reverse=True)


def test_a_search_finds_danish_inflections_of_short_and_syncopated_words(api: Api) -> None:
    trees = api.add_clip("Vi vil have flere træer ved søen", language="da")
    the_trees = api.add_clip("Træerne i parken skal passes bedre", language="da")
    tree = api.add_clip("Plant et træ til hvert barn", language="da")
    bike = api.add_clip("Cyklen blev stjålet ved stationen", language="da")
    along = api.add_clip("Der skal være lys langs stien", language="da")
    for clip in (trees, the_trees, tree, bike, along):
        approve(api, clip)
    for role in (None, Role.PLANNER):
        path = "/public/clips" if role is None else "/api/clips"
        assert ids(api.get(path, role=role, q="træ")) == {trees, the_trees, tree}
        assert ids(api.get(path, role=role, q="cykel")) == {bike}
        assert ids(api.get(path, role=role, q="sø")) == {trees}  # søen
        assert ids(api.get(path, role=role, q="lan")) == set()  # not langs


def test_top_words_leave_out_stop_words_number_words_and_cpr(api: Api) -> None:
    said = [
        "Jeg venter ved bussen fordi den er fem minutter forsinket, mit cpr er 010203-1234",
        "Bag ved skolen holder bussen aldrig, fordi der er fem biler",
    ]
    for text in said:
        approve(api, api.add_clip(text, language="da", theme="trafik"))
    counted = {w["word"] for w in api.get("/public/words", role=None, theme="trafik")}
    assert not {"ved", "fordi", "bag", "fem", "cpr"} & counted
    assert "bussen" in counted
    approve(api, api.add_clip("We need more buses at night", language="en", theme="trafik"))
    languages = {w["word"]: w["language"] for w in api.get("/public/words", None, theme="trafik")}
    assert languages["bussen"] == "da" and languages["buses"] == "en"  # for lang= on the page


def test_words_counted_before_they_joined_the_stop_words_are_left_out(api: Api) -> None:
    from ingest.language.words import ignored
    from ingest.store.models import WordCount

    approve(api, api.add_clip("Bussen kommer aldrig til tiden", language="da", theme="trafik"))
    old = sorted(ignored("da"))[:60]  # more than a batch, each used more than "bussen"
    with api.service.sessions.begin() as session:
        for word in old:
            session.add(WordCount(neighborhood="gellerup", theme="trafik", language="da",
                                  stem=word, form=word, uses=50))  # fmt: skip
    shown = [w["word"] for w in api.get("/public/words", role=None, theme="trafik", limit=3)]
    assert "bussen" in shown and not set(shown) & set(old)
