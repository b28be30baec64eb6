from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RostersConfig(AppConfig):
    name = "integrity.apps.rosters"
    label = "rosters"
    verbose_name = _("명부")

    def ready(self):
        from integrity.apps.jobs.lease import Kind, register

        from .models import RosterUpload, UploadStatus
        from .services import fail_upload

        register(Kind(RosterUpload, {"status": UploadStatus.RUNNING}, fail_upload, queued={"status": UploadStatus.QUEUED}))
