"""The names the public pages show: neighborhoods by the name the city gave them
(store.models.Neighborhood), themes by their title; a slug nobody named yet is shown as
it is. A neighborhood is known when the city named it, a booth stands in it, or a message
came from it."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.language.names import resolve
from ingest.store.models import Booth, Neighborhood, Theme, WeekCount


@dataclass(frozen=True)
class Names:
    """Slug -> display name, for neighborhoods and for themes."""

    neighborhoods: dict[str, str]
    themes: dict[str, str]

    def neighborhood(self, slug: str) -> str:
        return self.neighborhoods.get(slug, slug)

    def theme(self, slug: str) -> str:
        return self.themes.get(slug, slug)


def names(session: Session) -> Names:
    """Every known neighborhood and theme with its display name."""
    neighborhoods = {
        slug: slug
        for slug in (
            *session.scalars(select(Booth.neighborhood).distinct()),
            *session.scalars(select(WeekCount.neighborhood).distinct()),
        )
    }
    neighborhoods.update(
        {slug: name for slug, name in session.execute(select(Neighborhood.slug, Neighborhood.name))}
    )
    themes = {slug: slug for slug in session.scalars(select(WeekCount.theme).distinct())}
    themes.update({slug: title for slug, title in session.execute(select(Theme.slug, Theme.title))})
    return Names(dict(sorted(neighborhoods.items())), dict(sorted(themes.items())))


def find_neighborhood(session: Session, typed: str) -> str | None:
    """The slug of the neighborhood `typed` names (rundhøj, Rundhøj, rundhoej: rundhoj)."""
    return resolve(typed.strip(), names(session).neighborhoods.items())


def find_theme(session: Session, typed: str) -> str | None:
    """The slug of the theme `typed` names, by slug or title."""
    return resolve(typed.strip(), names(session).themes.items())
