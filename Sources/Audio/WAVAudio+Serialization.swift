import MediaCore

extension WAVAudio {
    /// Writes a RIFF/WAVE file: `WAVE_FORMAT_PCM` or `WAVE_FORMAT_IEEE_FLOAT` (with a `fact`
    /// chunk, as non-PCM formats require), or `WAVE_FORMAT_EXTENSIBLE` carrying either when
    /// `extensible` is set.
    public func serialize(into writer: inout ByteWriter, extensible: Bool = false) {
        let isFloat: Bool
        if case .float32 = samples { isFloat = true } else { isFloat = false }
        let bits = isFloat ? 32 : 16
        let tag = isFloat ? WAVFormatTag.ieeeFloat : WAVFormatTag.pcm
        let blockAlign = channels * bits / 8
        let dataBytes = samples.count * bits / 8
        let fmtSize = extensible ? 40 : (isFloat ? 18 : 16)
        let factChunk = isFloat && !extensible ? 12 : 0
        // Data chunk padding keeps the RIFF size even (only possible for odd 8-bit counts, but cheap).
        let pad = dataBytes % 2

        writer.writeFourCC("RIFF")
        writer.writeLE(UInt32(truncatingIfNeeded: 4 + (8 + fmtSize) + factChunk + (8 + dataBytes + pad)))
        writer.writeFourCC("WAVE")

        writer.writeFourCC("fmt ")
        writer.writeLE(UInt32(fmtSize))
        writer.writeLE(extensible ? WAVFormatTag.extensible : tag)
        writer.writeLE(UInt16(truncatingIfNeeded: channels))
        writer.writeLE(UInt32(truncatingIfNeeded: sampleRate))
        writer.writeLE(UInt32(truncatingIfNeeded: sampleRate * blockAlign))
        writer.writeLE(UInt16(truncatingIfNeeded: blockAlign))
        writer.writeLE(UInt16(bits))
        if extensible {
            writer.writeLE(UInt16(22))
            writer.writeLE(UInt16(bits))
            writer.writeLE(UInt32(channels == 2 ? 0x3 : channels == 1 ? 0x4 : 0))  // FL|FR, or FC
            writer.writeLE(tag)
            writer.write(bytes: WAVFormatTag.subformatGUIDTail)
        } else if isFloat {
            writer.writeLE(UInt16(0))
        }
        if factChunk > 0 {
            writer.writeFourCC("fact")
            writer.writeLE(UInt32(4))
            writer.writeLE(UInt32(truncatingIfNeeded: frameCount))
        }

        writer.writeFourCC("data")
        writer.writeLE(UInt32(truncatingIfNeeded: dataBytes))
        switch samples {
        case let .pcm16(s):
            for v in s { writer.writeLE(UInt16(bitPattern: v)) }
        case let .float32(f):
            for v in f { writer.writeLE(v.bitPattern) }
        }
        if pad == 1 { writer.write(UInt8(0)) }
    }

    /// The file as bytes.
    public func serialized(extensible: Bool = false) -> [UInt8] {
        var writer = ByteWriter(capacity: 64 + samples.count * 4)
        serialize(into: &writer, extensible: extensible)
        return writer.bytes
    }
}

// WAV is little-endian throughout; ByteReader/ByteWriter speak network order, so these helpers
// assemble the bytes the other way round.
fileprivate extension ByteWriter {
    mutating func writeLE(_ v: UInt16) { write(v.byteSwapped) }
    mutating func writeLE(_ v: UInt32) { write(v.byteSwapped) }
    mutating func writeFourCC(_ s: StaticString) {
        s.withUTF8Buffer { write(bytes: $0) }
    }
}
