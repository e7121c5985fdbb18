"""The catalogue written out: one module per format, and the registry of export formats."""
