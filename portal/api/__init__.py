"""The REST API's wiring (urls.py) and the plumbing every endpoint shares."""
