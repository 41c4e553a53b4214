"""Review: what moderators decide, and what must be forgotten.

`moderation` keeps the marks over personal data and the text that approval publishes;
`retention` deletes audio and raw text when their time is up, and erases by receipt code;
`audit` records who read or changed what.
"""
