"""Plain helpers that know no Django app (text cleaning; more to come, see DESIGN.md)."""
