extension SessionConfig {
    /// This config with `update` applied (partial semantics): absent fields keep their value;
    /// `null` clears a nullable one; `audio`, `audio.input` and `audio.output` merge field by
    /// field; every other object (a format, `turn_detection`, `truncation`, ...) replaces the old
    /// one whole, its own absent fields taking the defaults. Throws, changing nothing, when the
    /// update is out of range (`param` under `path`, normally "session").
    public func applying(_ update: SessionUpdate, path: String = "session") throws(RealtimeProtocolError) -> SessionConfig {
        try update.validate(path: path)
        var c = self
        if let m = update.model { c.model = m }
        if let m = update.outputModalities { c.outputModalities = m }
        if let i = update.instructions { c.instructions = i }
        if let input = update.audio?.input {
            if let f = input.format { c.audio.input.format = f }
            if let n = input.noiseReduction { c.audio.input.noiseReduction = n.wrapped }
            if let t = input.transcription { c.audio.input.transcription = t.wrapped }
            if let t = input.turnDetection { c.audio.input.turnDetection = t.wrapped }
        }
        if let output = update.audio?.output {
            if let f = output.format { c.audio.output.format = f }
            if let v = output.voice { c.audio.output.voice = v }
            if let s = output.speed { c.audio.output.speed = s }
        }
        if let t = update.tools { c.tools = t }
        if let t = update.toolChoice { c.toolChoice = t }
        if let m = update.maxOutputTokens { c.maxOutputTokens = m }
        if let t = update.truncation { c.truncation = t }
        if let t = update.tracing { c.tracing = t.wrapped }
        if let p = update.prompt { c.prompt = p.wrapped }
        if let i = update.include { c.include = i }
        return c
    }
}
