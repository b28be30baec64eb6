from django_tasks import task

from .plan import today
from .reminders import send_due_reminders


@task()
def send_deadline_reminders_task() -> int:
    """The automatic reminders as a background task (the same idempotent run as
    ``manage.py send_deadline_reminders``): the number of forms reminded."""
    return sum(sent.forms for sent in send_due_reminders(today()).values())
