from django_tasks import task

from . import services


@task()
def process_upload_task(upload_id: int) -> int:
    return services.process_upload(upload_id).pk
