"""Operations: the native stack (`stack`, `native.py`), backups and restores."""
