#!/usr/bin/env python3
"""A Realtime WebSocket client built on the official `openai` SDK, run against our endpoint.

It does one turn: session.update (manual turns), then either input_audio_buffer.append (a 440 Hz
tone, PCM16 24 kHz, base64) + commit (`--mode echo`) or a user text item (`--mode text`), then
response.create, reading events until response.done. Every received event goes through the
SDK's own parser (`connection.parse_event`) and through the strict checks of validate_events.py
(the SDK's pydantic models, no undeclared fields). With `--ephemeral` it first mints a key with
`client.realtime.client_secrets.create` and connects with that key instead.

Prints one JSON summary line on stdout; exits 0 when it ran to response.done, 1 otherwise.
Run by Tests/RealtimeServerTests (OpenAISDKInteropTests).
"""
import argparse
import base64
import json
import math
import signal
import struct
import sys

import openai
from openai.types.realtime.client_secret_create_response import ClientSecretCreateResponse

from validate_events import validate  # same folder: the strict SDK-model checks


def tone(milliseconds):
    count = 24 * milliseconds
    samples = [int(8000 * math.sin(2 * math.pi * 440 * i / 24000)) for i in range(count)]
    return struct.pack(f"<{count}h", *samples), count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-url", required=True, help="http://127.0.0.1:PORT/v1")
    ap.add_argument("--api-key", required=True)
    ap.add_argument("--model", default="gpt-realtime-mini")
    ap.add_argument("--mode", choices=["echo", "text"], default="echo")
    ap.add_argument("--tone-ms", type=int, default=300)
    ap.add_argument("--ephemeral", action="store_true")
    ap.add_argument("--timeout", type=int, default=30)
    args = ap.parse_args()

    # Bounded: the SDK's blocking recv has no timeout of its own.
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("no response.done in time")))
    signal.alarm(args.timeout)

    summary = {"mode": args.mode, "events": 0, "types": [], "problems": [], "parse_errors": []}
    client = openai.OpenAI(base_url=args.base_url, api_key=args.api_key, max_retries=0)
    key = args.api_key
    if args.ephemeral:
        secret = client.realtime.client_secrets.create(
            expires_after={"anchor": "created_at", "seconds": 600},
            session={"type": "realtime", "instructions": "Minted by the SDK."},
        )
        summary["client_secret"] = {
            "typed": isinstance(secret, ClientSecretCreateResponse),
            "prefix": secret.value[:3],
            "expires_at": secret.expires_at,
            "session_instructions": getattr(secret.session, "instructions", None),
        }
        key = secret.value
        client = openai.OpenAI(base_url=args.base_url, api_key=key, max_retries=0)

    with client.realtime.connect(model=args.model) as connection:
        def receive():
            raw = connection.recv_bytes()
            obj = json.loads(raw)
            summary["events"] += 1
            summary["types"].append(obj.get("type"))
            summary["problems"] += [f"{obj.get('type')}: {p}" for p in validate(obj)]
            try:
                event = connection.parse_event(raw)
                if event.type != obj.get("type"):
                    summary["parse_errors"].append(f"parsed {obj.get('type')} as {event.type}")
            except Exception as e:  # the SDK could not parse it: that is the finding
                summary["parse_errors"].append(f"{obj.get('type')}: {e!r}")
            return obj

        def until(kind):
            while True:
                obj = receive()
                if obj.get("type") == kind:
                    return obj

        created = until("session.created")
        summary["session_model"] = created["session"].get("model")
        summary["session_instructions"] = created["session"].get("instructions")
        modalities = ["audio"] if args.mode == "echo" else ["text"]
        connection.session.update(session={
            "type": "realtime",
            "output_modalities": modalities,
            "audio": {"input": {"turn_detection": None}},
        })
        until("session.updated")

        if args.mode == "echo":
            pcm, count = tone(args.tone_ms)
            summary["audio_in_samples"] = count
            connection.input_audio_buffer.append(audio=base64.b64encode(pcm).decode())
            connection.input_audio_buffer.commit()
            until("input_audio_buffer.committed")
        else:
            connection.conversation.item.create(item={
                "type": "message", "role": "user", "content": [{"type": "input_text", "text": "Hello?"}],
            })
        connection.response.create()

        audio_out = 0
        text = []
        while True:
            obj = receive()
            kind = obj.get("type")
            if kind == "response.output_audio.delta":
                audio_out += len(base64.b64decode(obj["delta"])) // 2
            elif kind == "response.output_text.delta":
                text.append(obj["delta"])
            elif kind == "response.done":
                summary["status"] = obj["response"].get("status")
                summary["usage"] = obj["response"].get("usage")
                break
        summary["audio_out_samples"] = audio_out
        summary["text"] = "".join(text)

    signal.alarm(0)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
