"""The models of the VO app live beside the code that uses them (``vo/uws/models.py``); Django
finds an app's models through this module."""

from vo.uws.models import Job, JobResult

__all__ = ["Job", "JobResult"]
