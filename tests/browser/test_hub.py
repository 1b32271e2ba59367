"""JupyterHub as the clinic's front door (issue 24 item 3), with ``deploy/jupyterhub_config.py`` as
written: two coaches sign up with their own passwords, an admin authorizes them, each signs in as
themselves and gets their own server showing the dashboard (Voila) on the one PostgreSQL roster; both
see the shared roster; the first's save shows in the second's conflict message under the first's
user name, and the history names each coach by their sign-in; neither can reach the other's server
or kernel; a coach the admin removed can no longer sign in."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from conftest import CHROMIUM
from hub import sign_in, sign_up, start_hub, stop_hub
from test_clinic import clinic_db_url  # noqa: F401 — a fixture, used by name
from test_two_coaches import open_history, pick, set_pain, wait_for_text

from planner import ClientProfile
from planner.store import Store

PASSWORDS = {"boss": "boss-" + uuid.uuid4().hex[:12], "ann": "ann-" + uuid.uuid4().hex[:12],
             "ben": "ben-" + uuid.uuid4().hex[:12]}
WAIT_MS = 180_000


@pytest.fixture(scope="module")
def hub_url(clinic_db_url, tmp_path_factory):  # noqa: F811
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (CI installs Debian's chromium)")
    if shutil.which("configurable-http-proxy") is None:
        pytest.skip("configurable-http-proxy is missing (.ci/run installs it from npm)")
    pytest.importorskip("jupyterhub", reason="the clinic extra is not installed (pip install -e '.[clinic]')")
    pytest.importorskip("nativeauthenticator", reason="the clinic extra is not installed")
    hub, url = start_hub(clinic_db_url, tmp_path_factory.mktemp("hub"), admins=["boss"])
    try:
        yield url
    finally:
        stop_hub(hub)


def open_dashboard(browser, url: str, name: str):
    context, page = sign_in(browser, url, name, PASSWORDS[name])
    page.wait_for_url(f"**/user/{name}/voila/render/planner.ipynb**", timeout=WAIT_MS)
    page.wait_for_selector(".tb-status-text[data-replans]", timeout=WAIT_MS)
    return context, page


def test_two_coaches_signed_in_as_themselves_on_one_hub(browser, hub_url, clinic_db_url):  # noqa: F811
    name = f"Hana Hub {uuid.uuid4().hex[:6]}"
    with Store(clinic_db_url, coach="front desk") as store:
        client_id = store.create_client(ClientProfile(name=name))

    for coach in ("boss", "ann", "ben"):
        sign_up(browser, hub_url, coach, PASSWORDS[coach])
    context, page = sign_in(browser, hub_url, "ann", PASSWORDS["ann"])  # not yet authorized: no server
    try:
        page.wait_for_load_state()
        assert "/user/ann/" not in page.url
    finally:
        context.close()
    admin_context, admin = sign_in(browser, hub_url, "boss", PASSWORDS["boss"])  # the admin adds both coaches
    try:
        admin.wait_for_load_state()
        for coach in ("ann", "ben"):
            admin.goto(f"{hub_url}/hub/authorize/{coach}", timeout=60_000)

        (ann_context, ann), (ben_context, ben) = (open_dashboard(browser, hub_url, "ann"),
                                                  open_dashboard(browser, hub_url, "ben"))
        try:
            pick(ann, name)  # each sees the shared roster
            pick(ben, name)
            set_pain(ben, 7)  # unsaved before ann saves: kept, not replaced by ann's save
            wait_for_text(ben, ".tb-client-message", "Unsaved changes")
            set_pain(ann, 5)
            ann.click(".tb-client-save")
            wait_for_text(ann, ".tb-client-message", f"Saved {name}")
            ben.click(".tb-client-save")
            wait_for_text(ben, ".tb-conflict", f"{name} changed since you opened it")
            assert "saved by ann" in ben.inner_text(".tb-conflict").replace("\xa0", " ")
            open_history(ben)
            assert [row.split("\t")[1:] for row in ben.locator(".tb-history-row").all_inner_texts()] == [
                ["ann", "saved"], ["front desk", "created"]]

            # Neither reaches the other's server: its pages, its kernels API, a kernel's websocket.
            ann_kernels = ann.request.get(f"{hub_url}/user/ann/api/kernels")
            assert ann_kernels.status == 200 and ann_kernels.json()
            kernel_id = ann_kernels.json()[0]["id"]
            for path in ("/user/ann/voila/render/planner.ipynb", "/user/ann/api/kernels",
                         f"/user/ann/api/kernels/{kernel_id}"):
                response = ben.request.get(f"{hub_url}{path}", max_redirects=5)
                assert response.status == 403, (path, response.status, response.url)
                assert "tb-status-text" not in response.text() and '"connections"' not in response.text()
            opened = ben.evaluate("""([url]) => new Promise((resolve) => {
                const socket = new WebSocket(url);
                socket.onopen = () => { socket.close(); resolve('opened'); };
                socket.onerror = () => resolve('refused');
                setTimeout(() => resolve('timeout'), 20000); })""",
                                  [f"{hub_url.replace('http', 'ws', 1)}/user/ann/api/kernels/{kernel_id}/channels"])
            assert opened == "refused"
        finally:
            for tab, tab_context in ((ann, ann_context), (ben, ben_context)):
                tab.close(run_before_unload=True)
                tab_context.close()
        with Store(clinic_db_url) as store:
            assert [(item.changed_by, item.note) for item in store.history(client_id)] == [
                ("front desk", "created"), ("ann", "saved")]
            assert store.load_client(client_id).profile.pain.pain_now == 5

        # The admin removes ben (as the admin page does: the hub's API with the admin's sign-in).
        admin.goto(f"{hub_url}/hub/admin", timeout=60_000)
        status = admin.evaluate("""async ([url]) => {
            const xsrf = document.cookie.split('; ').find(c => c.startsWith('_xsrf='));
            const headers = xsrf ? {'X-XSRFToken': decodeURIComponent(xsrf.slice(6))} : {};
            await fetch(url + '/server', {method: 'DELETE', headers});
            for (let i = 0; i < 60; i++) {
                const done = await fetch(url, {method: 'DELETE', headers});
                if (done.status !== 400) return done.status;  // 400 while the server is stopping
                await new Promise(r => setTimeout(r, 1000));
            }
            return 400; }""", [f"{hub_url}/hub/api/users/ben"])
        assert status == 204
        context, page = sign_in(browser, hub_url, "ben", PASSWORDS["ben"])
        try:
            page.wait_for_load_state()
            page.wait_for_timeout(2000)
            assert "/user/ben/" not in page.url and "/hub/login" in page.url
        finally:
            context.close()
    finally:
        admin_context.close()
