/// Wire codec module SDP (pure: no I/O, no clock).
public enum SDPModule {}
