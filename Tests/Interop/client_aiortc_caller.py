"""An aiortc Realtime WebRTC client, the baseline beside RealtimeClient in realtime-bench's client suite.

It does what an OpenAI WebRTC client does: opens the `oai-events` data channel, POSTs its offer to
/v1/realtime/calls with the bearer, applies the 201 answer and waits for session.created.
  --mode setup  N calls; prints {"setup_ms": [...]} (offer creation to session.created).
  --mode turn   N calls, each speaking --wav (48 kHz mono PCM16) then silence; prints
                {"turn_ms": [...]}: end of the utterance to the first audible frame of the reply.
aiortc is kept on loopback with no ICE servers.
"""
import argparse
import asyncio
import fractions
import json
import sys
import time
import urllib.request
import wave

import aioice.ice
import av
import numpy
from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection, RTCSessionDescription

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


class SpeechTrack(MediaStreamTrack):
    """Plays samples in 20 ms frames on a real-time clock, then silence; notes when speech ended."""
    kind = "audio"

    def __init__(self, samples):
        super().__init__()
        self.samples = samples
        self.position = 0
        self.start = None
        self.ended_at = None
        self.pts = 0

    async def recv(self):
        if self.start is None:
            self.start = time.monotonic()
        due = self.start + self.pts / 48000
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        chunk = self.samples[self.position:self.position + 960]
        self.position += 960
        if len(chunk) < 960:
            if self.ended_at is None and len(chunk) == 0:
                self.ended_at = time.monotonic()
            chunk = numpy.concatenate([chunk, numpy.zeros(960 - len(chunk), dtype=numpy.int16)])
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = 48000
        frame.pts = self.pts
        frame.time_base = fractions.Fraction(1, 48000)
        self.pts += 960
        return frame


def post(url, key, sdp):
    request = urllib.request.Request(url + "/v1/realtime/calls", data=sdp.encode(), method="POST",
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/sdp"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return r.read().decode()


async def call(args, samples=None):
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    channel = pc.createDataChannel("oai-events")
    created = asyncio.get_running_loop().create_future()
    speech = SpeechTrack(samples if samples is not None else numpy.zeros(0, dtype=numpy.int16))
    pc.addTrack(speech)
    heard = asyncio.get_running_loop().create_future()

    @channel.on("message")
    def on_message(message):
        if '"session.created"' in message and not created.done():
            created.set_result(time.monotonic())

    @pc.on("track")
    def on_track(track):
        async def listen():
            while True:
                try:
                    frame = await track.recv()
                except Exception:
                    return
                if speech.ended_at is None or heard.done():
                    continue
                data = frame.to_ndarray()
                if numpy.abs(data.astype(numpy.int32)).max() > 64:
                    heard.set_result(time.monotonic())
        asyncio.ensure_future(listen())

    t0 = time.monotonic()
    await pc.setLocalDescription(await pc.createOffer())
    answer = await asyncio.get_running_loop().run_in_executor(None, post, args.url, args.api_key, pc.localDescription.sdp)
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    setup = (await asyncio.wait_for(created, 10) - t0) * 1000
    turn = None
    if samples is not None:
        turn = (await asyncio.wait_for(heard, 20) - speech.ended_at) * 1000
    await pc.close()
    return setup, turn


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--api-key", default="sk-test")
    ap.add_argument("--mode", choices=["setup", "turn"], default="setup")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--wav")
    args = ap.parse_args()
    samples = None
    if args.mode == "turn":
        with wave.open(args.wav) as w:
            samples = numpy.frombuffer(w.readframes(w.getnframes()), dtype=numpy.int16)
    results = []
    for _ in range(args.runs):
        setup, turn = await call(args, samples)
        results.append(setup if args.mode == "setup" else turn)
    key = "setup_ms" if args.mode == "setup" else "turn_ms"
    sys.stdout.write(json.dumps({key: results}) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(main())
