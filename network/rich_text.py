"""Descriptions in Markdown, rendered safely (docs/network.md, ADR 0010).

markdown-it-py with raw HTML disabled: any HTML typed by a user is shown as text, never
interpreted; links are limited to http, https and mailto (its link validator refuses
``javascript:``, ``data:``...) and open with ``rel="nofollow ugc"``."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable(["image"])
_ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


def _validate_link(url: str) -> bool:
    return url.strip().lower().startswith(_ALLOWED_SCHEMES)


_md.validateLink = _validate_link


def _link_open(self, tokens, idx, options, env):
    tokens[idx].attrSet("rel", "nofollow ugc")
    return self.renderToken(tokens, idx, options, env)


_md.add_render_rule("link_open", _link_open)


def render_markdown(text: str) -> SafeString:
    """HTML of a user's Markdown; raw HTML escaped, unsafe links left as text."""
    return mark_safe(_md.render(text or ""))  # noqa: S308 (markdown-it escapes HTML: html=False)
