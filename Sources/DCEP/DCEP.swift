/// Wire codec module DCEP (pure: no I/O, no clock).
public enum DCEPModule {}
