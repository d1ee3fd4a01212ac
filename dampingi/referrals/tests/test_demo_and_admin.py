"""Demo partner accounts, and linking partner users in the admin."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dampingi.accounts.models import Role
from dampingi.referrals.demo import DEMO_PARTNER_USERNAMES, ensure_partner_accounts
from dampingi.referrals.models import PartnerStaff
from dampingi.referrals.selectors import partner_organization_id
from dampingi.referrals.services import partner_staff_assign
from dampingi.testing.factories import UserFactory


def test_demo_partner_accounts_are_linked_and_idempotent(db):
    ensure_partner_accounts(password="dampingi-demo")
    users = ensure_partner_accounts(password="dampingi-demo")
    assert [u.username for u in users] == DEMO_PARTNER_USERNAMES
    assert PartnerStaff.objects.count() == 2
    assert all(u.role == Role.PARTNER and partner_organization_id(u) for u in users)
    assert users[0].check_password("dampingi-demo")


def test_only_an_administrator_links_only_a_partner_user(cast, puskesmas, sari, yogi):
    partner = UserFactory(username="nina", role=Role.PARTNER)
    with pytest.raises(PermissionDenied):
        partner_staff_assign(actor=sari, user=partner, organization=puskesmas)
    with pytest.raises(ValidationError):
        partner_staff_assign(actor=yogi, user=sari, organization=puskesmas)
    staff = partner_staff_assign(actor=yogi, user=partner, organization=puskesmas)
    assert staff.organization == puskesmas


def test_the_admin_refuses_to_link_a_worker(client, yogi, sari, puskesmas, puskesmas_staff):
    client.force_login(yogi)
    assert client.get(reverse("admin:referrals_partnerstaff_changelist")).status_code == 200
    response = client.post(reverse("admin:referrals_partnerstaff_add"), {"user": sari.pk, "organization": puskesmas.pk})
    assert response.status_code == 200
    assert not PartnerStaff.objects.filter(user=sari).exists()
