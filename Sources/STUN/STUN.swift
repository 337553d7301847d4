/// Wire codec module STUN (pure: no I/O, no clock).
public enum STUNModule {}
