"""Submissions and reviews in the REST API (/api/v1/submissions/): ``serializers`` (what
is sent and answered), ``views`` (the viewset, whose every write is a call of
curation.services), ``examples`` (the OpenAPI examples)."""
