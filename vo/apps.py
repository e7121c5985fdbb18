from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate

# Django sends the migrate signals only to apps that have models, once each, after (or
# before) the whole plan: the catalogue's is the one we answer, since the views read its tables.
ANSWERED_SENDER = "jmdc"


def drop_published_tables(sender, using="default", **kwargs):
    from vo.tap.publish import drop_published_tables

    if sender.label != ANSWERED_SENDER:
        return
    drop_published_tables(using)


def create_published_tables(sender, using="default", **kwargs):
    from vo.tap.publish import create_published_tables

    if sender.label != ANSWERED_SENDER:
        return
    create_published_tables(using)


class VoConfig(AppConfig):
    name = "vo"
    verbose_name = "Virtual Observatory: TAP, UWS, DataLink, VOResource"

    def ready(self):
        # TAP's views over the models live outside the migrations (vo/tap/publish.py says
        # why): gone before a migrate alters a table, back after it, matching the code.
        pre_migrate.connect(drop_published_tables, dispatch_uid="vo-tap-drop")
        post_migrate.connect(create_published_tables, dispatch_uid="vo-tap-create")
