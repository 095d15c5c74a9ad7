"""The HTTP transport every object of the SDK shares: one ``requests`` session with the API key, and typed errors.

One session keeps connections alive across calls (feature vectors are latency bound). Each method turns a failed
answer into a :class:`~humle.errors.HumleError` and a transport failure into
:class:`~humle.errors.ServerConnectionError`, so no caller handles ``requests`` exceptions.
"""

from __future__ import annotations

from typing import IO, Any, Iterator, Mapping
from urllib.parse import quote, urlsplit

import requests

from humle.errors import connection_error, error_from_response

ARROW_STREAM = "application/vnd.apache.arrow.stream"

Params = Mapping[str, str | int | bool | None]


class RestClient:
    """Requests against one Humle server with one API key (``Authorization: ApiKey <key>``, as Hopsworks sends it)."""

    def __init__(self, url: str, api_key: str, timeout: float = 300.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"the server URL must be http(s)://host[:port], not {url!r}")
        self.url = f"{parts.scheme}://{parts.netloc}"
        self.timeout = timeout
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"ApiKey {api_key}"

    def close(self) -> None:
        self._session.close()

    def api(self, *segments: str | int) -> str:
        """The URL of a REST path under /api/v1, each segment escaped (names come from callers)."""
        return f"{self.url}/api/v1/" + "/".join(quote(str(s), safe="") for s in segments)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Params | None = None,
        json: Any = None,
        data: bytes | IO[bytes] | None = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """Sends a request and answers the response, or raises the typed error of a failed one.

        The API key goes only to this server: a URL elsewhere (a WebHDFS redirect) is requested without it.
        """
        query = None if params is None else {k: _param(v) for k, v in params.items() if v is not None}
        sent: dict[str, str | None] = dict(headers or {})
        if not self._same_origin(url):
            sent["Authorization"] = None  # a redirect elsewhere (a WebHDFS datanode) never sees the key
        try:
            response = self._session.request(
                method, url, params=query, json=json, data=data, headers=sent, stream=stream, timeout=self.timeout
            )
        except requests.RequestException as error:
            raise connection_error(error) from error
        if response.status_code >= 400:
            try:
                raise error_from_response(response)
            finally:
                response.close()
        return response

    def json(self, method: str, url: str, *, params: Params | None = None, json: Any = None) -> Any:
        """A request whose answer is JSON (or nothing, for 204)."""
        response = self.request(method, url, params=params, json=json)
        return None if response.status_code == 204 or not response.content else response.json()

    def arrow(self, method: str, url: str, *, params: Params | None = None, json: Any = None) -> bytes:
        """A read answered as an Arrow IPC stream (the wire format of every table the SDK reads)."""
        query = {**(params or {}), "format": "arrow"}
        return self.request(method, url, params=query, json=json, headers={"Accept": ARROW_STREAM}).content

    def _same_origin(self, url: str) -> bool:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == self.url

    def stream_chunks(self, url: str, chunk_size: int) -> Iterator[bytes]:
        """The body of a GET, chunk by chunk, without holding it in memory."""
        with self.request("GET", url, stream=True) as response:
            try:
                yield from response.iter_content(chunk_size=chunk_size)
            except requests.RequestException as error:  # the connection broke mid-body
                raise connection_error(error) from error


def _param(value: str | int | bool) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)
