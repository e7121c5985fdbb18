"""The catalogue in the REST API: serializers and viewsets (routed by portal/api/urls.py)."""
