"""Compatibility with programs written for everruns-sdk 0.3.x.

The one place for old spellings: alias mixins the resource classes inherit
(`resources.py`), the old streaming classes (`stream.py`), the old model names and
helpers (`models.py`, `helpers.py`), and the APIs 0.3.1 called that this server API does
not offer (`unsupported.py`). Every old spelling warns once, with a DeprecationWarning
naming its replacement (`_warn.py`); `docs/migrating.md` maps each one.
"""
