"""A protocol-level Streamlit client for load tests: one page load over ``/_stcore/stream``.

What a browser does after the HTML and the JavaScript bundle have loaded, without the
browser: open the websocket ``/_stcore/stream`` (sub-protocol ``streamlit``; no Origin header,
which the server allows), send one ``BackMsg`` whose ``rerun_script`` ``ClientState`` names the
page (``page_name`` = the URL path, ``query_string`` = the query) and read ``ForwardMsg``s
(``streamlit.proto``) until ``script_finished``. It measures the server's side of a load —
session creation, queueing behind other sessions, running the page script, serialising the
page's elements (plotly figures included) and sending them — and nothing the browser does
(HTML, JS bundle, drawing).

A load fails with a *kind*: ``timeout`` (no ``script_finished`` in time), ``exception`` (the
page shows a Python exception), ``page_not_found``, ``compile_error``, ``closed`` (the server
closed the socket) or ``connect`` (the websocket could not be opened).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = ForwardMsg.ScriptFinishedStatus


@dataclass
class StreamLoad:
    """One page load over the websocket; times in seconds from the start of the connect."""

    page: str
    ok: bool = False
    failure: str | None = None  # the kind, see the module docstring
    detail: str = ""
    connected_s: float = float("nan")
    script_started_s: float = float("nan")  # new_session: the server began the run
    first_delta_s: float = float("nan")
    finished_s: float = float("nan")  # script_finished (successfully)
    deltas: int = 0
    charts: int = 0
    bytes_received: int = 0
    statuses: list[str] = field(default_factory=list)


def rerun_request(page: str, query: str, url: str) -> bytes:
    """The ``BackMsg`` a browser sends first: run the script for ``page`` with ``query``."""
    back = BackMsg()
    state = back.rerun_script
    state.query_string = query.lstrip("?")
    state.page_name = page
    state.context_info.timezone = "Europe/Copenhagen"
    state.context_info.locale = "da-DK"
    state.context_info.url = url
    return back.SerializeToString()


async def load(
    base: str, page: str, query: str = "", *, default_page: str = "", timeout_s: float = 60
) -> StreamLoad:
    """Load ``page`` (its URL path; ``default_page`` is served at the root) once over a new
    websocket (a new Streamlit session) and return its timings or failure kind."""
    result = StreamLoad(page=page)
    ws_url = base.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
    path = "" if page == default_page else page
    start = time.perf_counter()
    deadline = start + timeout_s
    try:
        socket = await asyncio.wait_for(
            websockets.connect(
                ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout_s
            ),
            timeout_s,
        )
    except (OSError, TimeoutError, websockets.WebSocketException) as error:
        result.failure, result.detail = "connect", type(error).__name__
        return result
    try:
        result.connected_s = time.perf_counter() - start
        await socket.send(rerun_request(path, query, f"{base.rstrip('/')}/{path}{query}"))
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                result.failure = "timeout"
                return result
            try:
                data = await asyncio.wait_for(socket.recv(), remaining)
            except TimeoutError:
                result.failure = "timeout"
                return result
            except websockets.ConnectionClosed as closed:
                result.failure, result.detail = "closed", str(closed.rcvd or "")
                return result
            now = time.perf_counter() - start
            result.bytes_received += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session" and result.script_started_s != result.script_started_s:
                result.script_started_s = now
            elif kind == "delta":
                result.deltas += 1
                if result.first_delta_s != result.first_delta_s:
                    result.first_delta_s = now
                element = msg.delta.new_element
                which = element.WhichOneof("type") if msg.delta.HasField("new_element") else None
                if which == "plotly_chart":
                    result.charts += 1
                elif which == "exception":
                    result.failure = "exception"
                    result.detail = element.exception.message[:200]
            elif kind == "page_not_found":
                result.failure = "page_not_found"
                return result
            elif kind == "script_finished":
                status = FINISHED.Name(msg.script_finished)
                result.statuses.append(status)
                if msg.script_finished == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    result.failure = "compile_error"
                    return result
                if msg.script_finished == FINISHED.FINISHED_SUCCESSFULLY:
                    result.finished_s = now
                    result.ok = result.failure is None
                    return result
                # FINISHED_EARLY_FOR_RERUN (e.g. a switch_page): the next run follows.
    finally:
        await socket.close()
