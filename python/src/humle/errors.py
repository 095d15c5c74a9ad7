"""Typed errors: every failure the server answers becomes one of these, never a bare ``requests`` exception.

The REST API answers ``{"code", "message", "details"}`` with the HTTP status of its code, and WebHDFS answers
``{"RemoteException": {"exception", "javaClassName", "message"}}``; both become a :class:`HumleError` whose class
follows the status, so callers catch :class:`NotFoundError` or :class:`AuthenticationError` without parsing codes,
and still have the server's stable ``code`` and ``details`` (which name the row and column of bad data) to branch on.
"""

from __future__ import annotations

from typing import Any, Mapping

import requests


class HumleError(Exception):
    """A failure reported by the Humle server (or the connection to it).

    ``code`` is the server's stable error code (``FEATURE_GROUP_NOT_FOUND``, ``UNAUTHENTICATED``, or a WebHDFS
    exception name such as ``FileNotFoundException``), ``details`` what the server attached (for bad data: ``row``,
    ``column``, ``reason``), ``status`` the HTTP status (``None`` when no answer came).
    """

    def __init__(self, code: str, message: str, details: Mapping[str, Any] | None = None, status: int | None = None) -> None:
        super().__init__(f"{code}: {message}" if status is None else f"{status} {code}: {message}")
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})
        self.status = status


class InvalidRequestError(HumleError):
    """400: the request or its data was refused (a bad row, an unknown feature, a malformed query)."""


class AuthenticationError(HumleError):
    """401: the API key is missing, malformed, unknown or revoked."""


class AccessDeniedError(HumleError):
    """403: the caller is a member, but its role or key scope does not allow this."""


class NotFoundError(HumleError):
    """404: no such project (or one the caller is not in: the server does not tell), group, view, commit or path."""


class ConflictError(HumleError):
    """409 (and WebHDFS's FileAlreadyExistsException): the object exists, is in use, or a record key exists."""


class ServerConnectionError(HumleError):
    """No answer came: the server is unreachable, or the connection broke or timed out."""


_BY_STATUS: dict[int, type[HumleError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: AccessDeniedError,
    404: NotFoundError,
    409: ConflictError,
}


def error_from_response(response: requests.Response) -> HumleError:
    """The typed error of a failed answer, from the REST API's or WebHDFS's error body (or the bare status)."""
    status = response.status_code
    code, message = f"HTTP_{status}", response.reason or "request failed"
    details: dict[str, Any] = {}
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("code"), str):
        code, message = body["code"], str(body.get("message", message))
        details = body["details"] if isinstance(body.get("details"), dict) else {}
    elif isinstance(body, dict) and isinstance(body.get("RemoteException"), dict):
        remote = body["RemoteException"]
        code, message = str(remote.get("exception", code)), str(remote.get("message", message))
        details = {"javaClassName": remote.get("javaClassName")}
        if code == "FileAlreadyExistsException":
            return ConflictError(code, message, details, status)
    return _BY_STATUS.get(status, HumleError)(code, message, details, status)


def connection_error(error: requests.RequestException) -> ServerConnectionError:
    """A transport failure (no HTTP answer) as a typed error, keeping the cause."""
    wrapped = ServerConnectionError("CONNECTION_FAILED", str(error))
    wrapped.__cause__ = error
    return wrapped
