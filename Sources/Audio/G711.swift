/// ITU-T G.711 companding: µ-law (PCMU, RTP payload type 0) and A-law (PCMA, payload type 8).
///
/// Encoding follows the segment/quantization rules of G.711 on the 14-bit (µ-law) and 13-bit
/// (A-law) magnitudes taken from PCM16; decoding is a lookup in 256-entry tables built once from
/// the same rules.
public enum G711 {
    /// µ-law's bias: added to the magnitude so every segment starts on a power of two.
    static let muLawBias: Int32 = 0x84
    /// The largest magnitude µ-law can represent before adding the bias (so the sum fits 15 bits).
    static let muLawClip: Int32 = 32_635

    /// Compresses one PCM16 sample to a µ-law byte.
    @inlinable public static func encodeMuLaw(_ sample: Int16) -> UInt8 {
        var magnitude = Int32(sample)
        let sign: UInt8 = magnitude < 0 ? 0x80 : 0
        if magnitude < 0 { magnitude = -magnitude }
        magnitude = min(magnitude, 32_635) + 0x84
        // Segment = position of the highest set bit above bit 7 (0...7).
        let segment = UInt8(31 - magnitude.leadingZeroBitCount - 7)
        let mantissa = UInt8((magnitude >> (Int32(segment) + 3)) & 0x0F)
        return ~(sign | segment << 4 | mantissa)
    }

    /// Compresses one PCM16 sample to an A-law byte (even bits inverted, as transmitted).
    @inlinable public static func encodeALaw(_ sample: Int16) -> UInt8 {
        let positive = sample >= 0
        // Negative values map to |x| - 1 (one's complement), giving symmetric segments.
        let magnitude = Int32(positive ? sample : ~sample) >> 3  // 12-bit magnitude, 0...4095
        let code: UInt8
        if magnitude < 32 {
            code = UInt8(magnitude >> 1)
        } else {
            let segment = min(7, 31 - magnitude.leadingZeroBitCount - 4)
            let mantissa = (magnitude >> Int32(segment)) & 0x0F
            code = UInt8(segment << 4) | UInt8(mantissa)
        }
        return code ^ (positive ? 0xD5 : 0x55)
    }

    /// Expands a µ-law byte to PCM16 (table lookup).
    @inlinable public static func decodeMuLaw(_ byte: UInt8) -> Int16 { muLawTable[Int(byte)] }

    /// Expands an A-law byte to PCM16 (table lookup).
    @inlinable public static func decodeALaw(_ byte: UInt8) -> Int16 { aLawTable[Int(byte)] }

    /// µ-law byte → PCM16, for every byte.
    public static let muLawTable: [Int16] = (0...255).map { expandMuLaw(UInt8($0)) }
    /// A-law byte → PCM16, for every byte.
    public static let aLawTable: [Int16] = (0...255).map { expandALaw(UInt8($0)) }

    static func expandMuLaw(_ byte: UInt8) -> Int16 {
        let u = ~byte
        let segment = Int32((u >> 4) & 0x07)
        let mantissa = Int32(u & 0x0F)
        let magnitude = ((mantissa << 3) + muLawBias) << segment - muLawBias
        return Int16(u & 0x80 != 0 ? -magnitude : magnitude)
    }

    static func expandALaw(_ byte: UInt8) -> Int16 {
        let a = byte ^ 0x55
        let segment = Int32((a >> 4) & 0x07)
        let mantissa = Int32(a & 0x0F)
        // Reconstruct at the middle of the quantization interval.
        let magnitude = segment == 0 ? (mantissa << 4 | 8) : ((mantissa << 1 | 0x21) << (segment + 2))
        return Int16(a & 0x80 != 0 ? magnitude : -magnitude)
    }

    /// Encodes a buffer of PCM16 into µ-law bytes (`output.count` ≥ `input.count`); returns the count.
    public static func encodeMuLaw(_ input: UnsafeBufferPointer<Int16>, into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let n = min(input.count, output.count)
        for i in 0..<n { output[i] = encodeMuLaw(input[i]) }
        return n
    }

    /// Encodes a buffer of PCM16 into A-law bytes; returns the count.
    public static func encodeALaw(_ input: UnsafeBufferPointer<Int16>, into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let n = min(input.count, output.count)
        for i in 0..<n { output[i] = encodeALaw(input[i]) }
        return n
    }

    /// Decodes µ-law bytes into PCM16; returns the count.
    public static func decodeMuLaw(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<Int16>) -> Int {
        let n = min(input.count, output.count)
        muLawTable.withUnsafeBufferPointer { table in for i in 0..<n { output[i] = table[Int(input[i])] } }
        return n
    }

    /// Decodes A-law bytes into PCM16; returns the count.
    public static func decodeALaw(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<Int16>) -> Int {
        let n = min(input.count, output.count)
        aLawTable.withUnsafeBufferPointer { table in for i in 0..<n { output[i] = table[Int(input[i])] } }
        return n
    }
}
