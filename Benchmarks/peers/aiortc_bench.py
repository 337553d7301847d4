"""aiortc measured by realtime-bench in the same run as our stack. One JSON object per line on stdout.

  setup       --calls N      aiortc <-> aiortc in this process on 127.0.0.1: offer -> ICE completed ->
                             connected (DTLS up) per call, like our offer -> DTLS connected.
  datachannel --messages N   aiortc <-> aiortc: channel open time after the call is connected, one-way
                             latency of 200-byte messages, reliable ordered 16 KB throughput.
  cpu         --seconds S    aiortc <-> aiortc full-duplex audio call (20 ms Opus both ways, frames
                             consumed on both sides); process CPU over the steady state, per call.
  echo                       answers one offer on stdin and sends every received audio frame straight
                             back (aiortc's receive path -> relay -> its send path), for a round trip
                             measured by the Swift side.

Clocks: time.monotonic_ns() is CLOCK_MONOTONIC, the clock the Swift bench reads; CPU is
time.process_time_ns() (CLOCK_PROCESS_CPUTIME_ID), the clock the Swift bench reads for its own CPU.
aiortc skips 127.0.0.1 and asks a public STUN server by default: both are turned off here.
"""
import argparse
import asyncio
import fractions
import json
import math
import struct
import sys
import time

import aioice.ice
import av
from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaRelay

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class ToneTrack(MediaStreamTrack):
    """20 ms frames at 48 kHz mono, paced in real time (like a microphone): 0.5 s of a 440 Hz tone, 0.5 s silence."""
    kind = "audio"

    def __init__(self):
        super().__init__()
        self.n = 0
        self.start = None
        samples = [int(8000 * math.sin(2 * math.pi * 440 * i / 48000)) for i in range(48000)]
        self.pcm = struct.pack("<%dh" % len(samples), *samples)

    async def recv(self):
        if self.start is None:
            self.start = time.monotonic()
        due = self.start + self.n * 0.02
        wait = due - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        frame = av.AudioFrame(format="s16", layout="mono", samples=960)
        offset = (self.n * 960 * 2) % (len(self.pcm) - 1920)
        # Half of each second tone, half silence: the same duty as the Swift calls' chirp train.
        frame.planes[0].update(self.pcm[offset:offset + 1920] if self.n % 50 < 25 else bytes(1920))
        frame.sample_rate = 48000
        frame.pts = self.n * 960
        frame.time_base = fractions.Fraction(1, 48000)
        self.n += 1
        return frame


def new_pc():
    return RTCPeerConnection(RTCConfiguration(iceServers=[]))


async def wait_until(predicate, seconds):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.0005)
    return True


async def consume(track):
    try:
        while True:
            await track.recv()
    except Exception:
        pass


async def connect_pair(a, b):
    """Offer/answer between two in-process peers; returns (t0, ice, connected) in monotonic ns."""
    marks = {}

    @a.on("iceconnectionstatechange")
    def on_ice():
        if a.iceConnectionState == "completed" and "ice" not in marks:
            marks["ice"] = time.monotonic_ns()

    @a.on("connectionstatechange")
    def on_state():
        if a.connectionState == "connected" and "dtls" not in marks:
            marks["dtls"] = time.monotonic_ns()

    t0 = time.monotonic_ns()
    await a.setLocalDescription(await a.createOffer())
    await b.setRemoteDescription(RTCSessionDescription(sdp=a.localDescription.sdp, type="offer"))
    await b.setLocalDescription(await b.createAnswer())
    await a.setRemoteDescription(RTCSessionDescription(sdp=b.localDescription.sdp, type="answer"))
    await wait_until(lambda: "dtls" in marks, 10)
    return t0, marks.get("ice"), marks.get("dtls")


def audio_pair():
    a, b = new_pc(), new_pc()
    consumers = []
    for pc in (a, b):
        pc.addTrack(ToneTrack())

        @pc.on("track")
        def on_track(track):
            consumers.append(asyncio.ensure_future(consume(track)))
    return a, b, consumers


async def close_pair(a, b, consumers):
    for c in consumers:
        c.cancel()
    await a.close()
    await b.close()


async def cmd_setup(args):
    ice, dtls = [], []
    for i in range(args.calls + 1):
        a, b, consumers = audio_pair()
        a.createDataChannel("oai-events")   # an m=application line, as our offers carry
        t0, t_ice, t_dtls = await connect_pair(a, b)
        await close_pair(a, b, consumers)
        if i == 0:
            continue   # warm-up: imports, certificate, codecs
        if t_ice:
            ice.append((t_ice - t0) / 1e6)
        if t_dtls:
            dtls.append((t_dtls - t0) / 1e6)
    emit({"type": "setup", "ice_ms": ice, "dtls_ms": dtls})


async def cmd_datachannel(args):
    a, b = new_pc(), new_pc()
    got = {"latency": [], "bytes": 0, "count": 0}
    b_channels = {}

    @b.on("datachannel")
    def on_channel(channel):
        b_channels[channel.label] = channel

        @channel.on("message")
        def on_message(message):
            if channel.label == "latency":
                (sent,) = struct.unpack_from("<q", message)
                got["latency"].append((time.monotonic_ns() - sent) / 1e3)
            else:
                got["bytes"] += len(message)
                got["count"] += 1

    warm = a.createDataChannel("warm")
    await connect_pair(a, b)
    await wait_until(lambda: warm.readyState == "open", 5)

    opens = []
    for i in range(args.opens):
        opened = asyncio.Event()
        t0 = time.monotonic_ns()
        ch = a.createDataChannel("open-%d" % i)
        ch.on("open", opened.set)
        try:
            await asyncio.wait_for(opened.wait(), 5)
            opens.append((time.monotonic_ns() - t0) / 1e3)
        except asyncio.TimeoutError:
            pass
        ch.close()

    lat = a.createDataChannel("latency")
    await wait_until(lambda: lat.readyState == "open" and "latency" in b_channels, 5)
    pad = bytes(192)
    for i in range(args.messages + 100):
        before = len(got["latency"])
        lat.send(struct.pack("<q", time.monotonic_ns()) + pad)
        await wait_until(lambda: len(got["latency"]) > before, 2)
    latency = got["latency"][100:]

    bulk = a.createDataChannel("bulk")
    await wait_until(lambda: bulk.readyState == "open" and "bulk" in b_channels, 5)
    chunk = bytes(16384)
    rates = []
    for _ in range(args.runs):
        start_bytes, start_count = got["bytes"], got["count"]
        sent = 0
        t0 = time.monotonic_ns()
        while got["count"] - start_count < args.bulk:
            while sent < args.bulk and bulk.bufferedAmount < (1 << 20):
                bulk.send(chunk)
                sent += 1
            await asyncio.sleep(0)
            if time.monotonic_ns() - t0 > 60e9:
                break
        seconds = (time.monotonic_ns() - t0) / 1e9
        rates.append((got["bytes"] - start_bytes) / 1e6 / seconds)
    await a.close()
    await b.close()
    emit({"type": "datachannel", "open_us": opens, "latency_us": latency, "throughput_mbps": rates})


async def cmd_cpu(args):
    a, b, consumers = audio_pair()
    await connect_pair(a, b)
    await asyncio.sleep(1.0)   # past set-up and the first frames
    cpu0, wall0 = time.process_time_ns(), time.monotonic_ns()
    await asyncio.sleep(args.seconds)
    cpu, wall = time.process_time_ns() - cpu0, time.monotonic_ns() - wall0
    await close_pair(a, b, consumers)
    emit({"type": "cpu", "cpu_ns": cpu, "wall_ns": wall, "calls": 1})


def read_line():
    line = sys.stdin.readline()
    if not line:
        raise SystemExit("aiortc_bench: signalling closed")
    return json.loads(line)


async def cmd_echo(args):
    loop = asyncio.get_running_loop()
    pc = new_pc()
    relay = MediaRelay()

    @pc.on("track")
    def on_track(track):
        if track.kind == "audio":
            pc.addTrack(relay.subscribe(track))

    emit({"type": "ready"})
    offer = await loop.run_in_executor(None, read_line)
    await pc.setRemoteDescription(RTCSessionDescription(sdp=offer["sdp"], type="offer"))
    await pc.setLocalDescription(await pc.createAnswer())
    emit({"type": "answer", "sdp": pc.localDescription.sdp})
    await loop.run_in_executor(None, read_line)   # any line: hang up
    await pc.close()
    emit({"type": "done"})


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["setup", "datachannel", "cpu", "echo"])
    ap.add_argument("--calls", type=int, default=20)
    ap.add_argument("--opens", type=int, default=20)
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--bulk", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=10.0)
    args = ap.parse_args()
    await {"setup": cmd_setup, "datachannel": cmd_datachannel, "cpu": cmd_cpu, "echo": cmd_echo}[args.command](args)


if __name__ == "__main__":
    asyncio.run(main())
