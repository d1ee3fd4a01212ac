from io import StringIO

import pytest
from django.core.management import call_command


def run(name, *args):
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_demo_accounts_says_to_seed_first_when_there_are_none():
    assert "seed_demo" in run("demo_accounts")


def test_demo_accounts_prints_the_five_accounts_with_role_and_password(monkeypatch):
    monkeypatch.setenv("DAMPINGI_LOCAL_TRIAL", "1")
    run("seed_demo", "--clients", "12", "--seed", "3")
    out = run("demo_accounts")
    assert "LOCAL TRIAL ONLY" in out
    lines = {line.split()[0]: line for line in out.splitlines()[3:] if line.strip() and not line.startswith("  ...")}
    for username, role, place in [
        ("sari", "social worker", "Tim Cileunyi"),
        ("dedi", "social worker", "Tim Majalaya"),
        ("ratna", "supervisor", "Tim Cileunyi, Tim Majalaya"),
        ("hendra", "manager", "Kabupaten Bandung (32.04)"),
        ("yogi", "administrator", "administration"),
    ]:
        assert username in lines
        assert "dampingi-demo" in lines[username]
        assert role in lines[username]
        assert place in lines[username]
    assert "more demo staff accounts" in out


@pytest.mark.parametrize("username", ["sari", "ratna", "hendra", "yogi"])
def test_demo_account_can_sign_in_with_the_printed_password(client, monkeypatch, username):
    monkeypatch.setenv("DAMPINGI_LOCAL_TRIAL", "1")
    run("seed_demo", "--clients", "8", "--seed", "3")
    assert client.login(username=username, password="dampingi-demo")
