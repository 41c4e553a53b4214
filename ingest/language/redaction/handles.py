"""Names people go by online: a gamer tag, a TikTok or Instagram handle ("min gamertag er
Sn1perKing_Aar", "han går under navnet HusseinTheDream på TikTok", "det er xXDarkWolfXx på
Fortnite"). A handle leads to its owner as surely as a name does; it is known by its shape
(capitals inside the word, digits after letters, an underscore) and by what is said around it,
never by its shape alone: "iPhone", "TikTok" and "Dokk1" are no one's."""

import re

from ingest.language.redaction.lists import lists
from ingest.language.redaction.spans import Kind, Span

# A word shaped like a handle: "xXDarkWolfXx", "QuickScopeQueen", "VikingSlayer420",
# "Sn1perKing_Aar", "ahmadd2005".
_HANDLE = r"(?=\w*(?:[a-z][A-Z]|[A-Za-z]\d|_))[A-Za-z][\w]{3,}"
_PLATFORMS = (
    r"tiktok|instagram|insta|snapchat|snap|discord|twitch|youtube|fortnite|roblox|steam|xbox|"
    r"playstation|psn|valorant|minecraft|spotify|reddit"
)
# Said before a handle: "min gamertag er", "under navnet", "spiller med", "my gamer tag is".
_BEFORE = re.compile(
    r"\b(?i:gamer[\s-]?tag|gamertag|brugernavn|username|user\s+name|handle|under\s+navnet|"
    r"spiller\s+med|plays\s+with|kalder\s+sig|går\s+under)(?:\s+(?i:er|is|hedder))?[\s:,]+"
    rf"(?P<handle>{_HANDLE})"
)
# Said after one: "… på TikTok", "… on Discord".
_AFTER = re.compile(rf"(?<![\w@.])(?P<handle>{_HANDLE})\s+(?i:på|on|i|in)\s+(?i:{_PLATFORMS})\b")
# More handles listed after a first: "QuickScopeQueen og DanskDreng07".
_ANOTHER = re.compile(rf"\s*(?:,|\s(?i:og|and))\s+(?P<handle>{_HANDLE})")


def find(text: str) -> list[Span]:
    found = []
    for pattern in (_BEFORE, _AFTER):
        for match in pattern.finditer(text):
            if lists().is_public(match.group("handle")):
                continue
            found.append(Span(match.start("handle"), match.end("handle"), Kind.NAME))
            end = match.end("handle")
            while (more := _ANOTHER.match(text, end)) is not None:
                found.append(Span(more.start("handle"), more.end("handle"), Kind.NAME))
                end = more.end()
    return found
