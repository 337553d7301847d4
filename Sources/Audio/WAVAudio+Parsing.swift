import MediaCore

// RIFF/WAVE layout (all integers little-endian):
//
//   "RIFF" u32 riffSize "WAVE"
//   then chunks: fourCC u32 size body[size] (pad byte if size is odd)
//     "fmt "  u16 formatTag u16 channels u32 sampleRate u32 byteRate u16 blockAlign u16 bitsPerSample
//             [u16 cbSize [u16 validBits u32 channelMask u8 subformat[16]]]   (EXTENSIBLE: cbSize ≥ 22)
//     "data"  interleaved samples
//     anything else: skipped
extension WAVAudio {
    /// Parses a whole RIFF/WAVE file. `fmt ` must precede `data`; chunks after `data` are ignored.
    public init(parsing reader: inout ByteReader) throws(ParseError) {
        guard try reader.readFourCC() == "RIFF" else { throw .invalidValue(field: "RIFF", reason: "not a RIFF file") }
        _ = try reader.readUInt32LE()  // RIFF size: streaming writers leave it wrong, so chunks decide
        guard try reader.readFourCC() == "WAVE" else { throw .invalidValue(field: "WAVE", reason: "RIFF form is not WAVE") }

        var format: (tag: UInt16, channels: Int, sampleRate: Int, bits: Int)?
        while true {
            guard reader.remaining >= 8 else {
                throw format == nil ? .invalidValue(field: "fmt", reason: "no fmt chunk")
                                    : .invalidValue(field: "data", reason: "no data chunk")
            }
            let id = try reader.readFourCC()
            let size = Int(try reader.readUInt32LE())
            switch id {
            case "fmt ":
                var body = ByteReader(try reader.readBytes(size))
                format = try Self.parseFormat(&body)
            case "data":
                guard let format else { throw .invalidValue(field: "data", reason: "data chunk before fmt chunk") }
                // 0xFFFFFFFF marks a stream whose length was unknown when the header was written.
                let length = size == 0xFFFF_FFFF ? reader.remaining : size
                let body = try reader.readBytes(length)
                self = Self.decodeSamples(body, tag: format.tag, channels: format.channels,
                                          sampleRate: format.sampleRate, bits: format.bits)
                return
            default:
                try reader.skip(size)
            }
            // Chunks are word-aligned: an odd size is followed by one pad byte (absent at EOF in
            // some writers, which is tolerated).
            if size % 2 == 1, !reader.isAtEnd { try reader.skip(1) }
        }
    }

    /// Parses WAV bytes.
    public init(bytes: [UInt8]) throws(ParseError) {
        var reader = ByteReader(bytes)
        try self.init(parsing: &reader)
    }

    private static func parseFormat(_ r: inout ByteReader) throws(ParseError) -> (tag: UInt16, channels: Int, sampleRate: Int, bits: Int) {
        var tag = try r.readUInt16LE()
        let channels = Int(try r.readUInt16LE())
        let sampleRate = Int(try r.readUInt32LE())
        _ = try r.readUInt32LE()  // byte rate: derived, not trusted
        let blockAlign = Int(try r.readUInt16LE())
        let bits = Int(try r.readUInt16LE())
        if tag == WAVFormatTag.extensible {
            let extra = Int(try r.readUInt16LE())
            guard extra >= 22 else { throw .invalidValue(field: "fmt cbSize", reason: "\(extra) < 22 for WAVE_FORMAT_EXTENSIBLE") }
            let validBits = Int(try r.readUInt16LE())
            _ = try r.readUInt32LE()  // channel mask: speaker positions, not needed to read samples
            let subformat = try r.readBytes(16)
            let code = UInt16(subformat[subformat.startIndex]) | UInt16(subformat[subformat.startIndex + 1]) << 8
            guard Array(subformat.dropFirst(2)) == WAVFormatTag.subformatGUIDTail else {
                throw .unsupported("WAVE_FORMAT_EXTENSIBLE subformat GUID")
            }
            guard validBits == 0 || validBits == bits else {
                throw .unsupported("\(validBits) valid bits in \(bits)-bit containers")
            }
            tag = code
        }
        guard (1...8).contains(channels) else { throw .invalidValue(field: "fmt channels", reason: "\(channels)") }
        guard sampleRate > 0 else { throw .invalidValue(field: "fmt sampleRate", reason: "0") }
        switch (tag, bits) {
        case (WAVFormatTag.pcm, 16), (WAVFormatTag.ieeeFloat, 32): break
        case (WAVFormatTag.pcm, _): throw .unsupported("\(bits)-bit PCM (only 16-bit)")
        case (WAVFormatTag.ieeeFloat, _): throw .unsupported("\(bits)-bit float (only 32-bit)")
        default: throw .unsupported("WAV format tag 0x\(String(tag, radix: 16))")
        }
        guard blockAlign == channels * bits / 8 else {
            throw .invalidValue(field: "fmt blockAlign", reason: "\(blockAlign) for \(channels) × \(bits) bits")
        }
        return (tag, channels, sampleRate, bits)
    }

    /// Decodes the data chunk; a trailing partial frame (a writer cut off mid-frame) is dropped.
    private static func decodeSamples(_ body: ArraySlice<UInt8>, tag: UInt16, channels: Int, sampleRate: Int, bits: Int) -> WAVAudio {
        let bytesPerSample = bits / 8
        let count = body.count / (bytesPerSample * channels) * channels
        let base = body.startIndex
        if tag == WAVFormatTag.pcm {
            var pcm = [Int16](repeating: 0, count: count)
            for i in 0..<count {
                let o = base + 2 * i
                pcm[i] = Int16(bitPattern: UInt16(body[o]) | UInt16(body[o + 1]) << 8)
            }
            return WAVAudio(sampleRate: sampleRate, channels: channels, samples: .pcm16(pcm))
        }
        var floats = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let o = base + 4 * i
            let bitsLE = UInt32(body[o]) | UInt32(body[o + 1]) << 8 | UInt32(body[o + 2]) << 16 | UInt32(body[o + 3]) << 24
            floats[i] = Float(bitPattern: bitsLE)
        }
        return WAVAudio(sampleRate: sampleRate, channels: channels, samples: .float32(floats))
    }
}

// WAV is little-endian throughout; ByteReader/ByteWriter speak network order, so these helpers
// assemble the bytes the other way round.
fileprivate extension ByteReader {
    mutating func readUInt16LE() throws(ParseError) -> UInt16 { try readUInt16().byteSwapped }
    mutating func readUInt32LE() throws(ParseError) -> UInt32 { try readUInt32().byteSwapped }
    mutating func readFourCC() throws(ParseError) -> String {
        String(decoding: try readBytes(4), as: UTF8.self)
    }
}
