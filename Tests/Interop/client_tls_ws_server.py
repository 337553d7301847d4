"""A tiny TLS WebSocket server for RealtimeClient's wss:// tests (Python `websockets` with ssl).

It presents --cert/--key, checks the bearer against --api-key, sends `session.created` on each
connection and answers `session.update` with `session.updated`. Prints {"type":"ready","port":N}.
"""
import argparse
import asyncio
import json
import ssl
import sys
import uuid

import websockets


def event(kind, **fields):
    return json.dumps({"type": kind, "event_id": "event_" + uuid.uuid4().hex[:20], **fields})


def session():
    return {"type": "realtime", "object": "realtime.session", "id": "sess_" + uuid.uuid4().hex[:20],
            "model": "gpt-4o-mini-realtime-preview"}


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--api-key", default="sk-test")
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)

    async def handler(ws):
        if ws.request.headers.get("Authorization") != f"Bearer {args.api_key}":
            await ws.close(1008, "invalid api key")
            return
        await ws.send(event("session.created", session=session()))
        async for message in ws:
            try:
                incoming = json.loads(message)
            except ValueError:
                continue
            if incoming.get("type") == "session.update":
                await ws.send(event("session.updated", session=session()))

    async with websockets.serve(handler, "127.0.0.1", 0, ssl=context) as server:
        port = list(server.sockets)[0].getsockname()[1]
        sys.stdout.write(json.dumps({"type": "ready", "port": port}) + "\n")
        sys.stdout.flush()
        await asyncio.sleep(args.seconds)


if __name__ == "__main__":
    asyncio.run(main())
