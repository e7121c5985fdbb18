"""Plain helpers that know no Django app: text cleaning, numbers, retry delays, task
enqueueing, sky geometry, bibcode patterns, findings (see docs/architecture.md)."""
