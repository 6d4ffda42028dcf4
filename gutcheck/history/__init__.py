"""History: saved assessments and drafts in a local SQLite file, and what is worked out from them.

:mod:`~gutcheck.history.store` keeps them (:mod:`~gutcheck.history.migrations` and
:mod:`~gutcheck.history.sqlite_file` look after the file); :mod:`~gutcheck.history.records` is the
plain data and the profile-name rules; :mod:`~gutcheck.history.trends` and
:mod:`~gutcheck.history.compare` are the domain logic the history views show.
"""

DEFAULT_PROFILE = "default"
"""The profile used when none is named (light to import: the command line's defaults read it)."""
