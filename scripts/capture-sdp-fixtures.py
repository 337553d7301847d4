#!/usr/bin/env python3
"""Regenerates the Chromium and aiortc SDP fixtures in Tests/SDPTests/Fixtures/ (a dev script).

Run with the probe venv (aiortc 1.16 + selenium):  /tmp/probe-venv/bin/python scripts/capture-sdp-fixtures.py
Needs Debian `chromium` and `chromedriver`. Writes the SDP bytes exactly as each peer produced them
(CRLF kept), so the SDP tests can check a byte-for-byte round trip:

  chromium-offer.sdp   headless Chromium: audio transceiver (fake mic) + data channel "oai-events"
  aiortc-offer.sdp     aiortc: AudioStreamTrack + data channel "oai-events", no ICE servers
  chromium-answer.sdp  Chromium's answer to aiortc-offer.sdp
  aiortc-answer.sdp    aiortc's answer to chromium-offer.sdp
"""
import asyncio
import json
import pathlib
import sys
import tempfile

from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack
from selenium import webdriver

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "SDPTests" / "Fixtures"

# Runs in the page: an offer (no argument) or an answer to the offer passed in; resolves with the
# local description once ICE gathering completed.
PAGE_SCRIPT = r"""
const done = arguments[arguments.length - 1];
const remoteOffer = arguments[0];
(async () => {
  const pc = new RTCPeerConnection();
  const gathered = new Promise(resolve => {
    if (pc.iceGatheringState === 'complete') resolve();
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
  });
  const stream = await navigator.mediaDevices.getUserMedia({audio: true});
  if (remoteOffer === null) {
    pc.addTrack(stream.getAudioTracks()[0], stream);
    pc.createDataChannel('oai-events');
    await pc.setLocalDescription(await pc.createOffer());
  } else {
    await pc.setRemoteDescription({type: 'offer', sdp: remoteOffer});
    const audio = pc.getTransceivers().find(t => t.receiver.track.kind === 'audio');
    if (audio) { audio.direction = 'sendrecv'; await audio.sender.replaceTrack(stream.getAudioTracks()[0]); }
    await pc.setLocalDescription(await pc.createAnswer());
  }
  await gathered;
  done({sdp: pc.localDescription.sdp});
})().catch(e => done({error: String(e)}));
"""


def chromium(remote_offer):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--use-fake-device-for-media-stream",
                 "--use-fake-ui-for-media-stream"):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    try:
        driver.set_script_timeout(30)
        # A file: page is a secure context (a data: URL is not), so getUserMedia exists.
        with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as page:
            page.write("<!doctype html><title>sdp</title>")
        driver.get(pathlib.Path(page.name).as_uri())
        result = driver.execute_async_script(PAGE_SCRIPT, remote_offer)
    finally:
        driver.quit()
    if "error" in result:
        raise RuntimeError(f"chromium: {result['error']}")
    return result["sdp"]


async def aiortc_peer(remote_offer):
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    try:
        if remote_offer is None:
            pc.addTrack(AudioStreamTrack())
            pc.createDataChannel("oai-events")
            await pc.setLocalDescription(await pc.createOffer())
        else:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=remote_offer, type="offer"))
            for t in pc.getTransceivers():
                if t.kind == "audio":
                    pc.addTrack(AudioStreamTrack())
            await pc.setLocalDescription(await pc.createAnswer())
        return pc.localDescription.sdp
    finally:
        await pc.close()


def write(name, sdp):
    path = FIXTURES / name
    path.write_bytes(sdp.encode("utf-8"))
    print(f"wrote {path} ({len(sdp)} bytes)")


def main():
    FIXTURES.mkdir(parents=True, exist_ok=True)
    chromium_offer = chromium(None)
    aiortc_offer = asyncio.run(aiortc_peer(None))
    write("chromium-offer.sdp", chromium_offer)
    write("aiortc-offer.sdp", aiortc_offer)
    write("chromium-answer.sdp", chromium(aiortc_offer))
    write("aiortc-answer.sdp", asyncio.run(aiortc_peer(chromium_offer)))


if __name__ == "__main__":
    sys.exit(main())
