"""REST API plumbing that knows no app of the portal (DRF only): exceptions and the error shape,
renderers. The apps' API modules import it; the project package wires it (settings.REST_FRAMEWORK)."""
