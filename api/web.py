"""The path explorer page: ``/`` and its assets under ``/static/``.

The page is plain HTML, CSS and JavaScript talking to ``/graphql`` with the key
the user types in; it holds no data of its own, so the edge middleware serves it
without a key. Cytoscape.js (and GraphiQL with React, for ``/graphql`` in a browser)
come from npm (``web/package-lock.json``) and are copied to ``api/static/vendor/``
by ``scripts/vendor_web.sh``; nothing is loaded
from another origin, and the Content-Security-Policy below makes the browser
enforce that.

Example::

    Litestar(route_handlers=[*WEB_HANDLERS, graphql_controller])
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from litestar import MediaType, Response, get
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

STATIC_DIR = Path(__file__).parent / "static"
VENDOR_FILES = ("vendor/cytoscape.min.js",)
GRAPHIQL_FILES = (
    "vendor/react.production.min.js",
    "vendor/react-dom.production.min.js",
    "vendor/graphiql.min.js",
    "vendor/graphiql.min.css",
)
VENDOR_NOTICE_SLOT = "<!--vendor-notice-->"

SECURITY_HEADERS = {
    # Same-origin only: scripts, styles, fetches, images. Cytoscape.js sets
    # inline styles on its canvases, hence 'unsafe-inline' for styles alone.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


# GraphiQL's stylesheet embeds its fonts as data: URLs.
GRAPHIQL_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": SECURITY_HEADERS["Content-Security-Policy"].replace(
        "font-src 'self'", "font-src 'self' data:"
    ),
}


def missing_vendor_files(
    static_dir: Path = STATIC_DIR, names: tuple[str, ...] = VENDOR_FILES
) -> list[str]:
    """Vendored libraries a page needs that are not on disk."""
    return [name for name in names if not (static_dir / name).is_file()]


@cache
def _template() -> str:
    return (STATIC_DIR / "index.html").read_text(encoding="utf-8")


def page_html(static_dir: Path = STATIC_DIR) -> str:
    """index.html, with a visible notice when the vendored graph library is missing."""
    html = _template() if static_dir == STATIC_DIR else (static_dir / "index.html").read_text()
    missing = missing_vendor_files(static_dir)
    if not missing:
        return html
    notice = (
        '<div class="notice notice-error" role="alert" id="vendor-notice">'
        "The graph library is missing on the server ("
        + ", ".join(f"api/static/{m}" for m in missing)
        + "). Run <code>make install</code> (or <code>scripts/vendor_web.sh</code>) and reload."
        " Paths are still listed as text below.</div>"
    )
    return html.replace(VENDOR_NOTICE_SLOT, notice, 1)


@get("/", media_type=MediaType.HTML, sync_to_thread=False, include_in_schema=False)
def index() -> Response[str]:
    """The path explorer page."""
    return Response(
        page_html(),
        media_type=MediaType.HTML,
        headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"},
    )


def graphiql_response() -> Response[str]:
    """GraphiQL at ``/graphql`` for browsers, from this origin (Strawberry's page uses a CDN)."""
    missing = missing_vendor_files(STATIC_DIR, GRAPHIQL_FILES)
    if missing:
        return Response(
            "GraphiQL's files are missing on the server ("
            + ", ".join(f"api/static/{m}" for m in missing)
            + "). Run `make install` (or scripts/vendor_web.sh); the API itself works.",
            status_code=503,
            media_type=MediaType.TEXT,
        )
    return Response(
        (STATIC_DIR / "graphiql.html").read_text(encoding="utf-8"),
        media_type=MediaType.HTML,
        headers={**GRAPHIQL_HEADERS, "Cache-Control": "no-cache"},
    )


static_files = create_static_files_router(
    path="/static",
    directories=[STATIC_DIR],
    name="static",
    cache_control=CacheControlHeader(no_cache=True),
)

WEB_HANDLERS: list[ControllerRouterHandler] = [index, static_files]
"""Route handlers to add to the app: ``route_handlers=[..., *WEB_HANDLERS]``."""
