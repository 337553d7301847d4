import CSRTP
import SRTP

/// SRTP protect/unprotect per packet through our wrapper, against the same libsrtp2 calls made
/// directly in the same run (target: wrapper ≤ 1.1× direct).
func srtpSuite() -> BenchSuite {
    BenchSuite(name: "srtp", summary: "SRTP protect/unprotect: SRTPContext against direct libsrtp2 calls") { ctx in
        for profile in [SRTPProfile.aeadAES128GCM, .aes128CMHMACSHA1_80] {
            measureSRTP(profile, ctx)
        }
    }
}

/// A raw libsrtp2 session for one direction, created as the wrapper does.
private func directSession(_ keyAndSalt: [UInt8], _ profile: SRTPProfile, outbound: Bool) -> srtp_t {
    var policy = srtp_policy_t()
    if profile == .aeadAES128GCM {
        sr_srtp_policy_aes_gcm_128_16_auth(&policy.rtp); sr_srtp_policy_aes_gcm_128_16_auth(&policy.rtcp)
    } else {
        sr_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtp); sr_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtcp)
    }
    policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound
    policy.window_size = 1024
    var session: srtp_t?
    var key = keyAndSalt
    key.withUnsafeMutableBufferPointer { policy.key = $0.baseAddress; _ = srtp_create(&session, &policy) }
    return session!
}

private func measureSRTP(_ profile: SRTPProfile, _ ctx: BenchContext) {
    let material = (0..<profile.keyingMaterialLength).map { UInt8($0) }
    guard let sendKeys = try? SRTPKeyingMaterial(profile: profile, exported: material, role: .client),
          let recvKeys = try? SRTPKeyingMaterial(profile: profile, exported: material, role: .server),
          let sender = try? SRTPContext(keys: sendKeys), let receiver = try? SRTPContext(keys: recvKeys) else {
        print("  srtp: could not create contexts"); return
    }
    let directOut = directSession(sendKeys.localKeyAndSalt, profile, outbound: true)
    let directIn = directSession(recvKeys.remoteKeyAndSalt, profile, outbound: false)
    defer { srtp_dealloc(directOut); srtp_dealloc(directIn) }

    // A 172-byte RTP packet: 12-byte header + 160 bytes of payload (the platform-notes size).
    func packet(_ seq: Int) -> [UInt8] {
        [0x80, 111, UInt8((seq >> 8) & 0xFF), UInt8(seq & 0xFF), 0, 0, 0, 0, 0xCA, 0xFE, 0xBA, 0xBE]
            + [UInt8](repeating: 0x5A, count: 160)
    }
    let perBatch = 2_000
    let batches = ctx.iterations(40, quick: 10)
    let template = packet(1)
    var work = template
    work.reserveCapacity(256)
    let trailer = SRTPContext.maxTrailer

    // protect: both sides re-encrypt the same template (a sender may repeat an index; libsrtp2
    // checks replays only on the way in unless allow_repeat_tx is off for protect, so vary seq).
    var seqA = 0, seqB = 0
    let protect = timeInterleaved(batches: batches, opsPerBatch: perBatch, {
        for _ in 0..<perBatch {
            work.removeAll(keepingCapacity: true); work.append(contentsOf: template)
            seqA &+= 1; work[2] = UInt8((seqA >> 8) & 0xFF); work[3] = UInt8(seqA & 0xFF)
            try? sender.protectRTP(&work)
        }
    }, {
        for _ in 0..<perBatch {
            work.removeAll(keepingCapacity: true); work.append(contentsOf: template)
            seqB &+= 1; work[2] = UInt8((seqB >> 8) & 0xFF); work[3] = UInt8(seqB & 0xFF)
            work.append(contentsOf: repeatElement(0, count: trailer))
            var len = Int32(template.count)
            _ = work.withUnsafeMutableBytes { srtp_protect(directOut, $0.baseAddress!, &len) }
            work.removeLast(work.count - Int(len))
        }
    })
    ctx.add(BenchRow(suite: "srtp", name: "protect \(profile) 172 B", unit: "ns", value: protect.a.p50, summary: protect.a,
                     baselineName: "libsrtp2 direct", baseline: protect.b.p50, target: "≤ 1.1× direct",
                     meetsTarget: protect.ratio.p50 <= 1.1, note: "ratio p50 \(format(protect.ratio.p50))"))

    // unprotect: every batch gets fresh packets (replay protection), protected outside the timing
    // by a fresh sender whose sequence numbers run on from 0, as a real stream's would.
    guard let freshSender = try? SRTPContext(keys: sendKeys) else { return }
    var nextSeq = 0
    var ours: [Double] = [], theirs: [Double] = [], ratios: [Double] = []
    for b in 0..<(batches + 3) {
        var setA: [[UInt8]] = [], setB: [[UInt8]] = []
        for _ in 0..<perBatch {
            var p = packet(nextSeq & 0xFFFF); nextSeq += 1
            try? freshSender.protectRTP(&p)
            // Two distinct buffers: a shared one would make the first writer pay a copy-on-write.
            setA.append(p.withUnsafeBufferPointer { Array($0) })
            setB.append(p.withUnsafeBufferPointer { Array($0) })
        }
        // Alternate which side goes first, so neither always meets the colder caches.
        func runOurs() -> Int64 {
            let t = nowNanoseconds()
            for i in 0..<perBatch { try? receiver.unprotectRTP(&setA[i]) }
            return nowNanoseconds() - t
        }
        func runDirect() -> Int64 {
            let t = nowNanoseconds()
            for i in 0..<perBatch {
                var len = Int32(setB[i].count)
                _ = setB[i].withUnsafeMutableBytes { srtp_unprotect(directIn, $0.baseAddress!, &len) }
            }
            return nowNanoseconds() - t
        }
        let (oursNs, directNs): (Int64, Int64) = b % 2 == 0 ? { let o = runOurs(); return (o, runDirect()) }() : { let d = runDirect(); return (runOurs(), d) }()
        blackHole(setA); blackHole(setB)
        if b < 3 { continue }
        let a = Double(oursNs) / Double(perBatch), c = Double(directNs) / Double(perBatch)
        ours.append(a); theirs.append(c); ratios.append(a / c)
    }
    let sa = Summary(ours), sb = Summary(theirs), sr = Summary(ratios)
    let failures = receiver.stats.authenticationFailures + receiver.stats.replaysDropped + receiver.stats.otherFailures
    ctx.add(BenchRow(suite: "srtp", name: "unprotect \(profile) 172 B", unit: "ns", value: sa.p50, summary: sa,
                     baselineName: "libsrtp2 direct", baseline: sb.p50, target: "≤ 1.1× direct",
                     meetsTarget: sr.p50 <= 1.1, note: "ratio p50 \(format(sr.p50)); failures \(failures)"))
}
