"""aiortc as a WebRTC client of a Realtime endpoint, the way OpenAI's browser examples call it.

It opens the `oai-events` data channel, adds a microphone track playing --play (WAV), POSTs its
offer to --url as `application/sdp` (Bearer --key when given), applies the 201's answer, records
what it hears to --record (WAV) for --seconds, and prints one JSON line:
  {"type":"done","status":201,"location":...,"states":[...],"events":[<server event types>],
   "channel_open":bool, "error":...}
With --send-update it sends a `session.update` (instructions) once the channel opens.

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
    args = ap.parse_args()

    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    states, events = [], []
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

    @channel.on("message")
    def on_message(message):
        try:
            events.append(json.loads(message).get("type"))
        except (ValueError, AttributeError):
            events.append("<unparsable>")

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
            channel.send(json.dumps({"type": "session.update",
                                     "session": {"type": "realtime", "instructions": "aiortc was here"}}))
    except asyncio.TimeoutError:
        pass
    await asyncio.sleep(args.seconds)
    await recorder.stop()
    result.update({"states": states, "events": events, "channel_open": opened.is_set()})
    print(json.dumps(result), flush=True)
    await pc.close()


if __name__ == "__main__":
    asyncio.run(main())
