/// A client for any endpoint speaking the OpenAI Realtime GA protocol (placeholder until built).
public enum RealtimeClientModule {}
