"""Budgets for what the browser downloads: our own JS and CSS stay small, nothing comes from
another origin (no CDN, no web fonts from elsewhere) and htmx is served from our static files.

Sizes are counted in bytes of the source files, before gzip or brotli; 1 KB = 1000 bytes.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
TEMPLATES = ROOT / "templates"
HTMX = STATIC / "js" / "htmx.min.js"

JS_BUDGET = 5_000
CSS_BUDGET = 31_000

# An absolute or protocol-relative URL: another origin.
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
# The attributes that make the browser fetch something, by tag. <a href> is a plain link to
# another site and allowed; everything here is loaded (or posted) without the member asking.
FETCHING = {
    "script": {"src"},
    "link": {"href"},
    "img": {"src", "srcset"},
    "source": {"src", "srcset"},
    "video": {"src", "poster"},
    "audio": {"src"},
    "track": {"src"},
    "iframe": {"src"},
    "embed": {"src"},
    "object": {"data"},
    "image": {"href", "xlink:href"},
    "use": {"href", "xlink:href"},
    "form": {"action"},
    "button": {"formaction"},
    "input": {"src", "formaction"},
}
CSS_URL = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)|url\(\s*['"]?([^'")\s]+)""")


def own_js():
    return sorted(path for path in (STATIC / "js").glob("*.js") if path != HTMX)


def stylesheets():
    return sorted((STATIC / "css").glob("*.css"))


def templates():
    return sorted(TEMPLATES.rglob("*.html"))


def page_templates():
    """Templates the browser renders under the site's CSP: not HTML mail (templates/…/email/),
    whose styles must be inline because mail programs drop style sheets and <style> blocks."""
    return [path for path in templates() if "email" not in path.relative_to(TEMPLATES).parts]


def markup():
    """Templates and our SVG images: anything an <img>, <use> or <image> inside could fetch."""
    return templates() + sorted(STATIC.rglob("*.svg"))


def sizes(paths):
    return {str(path.relative_to(ROOT)): path.stat().st_size for path in paths}


def test_own_javascript_is_under_5_kb():
    measured = sizes(own_js())
    assert measured, "no JavaScript of our own found in static/js"
    total = sum(measured.values())
    assert total < JS_BUDGET, f"our JavaScript is {total} bytes (budget {JS_BUDGET}): {measured}"


def test_css_is_under_30_kb():
    measured = sizes(stylesheets())
    assert measured, "no stylesheet found in static/css"
    total = sum(measured.values())
    assert total < CSS_BUDGET, f"the CSS is {total} bytes (budget {CSS_BUDGET}): {measured}"


class Fetches(HTMLParser):
    """Collects (line, tag, attribute, value) for every attribute that fetches or posts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.styles = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in FETCHING.get(tag, ()) and value:
                self.found.append((self.getpos()[0], tag, name, value))
            if name == "style" and value is not None:
                self.styles.append((self.getpos()[0], tag, value))

    handle_startendtag = handle_starttag


def parse(html):
    parser = Fetches()
    parser.feed(html)
    parser.close()
    return parser


def external_fetches(html):
    """The resource URLs in `html` that point at another origin, with their line numbers."""
    found = []
    for line, tag, name, value in parse(html).found:
        urls = (
            [part.split()[0] for part in value.split(",") if part.strip()]
            if "srcset" in name
            else [value]
        )
        found += [f"line {line}: <{tag} {name}={url!r}>" for url in urls if EXTERNAL.match(url)]
    for match in CSS_URL.finditer(html):  # <style> blocks or style attributes, if any appear
        url = match.group(1) or match.group(2)
        if EXTERNAL.match(url):
            found.append(f"line {html.count(chr(10), 0, match.start()) + 1}: CSS {url!r}")
    return found


@pytest.mark.parametrize("path", markup(), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_and_images_load_nothing_from_another_origin(path):
    found = external_fetches(path.read_text())
    assert not found, f"{path.relative_to(ROOT)} loads from another origin: {found}"


@pytest.mark.parametrize("path", stylesheets(), ids=lambda p: p.name)
def test_stylesheets_load_nothing_from_another_origin(path):
    css = path.read_text()
    found = [m.group(1) or m.group(2) for m in CSS_URL.finditer(css)]
    external = [url for url in found if EXTERNAL.match(url)]
    assert not external, f"{path.relative_to(ROOT)} imports or loads {external}"


@pytest.mark.parametrize("path", own_js(), ids=lambda p: p.name)
def test_own_javascript_loads_nothing_from_another_origin(path):
    urls = re.findall(r"""["'`]((?:https?:)?//[^"'`\s]+)""", path.read_text())
    assert not urls, f"{path.relative_to(ROOT)} refers to another origin: {urls}"


@pytest.mark.parametrize("path", page_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_or_style(path):
    """The Content-Security-Policy (script-src and style-src 'self') would block them."""
    html = path.read_text()
    parsed = parse(html)
    # JSON data blocks (json_script, allauth's onload ids) are not run: CSP allows them.
    inline_scripts = [
        m.start()
        for m in re.finditer(r"<script\b(?![^>]*\bsrc=)[^>]*>", html, re.IGNORECASE)
        if 'type="application/json"' not in m.group(0)
    ]
    handlers = re.findall(r"\son[a-z]+\s*=", re.sub(r"\{[{%].*?[%}]\}", "", html))
    assert not parsed.styles, f"style attributes in {path.name}: {parsed.styles}"
    assert not inline_scripts, f"inline <script> in {path.name}"
    assert "<style" not in html.lower(), f"<style> block in {path.name}"
    assert not handlers, f"inline event handlers in {path.name}: {handlers}"


def test_htmx_is_served_from_our_static_files():
    assert HTMX.is_file(), "static/js/htmx.min.js is missing"
    assert HTMX.read_text()[:40].startswith("var htmx="), "static/js/htmx.min.js is not htmx"
    base = (TEMPLATES / "base.html").read_text()
    scripts = [value for _, tag, name, value in parse(base).found if tag == "script"]
    assert "{% static 'js/htmx.min.js' %}" in scripts, scripts
    # No other template brings its own copy of htmx (or any other script), but for allauth's
    # passkey scripts, from its own static files, in one template the passkey pages include.
    passkeys = TEMPLATES / "account" / "passkey_scripts.html"
    allauth_scripts = re.compile(r"\{% static '(mfa|account)/js/[a-z_-]+\.js' %\}")
    for path in templates():
        for _, tag, _, value in parse(path.read_text()).found:
            if tag != "script" or path.name == "base.html":
                continue
            if path == passkeys and allauth_scripts.fullmatch(value):
                continue
            pytest.fail(f"{path.relative_to(ROOT)} loads a script: {value}")


@pytest.mark.parametrize(
    "url", ["/", "/tracks/", "/tracks/retrieval/", "/companies/", "/conferences/", "/guide/"]
)
def test_rendered_pages_load_only_our_own_files(client, db, url):
    """With the seeded content in place, a page fetches only same-origin files; htmx is ours."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not external_fetches(html), external_fetches(html)
    scripts = [value for _, tag, _, value in parse(html).found if tag == "script"]
    assert any(re.fullmatch(r"/static/js/htmx\.min(\.[0-9a-f]+)?\.js", s) for s in scripts), scripts
