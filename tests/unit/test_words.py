"""Danish-first words: stems for search, counts without stop words, fillers or labels."""

import sqlalchemy as sa
from alembic import command

from ingest.language.words import index_terms, query_terms, top_words, word_forms, words
from ingest.sessions import DERIVED, migrate_database
from ingest.store.database import alembic_config, make_engine
from ingest.store.queries import _matches


def test_redaction_labels_and_numbers_are_not_words() -> None:
    assert words("Ring til [telefon], mit CPR er [CPR]; 23 bænke") == [
        "ring", "til", "mit", "cpr", "er", "bænke",
    ]  # fmt: skip


def test_a_search_word_looks_for_its_stem_without_the_danish_e() -> None:
    assert query_terms("Cykel") == [[("cykel", True), ("cykl", True)]]
    assert query_terms("vinter") == [[("vint", True), ("vinter", True), ("vintr", True)]]
    (tog,) = query_terms("tog tog")  # once
    assert ("tog", False) in tog and not any(prefix for _, prefix in tog)  # short: whole
    assert ("toget", False) in tog and ("togene", False) in tog  # with its endings
    assert query_terms("* ( ") == []


def test_a_clip_of_unknown_language_is_indexed_both_ways() -> None:
    assert index_terms("parking", None).split() == ["park", "parking"]
    assert index_terms("parking", "da").split() == ["parking"]
    assert index_terms(None, "da") == ""


def test_forms_count_together_under_the_commonest_and_fillers_do_not_count() -> None:
    counted = top_words(
        [
            ("Øh, altså, bænkene i parken og flere bænke", "da"),
            ("Bænke! Ja, bænke, ligesom", "da"),
            ("Like, we need trees, um, trees", "en"),
        ]
    )
    assert counted[:2] == [("bænke", 4), ("trees", 2)]
    assert not {"øh", "altså", "ja", "ligesom", "like", "um", "og"} & {w for w, _ in counted}


def test_the_forms_of_a_danish_word_count_as_one_however_snowball_stems_them() -> None:
    """Snowball leaves short words whole (træ, træer, træet are three stems) and keeps the
    unstressed e (cykel vs cykl): the counts still see one word each."""
    counted = dict(
        top_words(
            [
                ("Flere træer, et træ mere, træet ved søen og alle træerne", "da"),
                ("Cyklen står ved min cykel, cykler overalt", "da"),
                ("Byen, byer og en by", "da"),
                ("Legepladsen og legepladser", "da"),
            ]
        )
    )
    assert {w: counted[w] for w in ("træer", "cyklen", "byen", "legepladsen")} == {
        "træer": 4,
        "cyklen": 3,
        "byen": 2,  # "by" itself is too short to count
        "legepladsen": 2,
    }
    # A lemma that is not where the word begins is not taken: cyklen is no "cyklus".
    assert len({word_forms(w, "da").most_common(1)[0][0][1] for w in ("cyklen", "cykel")}) == 1


def test_the_migration_gives_clips_already_stored_their_terms(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/old.sqlite3"
    engine = make_engine(url)
    config = alembic_config()
    config.attributes["derived"] = DERIVED
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.execute(
            sa.text(
                "INSERT INTO clips (id, booth_id, neighborhood, theme, recorded_at, received_at,"
                " duration_ms, content_type, sha256, size_bytes, config_version, status,"
                " attempts, moderation, text, language) VALUES ('c1', 'b', 'n', 't',"
                " '2026-01-01', '2026-01-01', 1000, 'audio/ogg', 'x', 1, 0, 'transcribed', 0,"
                " 'pending', 'Cyklerne holder i kø', 'da')"
            )
        )
        command.upgrade(config, "head")
    from sqlalchemy.orm import Session

    from ingest.store.models import Clip

    with Session(engine) as session:
        found = session.scalars(sa.select(Clip.id).where(_matches("cykel", session, "raw"))).all()
        assert found == ["c1"]
        bus = _matches("bus", session, "raw")
        assert session.scalars(sa.select(Clip.id).where(bus)).all() == []
    # Planners' terms need the redaction rules: the service fills them after migrating.
    migrate_database(engine)
    with Session(engine) as session:
        redacted = _matches("cykel", session, "redacted")
        assert session.scalars(sa.select(Clip.id).where(redacted)).all() == ["c1"]


def test_a_short_danish_word_finds_its_inflections_whole_not_longer_words() -> None:
    (trae,) = query_terms("træ")
    forms = {form for form, _ in trae}
    # Snowball leaves short words whole in the index: træer, træet, træerne (as træern).
    for indexed in ("træ", "træer", "træet", "træern"):
        assert indexed in index_terms(indexed, "da").split() and indexed in forms, indexed
    (by,) = query_terms("by")
    assert {"byen", "byer", "byens"} <= {form for form, _ in by}
    (lan,) = query_terms("lan")
    assert "langs" not in {form for form, _ in lan} and not any(p for _, p in lan)


def test_stop_words_fillers_number_words_and_cpr_do_not_count() -> None:
    said = (
        "Jeg står ved bussen, fordi den er fem minutter for sent, og bag ved skolen er mit"
        " CPR-nummer [CPR] tre gange blevet råbt ud, øh, altså det synes jeg er for dårligt"
    )
    counted = {form for (_, _, form) in word_forms(said, "da")}
    assert not {"ved", "fordi", "bag", "fem", "tre", "cpr", "nummer", "synes"} & counted
    assert {"bussen", "minutter", "skolen", "dårligt", "råbt"} <= counted
    # A noun in stopwords-iso's Danish list still counts: what a place needs.
    assert {"tag", "nyt"} <= {form for (_, _, form) in word_forms("Et nyt tag, tak", "da")}
