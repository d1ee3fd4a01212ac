"""Background work of the notifications, on huey (`manage.py run_huey` runs the worker).

- `send_notification_email(notification_id)`: queued after commit by services.notify.
- `due_reminders`: a periodic task, every 15 minutes (crontab minute="*/15"; huey evaluates
  crontabs in UTC here, which for a minute-only schedule is the same in any time zone). It only
  calls `reminders.send_due_reminders()`: a reminder due on a local day (Asia/Jakarta) is made
  within 15 minutes after that day starts, and never twice (dedupe keys), so running it more
  often, twice, or on two workers at once changes nothing.

The logic lives in plain functions (emails.py, reminders.py); these wrappers only schedule it.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from dampingi.notifications.emails import notification_email_send
from dampingi.notifications.reminders import send_due_reminders

REMINDER_SCHEDULE = crontab(minute="*/15")


@db_task(retries=3, retry_delay=300)
def send_notification_email(notification_id: int) -> bool:
    return notification_email_send(notification_id=notification_id)


@db_periodic_task(REMINDER_SCHEDULE)
def due_reminders() -> int:
    return len(send_due_reminders())
