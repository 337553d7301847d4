"""An OpenAI-style Realtime WebRTC answerer built on aiortc, for RealtimeClient tests and benchmarks.

It serves POST /v1/realtime/calls like the service: the body is the client's SDP offer, the bearer
must equal --api-key, and the answer is `201 Created`, `Content-Type: application/sdp`,
`Location: /v1/realtime/calls/rtc_...`. When the client's `oai-events` data channel opens it sends
`session.created`; it answers `session.update` with `session.updated`; audio that arrives is sent
straight back (an echo through aiortc's MediaRelay).

--mode changes the answer for failure tests: ok, non-sdp (201 text/html), never (accepts and never
answers), 401 (OpenAI error body). Prints {"type":"ready","port":N} on stdout once listening.
aiortc is kept on loopback with no ICE servers.
"""
import argparse
import asyncio
import json
import sys
import uuid

import aioice.ice
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaRelay

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

relay = MediaRelay()
peers = set()


def session_object():
    return {
        "type": "realtime", "object": "realtime.session", "id": "sess_" + uuid.uuid4().hex[:20],
        "model": "gpt-4o-mini-realtime-preview", "output_modalities": ["audio"], "instructions": "",
        "tools": [], "tool_choice": "auto", "max_output_tokens": "inf",
    }


def event(kind, **fields):
    return json.dumps({"type": kind, "event_id": "event_" + uuid.uuid4().hex[:20], **fields})


async def answer(offer_sdp):
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    peers.add(pc)

    @pc.on("track")
    def on_track(track):
        if track.kind == "audio":
            pc.addTrack(relay.subscribe(track))

    @pc.on("datachannel")
    def on_channel(channel):
        if channel.label != "oai-events":
            return
        channel.send(event("session.created", session=session_object()))

        @channel.on("message")
        def on_message(message):
            try:
                incoming = json.loads(message)
            except ValueError:
                return
            if incoming.get("type") == "session.update":
                channel.send(event("session.updated", session=session_object()))

    @pc.on("connectionstatechange")
    async def on_state():
        if pc.connectionState in ("failed", "closed"):
            peers.discard(pc)
            await pc.close()

    await pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
    await pc.setLocalDescription(await pc.createAnswer())
    return pc.localDescription.sdp


def response(status, reason, content_type, body, extra=""):
    data = body.encode()
    head = f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {len(data)}\r\n{extra}Connection: close\r\n\r\n"
    return head.encode() + data


async def serve(reader, writer, args):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        if method != "POST" or not target.startswith("/v1/realtime/calls"):
            writer.write(response(404, "Not Found", "application/json", json.dumps({"error": {"message": "not found", "type": "invalid_request_error"}})))
        elif args.mode == "401" or headers.get("authorization") != f"Bearer {args.api_key}":
            writer.write(response(401, "Unauthorized", "application/json", json.dumps(
                {"error": {"message": "invalid api key", "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}})))
        elif args.mode == "never":
            await asyncio.sleep(3600)
        elif args.mode == "non-sdp":
            writer.write(response(201, "Created", "text/html", "<html>welcome</html>"))
        else:
            sdp = await answer(body.decode())
            writer.write(response(201, "Created", "application/sdp", sdp,
                                  f"Location: /v1/realtime/calls/rtc_{uuid.uuid4().hex[:20]}\r\n"))
        await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--api-key", default="sk-test")
    ap.add_argument("--mode", choices=["ok", "non-sdp", "never", "401"], default="ok")
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args()
    server = await asyncio.start_server(lambda r, w: serve(r, w, args), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(json.dumps({"type": "ready", "port": port}) + "\n")
    sys.stdout.flush()
    await asyncio.sleep(args.seconds)
    for pc in list(peers):
        await pc.close()


if __name__ == "__main__":
    asyncio.run(main())
