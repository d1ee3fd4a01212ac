"""Two real app server processes and a small HTTP user agent for the scale tests.

Only the standard library: the servers are Django's own `runserver` (threaded, one process each,
no autoreloader), the user agent is `http.client` with a cookie dict and an HTML form reader, so
the tests need nothing beyond requirements-dev.txt. The point is not the WSGI server: it is that
two separate processes, each with its own connections, share one PostgreSQL database, as several
gunicorn machines behind a load balancer do (see docs/scaling.md).
"""

import ctypes
import ctypes.util
import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
REQUEST_TIMEOUT = 60  # seconds for one request: a loaded 2-core CI machine renders a case page in < 2 s
START_TIMEOUT = 45  # seconds for a server process to answer its first request


# --- Server processes -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for `settings_dict` (the test database pytest-django created)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, have the kernel stop the server if pytest itself is killed
    (a CI timeout), so that no server is left behind holding connections to the test database."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the fixture's finally still stops the servers


@dataclass
class AppServer:
    """One `manage.py runserver --noreload` process on its own port."""

    name: str
    port: int
    log_path: Path
    process: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, env: dict[str, str]) -> None:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own interpreter
                [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", self.address],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def wait_until_ready(self, deadline: float, env: dict[str, str], *, attempts: int = 3) -> None:
        """Poll the sign-in page until it answers 200 (no fixed sleep), or fail with the server's log.

        If another program took the port between free_port() and the server's start, start again on another.
        """
        assert self.process is not None
        while True:
            if self.process.poll() is not None:
                if "already in use" in self.log_tail() and attempts > 1:
                    attempts -= 1
                    self.port = free_port()
                    self.start(env)
                    continue
                raise RuntimeError(f"server {self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                try:
                    conn.request("GET", "/accounts/login/")
                    if conn.getresponse().status == 200:
                        return
                finally:
                    conn.close()
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server {self.name} not ready after {START_TIMEOUT} s:\n{self.log_tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def server_env(db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.test_settings",
        DATABASE_URL=db_url,
        # A connection per request: nothing stays open that would block the test database's flush or drop.
        DATABASE_CONN_MAX_AGE="0",
        DAMPINGI_LOCAL_TRIAL="1",
        DJANGO_SECURE_COOKIES="0",
        PYTHONUNBUFFERED="1",
    )
    return env


# --- Reading forms from a page -----------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    classes: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def values(self, **overrides: str) -> list[tuple[str, str]]:
        """The fields as the browser would submit them, with `overrides` replacing (or adding) values."""
        kept = [(name, value) for name, value in self.fields if name not in overrides]
        return kept + [(name, value) for name, value in overrides.items()]


class _FormReader(HTMLParser):
    """Collects each <form>'s successful controls: inputs (checked boxes only), textareas, selects."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""), method=a.get("method", "get").lower(), classes=a.get("class", "")
            )
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []
        elif tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            # The HTML parser drops the newline right after <textarea>, as browsers do.
            self._form.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [value for value, selected in self._options if selected] or [v for v, _s in self._options[:1]]
            self._form.fields.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "form":
            self._form = None


# --- A user agent ------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    location: str
    body: str
    server: str
    path: str

    @property
    def text(self) -> str:
        """The page's text with entities decoded, to look for a message as the user reads it."""
        return html.unescape(self.body)

    def main_text(self, limit: int = 2500) -> str:
        """The text of the page's <main>, without tags: what the user reads (for failure messages)."""
        start = self.body.find("<main")
        end = self.body.find("</main>")
        chunk = self.body[start:end] if start >= 0 and end > start else self.body
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", chunk)).split())[:limit]

    def forms(self) -> list[Form]:
        reader = _FormReader()
        reader.feed(self.body)
        return reader.forms

    def form(self, *, action: str | None = None, css_class: str | None = None) -> Form:
        for form in self.forms():
            # A form without an action posts to the page's own address.
            if action is not None and urlsplit(form.action or self.path).path != action:
                continue
            if css_class is not None and css_class not in form.classes.split():
                continue
            return form
        raise AssertionError(f"no form action={action!r} class={css_class!r} on the page from {self.server}")


class Browser:
    """One user's browser: its own cookies (session, CSRF), sent to whichever server it asks.

    Like a browser behind a load balancer, it does not care which process answers: the session
    lives in the database, so a sign-in through one process is valid on the other.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.cookies: dict[str, str] = {}

    def tab(self, label: str) -> "Browser":
        """Another tab (or device) of the same signed-in user, with its own copy of the cookies."""
        other = Browser(label)
        other.cookies = dict(self.cookies)
        return other

    def request(self, server: AppServer, method: str, path: str, fields: list[tuple[str, str]] | None = None):
        headers = {"Host": server.address, "User-Agent": f"dampingi-scale-test ({self.label})"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{server.address}"
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            content = resp.read().decode("utf-8", errors="replace")
            for header in resp.headers.get_all("Set-Cookie") or []:
                self._remember(header)
            return Response(resp.status, resp.getheader("Location", ""), content, server.name, path)
        finally:
            conn.close()

    def _remember(self, header: str) -> None:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, server: AppServer, path: str) -> Response:
        return self.request(server, "GET", path)

    def post(self, server: AppServer, path: str, fields: list[tuple[str, str]]) -> Response:
        return self.request(server, "POST", path, fields)

    def sign_in(self, server: AppServer, username: str, password: str) -> None:
        page = self.get(server, "/accounts/login/")
        form = page.form(action="/accounts/login/")
        answer = self.post(server, "/accounts/login/", form.values(username=username, password=password))
        assert answer.status == 302, f"{username} could not sign in through {server.name}: {answer.status}"
        assert "sessionid" in self.cookies
