"""An aiortc peer for interop tests, signalled over stdin/stdout with one JSON object per line.

  --role offer   prints {"type":"offer","sdp":...}, reads {"type":"answer","sdp":...}
  --role answer  reads  {"type":"offer","sdp":...}, prints {"type":"answer","sdp":...}
Then it plays --play (a WAV file) to the peer, records what it hears to --record (WAV), runs for
--seconds and prints {"type":"done", ...} with its connection states. With --channel LABEL the
offerer opens a data channel and sends --messages N JSON messages; either role echoes what it gets
back prefixed with "echo:" and reports what it received.

aiortc skips 127.0.0.1 when gathering and asks a public STUN server by default; both are turned
off here so the test stays on loopback.
"""
import argparse
import asyncio
import json
import sys

import aioice.ice
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaPlayer, MediaRecorder

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


async def read_line():
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if not line:
        raise SystemExit("aiortc_peer: signalling closed")
    return json.loads(line)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--role", choices=["offer", "answer"], required=True)
    ap.add_argument("--play")
    ap.add_argument("--record")
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--channel")
    ap.add_argument("--messages", type=int, default=0)
    args = ap.parse_args()

    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    states = []
    received = []
    recorder = MediaRecorder(args.record) if args.record else None
    player = MediaPlayer(args.play) if args.play else None

    @pc.on("connectionstatechange")
    def on_state():
        states.append(pc.connectionState)

    @pc.on("track")
    def on_track(track):
        if recorder and track.kind == "audio":
            recorder.addTrack(track)

    def wire(channel):
        @channel.on("message")
        def on_message(message):
            received.append(message if isinstance(message, str) else message.hex())
            if isinstance(message, str) and not message.startswith("echo:"):
                channel.send("echo:" + message)

    @pc.on("datachannel")
    def on_datachannel(channel):
        wire(channel)

    if player and player.audio:
        pc.addTrack(player.audio)
    elif args.record:
        pc.addTransceiver("audio", direction="recvonly")

    channel = None
    if args.role == "offer":
        if args.channel:
            channel = pc.createDataChannel(args.channel)
            wire(channel)
        await pc.setLocalDescription(await pc.createOffer())
        emit({"type": "offer", "sdp": pc.localDescription.sdp})
        answer = await read_line()
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))
    else:
        offer = await read_line()
        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer["sdp"], type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        emit({"type": "answer", "sdp": pc.localDescription.sdp})

    if recorder:
        await recorder.start()
    if channel is not None and args.messages:
        opened = asyncio.Event()
        channel.on("open", opened.set)
        if channel.readyState != "open":
            await asyncio.wait_for(opened.wait(), args.seconds)
        for i in range(args.messages):
            channel.send(json.dumps({"type": "test.message", "n": i}))
    await asyncio.sleep(args.seconds)
    if recorder:
        await recorder.stop()
    emit({"type": "done", "states": states, "received": received})
    await pc.close()


if __name__ == "__main__":
    asyncio.run(main())
