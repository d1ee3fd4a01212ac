"""manage.py demo_accounts: the table of demo accounts to sign in with (LOCAL TRIAL ONLY)."""

from django.core.management.base import BaseCommand
from django.utils import translation

from dampingi.accounts.models import Role, User
from dampingi.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_USERNAMES
from dampingi.referrals.demo import DEMO_PARTNER_USERNAMES
from dampingi.referrals.models import PartnerStaff


class Command(BaseCommand):
    help = "Print the demo accounts (one per role) and their shared LOCAL TRIAL password."

    def handle(self, *args, **options):
        users = {
            u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related("team", "region")
        }
        if not users:
            self.stdout.write("No demo accounts yet: run `manage.py seed_demo` first (make run does).")
            return
        rows = [("username", "password", "role", "works in")]
        with translation.override("en"):
            for account in DEMO_ACCOUNTS:
                user = users.get(account.username)
                if user is None:
                    continue
                teams = ", ".join(t.name for t in user.supervised_teams.order_by("name"))
                place = (
                    user.team.name
                    if user.team
                    else teams or (f"{user.region.name} ({user.region.code})" if user.region else "administration")
                )
                rows.append((user.username, DEMO_PASSWORD, str(Role(user.role).label), place))
            for staff in PartnerStaff.objects.filter(user__username__in=DEMO_PARTNER_USERNAMES).select_related(
                "user", "organization"
            ):
                rows.append((staff.user.username, DEMO_PASSWORD, str(Role.PARTNER.label), staff.organization.name))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        self.stdout.write("Demo accounts — LOCAL TRIAL ONLY, never on a server with real data:")
        for i, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(cell.ljust(widths[n]) for n, cell in enumerate(row)).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        shown = [*DEMO_USERNAMES, *DEMO_PARTNER_USERNAMES]
        others = User.objects.exclude(username__in=shown).filter(password=users[next(iter(users))].password)
        count = others.count()
        if count:
            self.stdout.write(f"  ...and {count} more demo staff accounts with the same password.")
