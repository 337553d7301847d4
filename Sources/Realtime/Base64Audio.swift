import Foundation

/// Base64 audio as `input_audio_buffer.append` and `response.output_audio.delta` carry it
/// (Foundation's `Data` base64). PCM16 is little-endian on the wire.
public enum Base64Audio {
    public static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// The bytes, or `invalid_value` at `param` when the text is not base64.
    public static func decode(_ text: String, param: String = "audio") throws(RealtimeProtocolError) -> [UInt8] {
        guard let d = Data(base64Encoded: text) else {
            throw RealtimeProtocolError(code: .invalidValue, message: "Invalid '\(param)': expected base64-encoded audio.", param: param)
        }
        return [UInt8](d)
    }

    public static func encodePCM16(_ samples: [Int16]) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(samples.count * 2)
        for s in samples {
            let u = UInt16(bitPattern: s)
            bytes.append(UInt8(truncatingIfNeeded: u))
            bytes.append(UInt8(truncatingIfNeeded: u >> 8))
        }
        return encode(bytes)
    }

    /// PCM16 samples; an odd byte count is `invalid_value` (half a sample).
    public static func decodePCM16(_ text: String, param: String = "audio") throws(RealtimeProtocolError) -> [Int16] {
        let bytes = try decode(text, param: param)
        guard bytes.count % 2 == 0 else {
            throw RealtimeProtocolError(code: .invalidValue, message: "Invalid '\(param)': PCM16 audio must have an even byte count.", param: param)
        }
        var out = [Int16](repeating: 0, count: bytes.count / 2)
        for i in 0..<out.count { out[i] = Int16(bitPattern: UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8) }
        return out
    }
}
