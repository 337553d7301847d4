"""aiortc as a WebRTC client of a Realtime endpoint, the way OpenAI's browser examples call it.

It opens the `oai-events` data channel, adds a microphone track playing --play (WAV), POSTs its
offer to --url as `application/sdp` (Bearer --key when given), applies the 201's answer, records
what it hears to --record (WAV) for --seconds, and prints one JSON line:
  {"type":"done","status":201,"location":...,"states":[...],"events":[<server event types>],
   "channel_open":bool, "error":...}
With --send-update it sends a `session.update` (instructions) once the channel opens.
With --function-call it runs a function-calling round trip over the channel: tools set and VAD
off, a user text item and `response.create`; on `response.function_call_arguments.done` it sends
the `function_call_output` and another `response.create`. The line then also carries
"function_calls" (name, arguments) and "texts" (each `response.output_text.done`). Every run
reports "dones" (each `response.done`'s status and reason) and "truncated_ms" (`audio_end_ms` of
each `conversation.item.truncated`).

aiortc skips 127.0.0.1 when gathering and asks a public STUN server by default; both are turned
off here so the test stays on loopback.
"""
import argparse
import asyncio
import json
import sys
import urllib.error
import urllib.request

import aioice.ice
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaPlayer, MediaRecorder

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


def post_offer(url, key, sdp):
    request = urllib.request.Request(url, data=sdp.encode(), method="POST")
    request.add_header("Content-Type", "application/sdp")
    if key:
        request.add_header("Authorization", "Bearer " + key)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Location"), response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, None, e.read().decode()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--key")
    ap.add_argument("--play", required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--send-update", action="store_true")
    ap.add_argument("--function-call", action="store_true")
    args = ap.parse_args()

    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    states, events, dones, truncated, calls, texts = [], [], [], [], [], []
    opened = asyncio.Event()
    recorder = MediaRecorder(args.record)
    player = MediaPlayer(args.play)

    @pc.on("connectionstatechange")
    def on_state():
        states.append(pc.connectionState)

    @pc.on("track")
    def on_track(track):
        if track.kind == "audio":
            recorder.addTrack(track)

    channel = pc.createDataChannel("oai-events")

    @channel.on("open")
    def on_open():
        opened.set()

    def send(event):
        channel.send(json.dumps(event))

    @channel.on("message")
    def on_message(message):
        try:
            event = json.loads(message)
            kind = event.get("type")
        except (ValueError, AttributeError):
            events.append("<unparsable>")
            return
        events.append(kind)
        if kind == "response.done":
            response = event.get("response") or {}
            dones.append({"status": response.get("status"),
                          "reason": (response.get("status_details") or {}).get("reason")})
        elif kind == "conversation.item.truncated":
            truncated.append(event.get("audio_end_ms"))
        elif kind == "response.output_text.done":
            texts.append(event.get("text"))
        elif kind == "response.function_call_arguments.done" and args.function_call:
            calls.append({"name": event.get("name"), "arguments": event.get("arguments")})
            send({"type": "conversation.item.create",
                  "item": {"type": "function_call_output", "call_id": event.get("call_id"),
                           "output": json.dumps({"sky": "clear"})}})
            send({"type": "response.create"})

    pc.addTrack(player.audio)
    await pc.setLocalDescription(await pc.createOffer())
    loop = asyncio.get_running_loop()
    status, location, body = await loop.run_in_executor(None, post_offer, args.url, args.key, pc.localDescription.sdp)
    result = {"type": "done", "status": status, "location": location}
    if status != 201:
        result["error"] = body
        print(json.dumps(result), flush=True)
        await pc.close()
        return
    await pc.setRemoteDescription(RTCSessionDescription(sdp=body, type="answer"))
    await recorder.start()
    try:
        await asyncio.wait_for(opened.wait(), args.seconds)
        if args.send_update:
            send({"type": "session.update", "session": {"type": "realtime", "instructions": "aiortc was here"}})
        if args.function_call:
            send({"type": "session.update", "session": {
                "type": "realtime", "output_modalities": ["text"], "audio": {"input": {"turn_detection": None}},
                "tools": [{"type": "function", "name": "get_weather",
                           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}]}})
            send({"type": "conversation.item.create", "item": {
                "type": "message", "role": "user", "content": [{"type": "input_text", "text": "Weather in Paris?"}]}})
            send({"type": "response.create"})
    except asyncio.TimeoutError:
        pass
    await asyncio.sleep(args.seconds)
    await recorder.stop()
    result.update({"states": states, "events": events, "channel_open": opened.is_set(), "dones": dones,
                   "truncated_ms": truncated, "function_calls": calls, "texts": texts})
    print(json.dumps(result), flush=True)
    await pc.close()


if __name__ == "__main__":
    asyncio.run(main())
