/// Wire codec module RTP (pure: no I/O, no clock).
public enum RTPModule {}
