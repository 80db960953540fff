"""Solara's front-end files for ``netmob app``, installed from the npm registry.

Solara's pages load their JavaScript and CSS (the Vuetify app, RequireJS, Font Awesome)
from a CDN, through the app's own server, which keeps a copy of each file in its cache
directory (``.venv/share/solara/cdn``). A machine that reaches no CDN (a CI runner, a
sandbox, a locked-down NHS laptop) gets a blank page. This puts the npm packages those
pages name, at the versions they name, into that directory, so the app works offline.

Run ``python -m netmob.app.assets`` (``make browser`` does). It needs ``npm``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# In solara's page template: {{cdn}}/<package>@<exact version>/...
REFERENCE = re.compile(r"\{\{cdn\}\}/((?:@[\w.-]+/)?[\w.-]+)@(\d+\.\d+\.\d+)/")
VUETIFY_APPS = ("@widgetti/solara-vuetify-app", "@widgetti/solara-vuetify3-app")


def cache_dir() -> Path:
    """Where solara's server looks for (and caches) CDN files."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def template_text() -> str:
    """Solara's page template, which names the packages and versions it loads."""
    import solara.server

    return (Path(solara.server.__file__).parent / "templates" / "solara.html.j2").read_text()


def packages() -> list[str]:
    """``name@version`` of every package the page loads, for the installed Vue version."""
    import ipyvue

    unused = VUETIFY_APPS[0] if ipyvue.__version__.startswith("3") else VUETIFY_APPS[1]
    found = {f"{n}@{v}" for n, v in REFERENCE.findall(template_text()) if n != unused}
    from solara.server import settings

    fontawesome = settings.assets.fontawesome_path.strip("/").split("/")[0]
    return sorted(found | {fontawesome})


def missing(cache: Path | None = None) -> list[str]:
    """The packages not yet in the cache."""
    cache = cache or cache_dir()
    return [p for p in packages() if not (cache / p / "package.json").is_file()]


def install(cache: Path | None = None) -> list[str]:
    """Put every missing package in the cache (``npm pack``, then unpack); returns them.

    Raises:
        RuntimeError: if npm is missing or fails, naming the package.
    """
    cache = cache or cache_dir()
    todo = missing(cache)
    if todo and shutil.which("npm") is None:
        raise RuntimeError(f"npm is needed to fetch {', '.join(todo)}; install Node.js and npm")
    for spec in todo:
        with tempfile.TemporaryDirectory() as tmp:
            r = subprocess.run(
                ["npm", "pack", "--silent", spec], cwd=tmp, capture_output=True, text=True
            )
            tarballs = list(Path(tmp).glob("*.tgz"))
            if r.returncode != 0 or not tarballs:
                raise RuntimeError(f"npm pack {spec} failed: {r.stderr.strip()[-500:]}")
            unpack(tarballs[0], cache / spec)
    return todo


def unpack(tarball: Path, dest: Path) -> None:
    """Unpack an npm tarball's ``package/`` folder into ``dest`` (atomically: a temporary
    folder renamed into place)."""
    tmp = dest.with_name(dest.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    with tarfile.open(tarball) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith("package/")]
        for m in members:
            m.name = m.name.removeprefix("package/")
        tar.extractall(tmp, members=members, filter="data")
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)


def main() -> None:
    """Install what is missing and say what was done."""
    try:
        done = install()
    except RuntimeError as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(1) from None
    where = cache_dir()
    print(f"Installed {', '.join(done)} in {where}" if done else f"All present in {where}")


if __name__ == "__main__":
    main()
