"""Send to TOPCAT / Aladin, as an astronomer does it: Chromium opens the catalogue, the menu
registers with a real SAMP hub through its Web Profile (pyvo.samp's hub, the one astropy.samp
became, listening on 127.0.0.1:21012), lists a real SAMP client subscribed to
table.load.votable, and sends it the table's URL; the client downloads that URL without the
browser's cookies, as TOPCAT does, and parses the VOTable. With no hub, the menu says what to
start and offers the download."""

import queue
import socket
import threading
import urllib.request
import warnings
from io import BytesIO

import pytest
from astropy.io.votable import parse_single_table

from tests.parts import missing_part

pytestmark = [pytest.mark.postgresql, pytest.mark.e2e]

WEB_PORT = 21012  # the SAMP Web Profile's port, fixed by the standard
SEND = "Send to TOPCAT / Aladin / any table viewer"
STAR = "HD84810"  # the 2020 catalogue's most measured star


class Consenting:
    """The hub's consent dialog (pyvo.samp.hub.WebProfileDialog's duck type): where TOPCAT asks
    its user whether this web page may register, this one says yes and notes who asked."""

    def __init__(self):
        self.asked: list[tuple[str, str]] = []  # (samp.name, origin)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._answer, daemon=True)

    def _answer(self):
        while not self._stop.is_set():
            try:
                request = self.queue_request.get(timeout=0.05)
            except (AttributeError, queue.Empty):  # the hub sets the queues when it starts
                self._stop.wait(0.05)
                continue
            identity, _address, origin = request
            self.asked.append((identity["samp.name"], origin))
            self.queue_result.put(True)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=5)


class TableViewer:
    """A SAMP client on the standard profile, the part of TOPCAT that matters here: on
    table.load.votable it downloads the URL itself (no cookies) and reads the VOTable."""

    def __init__(self, hub, samp):
        self.received = queue.Queue()
        self.pointed = queue.Queue()
        self.client = samp.SAMPIntegratedClient(
            name="Test table viewer", description="a SAMP receiver of the test"
        )
        self.client.connect(hub=hub)
        self.client.bind_receive_notification("table.load.votable", self._load)
        self.client.bind_receive_notification("coord.pointAt.sky", self._point)

    def _load(self, private_key, sender_id, mtype, params, extra):
        try:
            with urllib.request.urlopen(params["url"], timeout=30) as answer:  # noqa: S310
                table = parse_single_table(BytesIO(answer.read())).to_table()
            self.received.put((params, table))
        except Exception as exc:  # the test reads what went wrong
            self.received.put((params, exc))

    def _point(self, private_key, sender_id, mtype, params, extra):
        self.pointed.put(params)

    def disconnect(self):
        self.client.disconnect()


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def hub(tmp_path):
    if not port_is_free(WEB_PORT):
        missing_part(f"port {WEB_PORT} is taken: stop the SAMP hub running here (TOPCAT, Aladin)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from pyvo import samp
    consent = Consenting()
    server = samp.SAMPHubServer(
        web_profile=True, web_profile_dialog=consent, lockfile=str(tmp_path / "samp"),
        label="e2e hub",
    )  # fmt: skip
    server.start()
    consent.start()
    viewer = TableViewer(server, samp)
    try:
        yield consent, viewer
    finally:
        viewer.disconnect()
        consent.stop()
        server.stop()


def test_the_catalogue_selection_reaches_a_table_viewer_that_loads_it_from_its_url(
    stack, new_page, hub
):
    consent, viewer = hub
    page = new_page()
    expected = page.request.get(f"/api/v1/measurements/?identifier={STAR}&page_size=1").json()
    page.goto(f"/?identifier={STAR}")
    assert consent.asked == []  # nothing talks to the hub before the user asks
    page.get_by_role("button", name=SEND).click()
    send = page.get_by_role("button", name="Send the table to Test table viewer")
    send.wait_for()
    assert consent.asked == [("JMDC", page.evaluate("location.origin"))]
    send.click()
    params, table = viewer.received.get(timeout=60)
    assert not isinstance(table, Exception), table
    assert params["url"] == f"{page.evaluate('location.origin')}/export.vot?identifier={STAR}"
    assert len(table) == expected["count"] >= 30
    assert set(table["ID1"]) == {STAR}
    status = page.locator(".samp-status")
    assert "Sent to Test table viewer" in status.inner_text()


def test_a_star_page_points_the_viewer_at_the_star(stack, new_page, hub):
    _consent, viewer = hub
    page = new_page()
    answer = page.request.get(f"/api/v1/measurements/?identifier={STAR}&page_size=1").json()
    star = answer["results"][0]["star"]
    page.goto(f"/star/{star}/")
    position = page.evaluate("JSON.parse(document.querySelector('.samp').dataset.samp)")
    if position["ra"] is None:
        pytest.fail(f"the stack's {STAR} has no position to point at")
    page.get_by_role("button", name=SEND).click()
    page.get_by_role("button", name="Point Test table viewer at this star").click()
    params = viewer.pointed.get(timeout=60)
    assert float(params["ra"]) == pytest.approx(position["ra"])
    assert float(params["dec"]) == pytest.approx(position["dec"])


def test_without_a_hub_the_menu_says_what_to_start_and_offers_the_download(stack, new_page):
    if not port_is_free(WEB_PORT):
        missing_part(f"port {WEB_PORT} is taken: stop the SAMP hub running here (TOPCAT, Aladin)")
    page = new_page()
    page.goto("/?method=1")
    page.get_by_role("button", name=SEND).click()
    help_block = page.locator(".samp-help")
    help_block.wait_for(state="visible")
    assert "Start TOPCAT or Aladin Desktop" in help_block.inner_text()
    assert "No SAMP hub is running" in page.locator(".samp-status").inner_text()
    download = page.get_by_role("link", name="Download the VOTable")
    assert download.get_attribute("href") == "/export.vot?method=1"
    address = page.get_by_label("Its address, for TOPCAT's or Aladin's \"load from URL\"")
    assert address.input_value().endswith("/export.vot?method=1")
    page.keyboard.press("Escape")
    assert page.locator(".samp-panel").is_hidden()
    assert page.get_by_role("button", name=SEND).get_attribute("aria-expanded") == "false"
