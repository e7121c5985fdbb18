"""The one spelling of an e-mail address the portal compares: surrounding spaces removed,
lower-cased by Python.

Every comparison of addresses goes through normalise() on the Python side and an exact match
in the database, never SQL's lower() or iexact: SQLite's fold only ASCII letters
(Ünïcode@Example.org stays "Ü..."), PostgreSQL's fold per the database's collation, so the
same address would be one on PostgreSQL and two on SQLite. (Mail servers in practice treat
the whole address case-insensitively; we do too, and mail to the address as typed.)
"""


def normalise(email: str | None) -> str:
    return (email or "").strip().lower()
