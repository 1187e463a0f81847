"""Storage that says what it is: a Space-like run (``SPACE_ID`` set) with and without a
persistent mount (a temporary directory stands in for ``/data``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from plumberforce.settings import Settings
from plumberforce.stores.location import default_data_dir, embedded_storage
from plumberforce.testing.processes import SpaceProcess

SPACE = {"SPACE_ID": "tester/plumberforce", "PLUMBERFORCE_ENGINE": "offline"}


def test_default_data_dir_follows_the_mount(tmp_path: Path) -> None:
    mount = tmp_path / "data"
    assert default_data_dir(None, mount) == Path("data")  # not on a Space
    assert default_data_dir("u/s", mount) == Path("data")  # on a Space, no mount
    mount.mkdir()
    assert default_data_dir("u/s", mount) == mount / "plumberforce"
    assert default_data_dir(None, mount) == Path("data")
    assert Settings(space_id="u/s", persistent_dir=mount).data_dir == mount / "plumberforce"
    assert Settings(space_id="u/s", persistent_dir=mount, data_dir=tmp_path / "x").data_dir == tmp_path / "x"


def test_storage_is_persistent_only_inside_the_mount_on_a_space(tmp_path: Path) -> None:
    mount = tmp_path / "mnt"
    mount.mkdir()
    assert embedded_storage(tmp_path / "d", None, mount).persistent  # local disk, off a Space
    assert embedded_storage(mount / "plumberforce", "u/s", mount).persistent
    outside = embedded_storage(tmp_path / "d", "u/s", mount)
    assert not outside.persistent
    assert "PLUMBERFORCE_REDIS_URL" in outside.warning("en") and str(mount) in outside.warning("en")
    assert "persistente" in outside.warning("it")
    assert outside.public()["kind"] == "embedded" and "warning" in outside.public()
    assert not embedded_storage(mount / "p", "u/s", tmp_path / "missing").persistent


@pytest.fixture(scope="module")
def ephemeral_space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpaceProcess]:
    """On a Space with no persistent storage attached: the mount does not exist."""
    root = tmp_path_factory.mktemp("ephemeral")
    env = {**SPACE, "PLUMBERFORCE_PERSISTENT_DIR": str(root / "no-such-mount")}
    with SpaceProcess(root / "app" / "data", env=env, set_data_dir=False) as space:
        yield space


def test_a_space_with_persistent_storage_keeps_its_data_there(tmp_path: Path) -> None:
    mount = tmp_path / "mount"
    mount.mkdir()
    env = {**SPACE, "PLUMBERFORCE_PERSISTENT_DIR": str(mount)}
    with SpaceProcess(tmp_path / "app" / "data", env=env, set_data_dir=False) as space:
        status = httpx.get(space.url + "/api/status", timeout=10).json()
        assert status["storage"] == {"kind": "embedded", "persistent": True, "where": str(mount / "plumberforce")}
        body = {"query": "What is SOSL?", "client_id": "storage-1"}
        assert httpx.post(space.url + "/api/query", json=body, timeout=30).status_code == 200
        assert "not persistent" not in space.log()
    assert (mount / "plumberforce" / "conversations.sqlite3").is_file()
    assert not (tmp_path / "app" / "data").exists() or not any((tmp_path / "app" / "data").iterdir())


def test_a_space_without_persistent_storage_says_so(ephemeral_space: SpaceProcess) -> None:
    status = httpx.get(ephemeral_space.url + "/api/status", timeout=10).json()
    storage = status["storage"]
    assert storage["kind"] == "embedded" and storage["persistent"] is False
    assert storage["where"] == str(ephemeral_space.data_dir)
    assert "lost" in storage["warning"] and "PLUMBERFORCE_REDIS_URL" in storage["warning"]
    warnings = [line for line in ephemeral_space.log().splitlines() if "Storage is not persistent" in line]
    assert warnings and " WARNING " in warnings[0]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("locale", "tab", "words", "figure"),
    [
        ("en-US", "Diagnostics", "not persistent", "not persistent"),
        ("it-IT", "Diagnostica", "non è persistente", "non persistente"),
    ],
)
def test_the_diagnostics_tab_warns(
    browser: Browser, ephemeral_space: SpaceProcess, locale: str, tab: str, words: str, figure: str
) -> None:
    page = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}).new_page()
    page.goto(ephemeral_space.url)
    page.wait_for_selector("#pf-question textarea", timeout=60_000)
    expect(page.get_by_role("tab", name=tab)).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name=tab).click()
    banner = page.locator("#pf-dg-storage")
    expect(banner).to_contain_text(words, timeout=30_000)
    expect(banner).to_contain_text("PLUMBERFORCE_REDIS_URL")
    expect(page.locator("#pf-dg-figures")).to_contain_text(figure)
    page.context.close()
