"""Store: what the service keeps and how it finds it again.

The database schema (`models`), engine, sessions and migrations (`database`, `migrations/`),
the planners' clip selections and full-text search (`queries`), the audio files on disk or
in an S3-compatible bucket (`audio`), and API tokens (`tokens`). Store knows no page, no
HTTP and no role above it: whoever composes the service attaches listeners to its sessions.
"""
