"""Where text may go: only to an endpoint the user named, and, with an allow-list, only to its hosts.

Our users draft from internal material that often may not leave the office network. So gongwen never
picks an endpoint for the user (the ``openai`` client's built-in default is never used), and every HTTP
client that can carry text (drafting, judging, embedding) is built here:

- the URL must be named (a flag, the environment, or a run folder that recorded it);
- with ``GONGWEN_ALLOWED_HOSTS`` (e.g. ``127.0.0.1,llm.internal``) any other host is refused before a
  byte is sent, and so is a proxy from the environment that is not on the list;
- every request is checked again as it leaves, redirects are not followed, and a loopback endpoint is
  never reached through a proxy.
"""

from __future__ import annotations

import ipaddress
import os
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from ..errors import GongwenError
from ..i18n import _, join

ALLOWED_HOSTS_ENV = "GONGWEN_ALLOWED_HOSTS"
# Where the environment names the model, the endpoint and its key: read here and nowhere else (the
# drafting model, the judge, and an API embedding's fallback endpoint and key).
ENVIRONMENT = {"model": "GONGWEN_MODEL", "base_url": "OPENAI_BASE_URL", "api_key": "OPENAI_API_KEY"}
CONNECT_SECONDS = 2.0  # 4 tries and the client's backoff (0.5 + 1 + 2 s): a dead endpoint fails in ~12 s


class EndpointError(GongwenError):
    """An endpoint that is not named, not allowed, or not reachable."""


def configured() -> dict[str, str]:
    """The model settings the environment gives (only those set)."""
    return {key: value for key, name in ENVIRONMENT.items() if (value := os.environ.get(name))}


def allowed_hosts() -> frozenset[str] | None:
    """The allow-list, lower-cased; None when it is not set (any named host may be used)."""
    raw = os.environ.get(ALLOWED_HOSTS_ENV, "")
    hosts = frozenset(h.strip().lower().strip("[]") for h in raw.split(",") if h.strip())
    return hosts or None


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, what: str) -> str:
    """The URL, once it is well formed and its host is allowed; else a one-line error. Sends nothing."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(_("{what} '{url}' is not an http(s) URL with a host, e.g. http://127.0.0.1:8080/v1")
                            .format(what=_(what), url=url))
    _check_host(parts.hostname.lower(), what, url)
    proxy = _proxy_for(url)
    if proxy is not None:
        _check_host(host_of(proxy), _("the proxy for {what}").format(what=_(what)), proxy)
    return url


def _check_host(host: str, what: str, url: str) -> None:
    allowed = allowed_hosts()
    if allowed is not None and host not in allowed:
        raise EndpointError(_("{what} {url}: host '{host}' is not in {variable} ({allowed}); nothing was sent")
                            .format(what=_(what), url=url, host=host, variable=ALLOWED_HOSTS_ENV,
                                    allowed=join(sorted(allowed))))


def _proxy_for(url: str) -> str | None:
    """The proxy the environment would route ``url`` through, if any (never for loopback)."""
    host = host_of(url)
    if is_loopback(host):
        return None
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(urlsplit(url).scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    return proxy


def http_client(url: str, what: str) -> Any:
    """An HTTP client for the ``openai`` SDK that can only talk to ``url``'s host.

    Each request is checked as it leaves (an event hook runs before anything is sent), redirects are
    refused rather than followed, and a loopback endpoint ignores proxy settings.
    """
    import openai

    check_url(url, what)
    host = host_of(url)

    def guard(request: Any) -> None:
        target = str(request.url.host).lower().strip("[]")
        if target != host:
            raise EndpointError(_("{what}: refused a request to '{target}', which is not the named host '{host}'")
                                .format(what=_(what), target=target, host=host))

    return openai.DefaultHttpxClient(event_hooks={"request": [guard]}, follow_redirects=False,
                                     trust_env=not is_loopback(host))
